"""Vejviser, sagsgange, ordliste and tag pages: read-only views of the knowledge base."""

from flask import Response, redirect, render_template, request, url_for

from portal import page_cache, signals
from portal.administration import FILTERS, chosen_filter
from portal.errors import NotFound
from portal.kb import changes as kb_changes
from portal.kb import revisions, services
from portal.kb.content import GLOSSARY_SLUG
from portal.timeutil import local_today


def guide_index():
    return render_template("kb/guide_index.html", groups=services.guides_by_category())


def _page(kind: str, slug: str):
    """A guide or procedure; an old address of a renamed or merged page redirects for good.
    An anonymous reader may get the page as rendered before, for the same content version
    (``portal/page_cache.py``)."""
    cached = page_cache.lookup()
    if cached is not None:
        services.record_visit(kind, slug)
        return cached
    try:
        page = services.get_page(kind, slug)
    except NotFound:
        moved = services.redirect_for(slug)
        if moved is None:
            raise
        return redirect(services.page_url(moved), 301)
    services.record_visit(page.kind, page.slug)
    html = render_template(
        "kb/page.html",
        page=page,
        related=services.related_pages(page),
        model=services.model_steps(page),
        overdue=services.review_due(page) < local_today(),
        latest=revisions.latest(page),
        contact_links=_contact_links(page),
    )
    return page_cache.keep(html)


def _contact_links(page) -> dict[str, str]:
    """The steps' contacts that the directory knows: each becomes a link."""
    names = [step.contact for step in page.steps if step.contact]
    found: dict[str, str] = {}
    for links in signals.collect(signals.directory_links, names=names) if names else []:
        found |= {name.casefold(): url for name, url in links.items()}
    return found


def guide(slug: str):
    if slug == GLOSSARY_SLUG:
        return redirect(url_for("kb.glossary"), 301)
    return _page("guide", slug)


def procedure_index():
    chosen = request.args.get("forvaltning")
    administration = chosen_filter(chosen)
    pages = services.published_pages("procedure", administration)
    return render_template(
        "kb/procedure_index.html",
        pages=pages,
        chosen=administration,
        filters=FILTERS,
    )


def procedure(slug: str):
    return _page("procedure", slug)


def glossary():
    page = services.get_page("guide", GLOSSARY_SLUG)
    return render_template(
        "kb/glossary.html",
        page=page,
        terms=services.glossary_terms(),
        related=services.related_pages(page),
    )


def changes():
    return render_template(
        "kb/changes.html",
        revisions=kb_changes.recent(),
        diff_url=kb_changes.diff_url,
        page_url=services.page_url,
    )


def changes_feed():
    body = kb_changes.atom(kb_changes.recent())
    return Response(body, mimetype="application/atom+xml")


def tag(slug: str):
    name, pages = services.pages_with_tag(slug)
    return render_template("kb/tag.html", name=name, pages=pages)
