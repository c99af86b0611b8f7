"""The shape the architecture promises, checked on the source: one commit point, small modules,
no import cycles inside a feature, and features that reach each other only through the base."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[1] / "portal"
FEATURES = sorted(p.name for p in PORTAL.iterdir() if p.is_dir() and (p / "__init__.py").exists())
MAX_LINES = 300


def modules() -> list[Path]:
    return sorted(PORTAL.rglob("*.py"))


def test_only_the_transaction_boundary_commits():
    committing = [
        str(path.relative_to(PORTAL))
        for path in modules()
        if re.search(r"session(\(\))?\.commit\(", path.read_text(encoding="utf-8"))
    ]
    assert committing == ["transaction.py"]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PORTAL)))
def test_no_module_is_over_300_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PORTAL)} has {lines} lines: split it"


def imported_modules(path: Path) -> set[str]:
    """Every ``portal.…`` module that ``path`` imports (``from portal.x import y`` counts as
    ``portal.x.y`` when that is a module, else ``portal.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("portal"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("portal"):
            base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                as_path = PORTAL.parent / Path(*candidate.split("."))
                is_module = as_path.with_suffix(".py").exists() or as_path.is_dir()
                found.add(candidate if is_module else base)
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("feature", FEATURES)
def test_no_import_cycles_inside_a_feature(feature):
    package = f"portal.{feature}"
    graph = {
        module_name(path): {m for m in imported_modules(path) if m.startswith(package + ".")}
        for path in (PORTAL / feature).glob("*.py")
        if path.name != "__init__.py"  # the package's init_app assembles the modules
    }

    def cycle_from(start: str, node: str, seen: tuple[str, ...]) -> tuple[str, ...] | None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return (*seen, nxt)
            if nxt not in seen:
                found = cycle_from(start, nxt, (*seen, nxt))
                if found:
                    return found
        return None

    for module in graph:
        cycle = cycle_from(module, module, (module,))
        assert cycle is None, " → ".join(cycle)


def test_the_base_imports_no_feature():
    for path in PORTAL.glob("*.py"):
        features = {m.split(".")[1] for m in imported_modules(path) if m.count(".") >= 1} & set(
            FEATURES
        )
        if path.name == "__init__.py":
            continue  # create_app lists the features: the table of contents
        assert not features, f"{path.name} imports {sorted(features)}"


@pytest.mark.parametrize("feature", FEATURES)
def test_no_feature_imports_another_features_views(feature):
    for path in (PORTAL / feature).glob("*.py"):
        for module in imported_modules(path):
            parts = module.split(".")
            if len(parts) >= 3 and parts[1] != feature:
                assert not parts[2].startswith(("views", "blueprint", "manage", "editing")), (
                    f"{path.relative_to(PORTAL)} imports {module}"
                )
