"""The calendar's modules stay small and import each other one way (no cycles)."""

from __future__ import annotations

import ast
from pathlib import Path

import portal.calendar

PACKAGE = "portal.calendar"
FOLDER = Path(portal.calendar.__file__).parent
MAX_LINES = 300


def _imports() -> dict[str, set[str]]:
    """Module name -> the modules of the package it imports."""
    names = {p.stem for p in FOLDER.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in FOLDER.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == PACKAGE:
                found |= {alias.name for alias in node.names if alias.name in names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE + "."):
                found.add((node.module or "").split(".")[2])
            elif isinstance(node, ast.Import):
                found |= {
                    a.name.split(".")[2] for a in node.names if a.name.startswith(PACKAGE + ".")
                }
        graph[path.stem] = found - {path.stem}
    return graph


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        if name in path:
            return [*path[path.index(name) :], name]
        path.append(name)
        for other in sorted(graph.get(name, ())):
            cycle = visit(other)
            if cycle:
                return cycle
        path.pop()
        return None

    return visit(start)


def test_no_import_cycles():
    graph = _imports()
    assert "services" in graph["editing"]  # the graph is read at all
    cycles = [c for c in (_cycle_from(name, graph) for name in sorted(graph)) if c]
    assert cycles == []


def test_modules_stay_small():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in FOLDER.glob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
