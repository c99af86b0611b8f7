"""Vejviser, sagsgange, ordliste and tag pages: read-only views of the knowledge base."""

from flask import Blueprint, Flask, redirect, render_template, request, url_for

from portal import search
from portal.cli import portal_cli, register_setup_step
from portal.extensions import db
from portal.kb import search as kb_search
from portal.kb import services
from portal.kb.cli import content_cli
from portal.kb.content import GLOSSARY_SLUG

bp = Blueprint("kb", __name__)

ADMINISTRATION_FILTERS = {"BIF": "BIF", "SOF": "SOF"}


@bp.get("/vejviser/")
def guide_index():
    return render_template("kb/guide_index.html", groups=services.guides_by_category())


@bp.get("/vejviser/<slug>")
def guide(slug: str):
    if slug == GLOSSARY_SLUG:
        return redirect(url_for("kb.glossary"), 301)
    page = services.get_page("guide", slug)
    services.record_visit(page)
    db.session.commit()
    return render_template("kb/page.html", page=page, related=services.related_pages(page))


@bp.get("/sagsgange/")
def procedure_index():
    chosen = request.args.get("forvaltning")
    administration = chosen if chosen in ADMINISTRATION_FILTERS else None
    pages = services.published_pages("procedure", administration)
    return render_template(
        "kb/procedure_index.html",
        pages=pages,
        chosen=administration,
        filters=ADMINISTRATION_FILTERS,
    )


@bp.get("/sagsgange/<slug>")
def procedure(slug: str):
    page = services.get_page("procedure", slug)
    services.record_visit(page)
    db.session.commit()
    return render_template("kb/page.html", page=page, related=services.related_pages(page))


@bp.get("/ordliste")
def glossary():
    page = services.get_page("guide", GLOSSARY_SLUG)
    return render_template(
        "kb/glossary.html",
        page=page,
        terms=services.glossary_terms(),
        related=services.related_pages(page),
    )


@bp.get("/emne/<slug>")
def tag(slug: str):
    name, pages = services.pages_with_tag(slug)
    return render_template("kb/tag.html", name=name, pages=pages)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    search.register_source(kb_search.SOURCE)
    search.register_synonyms(kb_search.synonym_groups)
    portal_cli.add_command(content_cli)
    register_setup_step(app, "Indhold", services.run_setup_step, order=20)
