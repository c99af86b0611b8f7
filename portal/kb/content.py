"""Reading and validating the content files (the schema is documented in content/README.md)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import ErrorDetails

from portal.cpr import contains_cpr
from portal.errors import ValidationError as PortalValidationError

SLUG_RE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_RE, max_length=100)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Administration = Literal["BIF", "SOF", "both"]
KIND_BY_FOLDER = {"vejviser": "guide", "sagsgange": "procedure"}
GLOSSARY_SLUG = "ordliste"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StepSchema(Strict):
    owner: Administration
    title: Annotated[Text, StringConstraints(max_length=120)]
    text: Text
    deadline: Text | None = None
    document: Text | None = None
    contact: Text | None = None
    # Which step of the seven-step samarbejdsmodel this step is (1-7); None outside the model.
    model_step: Annotated[int, Field(ge=1, le=7)] | None = None


class TermSchema(Strict):
    term: Annotated[Text, StringConstraints(max_length=120)]
    long: Annotated[Text, StringConstraints(max_length=300)] | None = None  # the column's size
    synonyms: Annotated[
        list[Annotated[Text, StringConstraints(max_length=120)]], Field(max_length=30)
    ] = Field(default_factory=list)
    definition: Annotated[Text, StringConstraints(max_length=2000)]


class PageSchema(Strict):
    title: Annotated[Text, StringConstraints(max_length=120)]
    summary: Annotated[Text, StringConstraints(max_length=400)]
    administration: Administration
    category: Annotated[Text, StringConstraints(max_length=100)]
    tags: list[Annotated[Text, StringConstraints(max_length=80)]]
    owner: Annotated[Text, StringConstraints(max_length=200)]
    reviewed: date
    related: list[Slug]
    # Old slugs whose addresses must redirect to this page (renamed or merged pages).
    redirect_from: list[Slug] = Field(default_factory=list)
    # Review the page every this many days (default: PORTAL_REVIEW_AFTER_DAYS).
    review_days: Annotated[int, Field(ge=7, le=1095)] | None = None


class GuideSchema(PageSchema):
    terms: list[TermSchema] | None = None


class ProcedureSchema(PageSchema):
    trigger: Text
    steps: Annotated[list[StepSchema], Field(min_length=1)]
    # The procedure follows the seven-step samarbejdsmodel: its steps carry model_step.
    follows_model: bool = False


# Danish wording of pydantic's error types.
MESSAGES = {
    "missing": "mangler",
    "extra_forbidden": "er ikke et kendt felt",
    "literal_error": "skal være BIF, SOF eller both",
    "string_too_short": "må ikke være tom",
    "string_too_long": "er for lang (højst {max_length} tegn)",
    "string_pattern_mismatch": "skal være en slug med små bogstaver a-z, tal og bindestreger",
    "string_type": "skal være tekst",
    "list_type": "skal være en liste",
    "too_short": "skal have mindst ét element",
    "too_long": "må højst have {max_length} elementer",
    "date_from_datetime_parsing": "skal være en dato som ÅÅÅÅ-MM-DD",
    "date_parsing": "skal være en dato som ÅÅÅÅ-MM-DD",
    "date_type": "skal være en dato som ÅÅÅÅ-MM-DD",
    "int_type": "skal være et helt tal",
    "int_parsing": "skal være et helt tal",
    "greater_than_equal": "skal være mindst {ge}",
    "less_than_equal": "må højst være {le}",
    "bool_type": "skal være true eller false",
    "bool_parsing": "skal være true eller false",
}


class ContentError(PortalValidationError):
    """One or more content files are invalid; the message names every file and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Indholdet er ikke indlæst:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class ContentFile:
    kind: str
    slug: str
    path: str  # relative to the content folder
    meta: GuideSchema | ProcedureSchema
    body: str
    digest: str


def _field_name(location: tuple) -> str:
    return ".".join(str(part + 1) if isinstance(part, int) else part for part in location)


def describe(error: ErrorDetails) -> str:
    template = MESSAGES.get(error["type"])
    if template is None:
        return error["msg"]
    return template.format(**error.get("ctx", {}))


def read_file(root: Path, path: Path, salt: str) -> tuple[ContentFile | None, list[str]]:
    relative = path.relative_to(root).as_posix()
    kind = KIND_BY_FOLDER[path.parent.name]
    slug = path.stem
    raw = path.read_bytes()
    problems: list[str] = []
    if not re.match(SLUG_RE, slug):
        problems.append(f"{relative}: filnavnet skal være en slug (små bogstaver a-z, tal, -)")
    try:
        post = frontmatter.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, [*problems, f"{relative}: filen er ikke UTF-8"]
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (linje {where.line + 1})" if where else ""
        return None, [*problems, f"{relative}: front matter er ikke gyldig YAML{line}"]
    if not post.metadata:
        return None, [*problems, f"{relative}: front matter mangler (--- øverst i filen)"]
    schema = ProcedureSchema if kind == "procedure" else GuideSchema
    try:
        meta = schema.model_validate(post.metadata)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append(f"{relative}: feltet '{_field_name(error['loc'])}' {describe(error)}")
        return None, problems
    if isinstance(meta, GuideSchema) and meta.terms is not None and slug != GLOSSARY_SLUG:
        problems.append(f"{relative}: feltet 'terms' må kun stå i {GLOSSARY_SLUG}.md")
    if contains_cpr(raw.decode("utf-8")):
        problems.append(f"{relative}: indeholder noget, der ligner et CPR-nummer")
    if problems:
        return None, problems
    digest = hashlib.sha256(raw + salt.encode()).hexdigest()
    return ContentFile(kind, slug, relative, meta, post.content, digest), []


def read_all(root: Path, salt: str = "") -> list[ContentFile]:
    """Read and validate every file; nothing is returned unless all of them are valid.

    :raises ContentError: naming each file and field that is wrong.
    """
    files: list[ContentFile] = []
    problems: list[str] = []
    paths = sorted(p for folder in KIND_BY_FOLDER for p in (root / folder).glob("*.md"))
    for path in paths:
        loaded, file_problems = read_file(root, path, salt)
        problems.extend(file_problems)
        if loaded:
            files.append(loaded)
    slugs = [f.slug for f in files]
    for duplicate in sorted({s for s in slugs if slugs.count(s) > 1}):
        problems.append(f"{duplicate}: samme slug i både vejviser/ og sagsgange/")
    known = set(slugs)
    for f in files:
        for number, target in enumerate(f.meta.related, start=1):
            if target not in known:
                problems.append(
                    f"{f.path}: feltet 'related.{number}' peger på ukendt side '{target}'"
                )
    if problems:
        raise ContentError(problems)
    return files
