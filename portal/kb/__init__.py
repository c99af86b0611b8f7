"""Vejviser and sagsgange: the knowledge base, loaded from content/."""

from flask import Flask

from portal import page_cache, signals
from portal.cli import add_command, register_setup_step
from portal.kb import cli, feedback, glossary
from portal.kb import search as kb_search
from portal.kb.blueprint import bp
from portal.kb.models import GlossaryTerm, Page, PageRedirect, PageRevision, PageTag, Step
from portal.search import register_source, register_synonyms


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_source(app, kb_search.SOURCE)
    register_synonyms(app, kb_search.synonym_groups)
    add_command(app, cli.content_cli)
    register_setup_step(app, "Indhold", cli.setup_step, order=20)
    signals.personal_data.connect(feedback.personal_data, app)
    signals.jobs.connect(glossary.rerender_job, app)
    # what a page shows, and the glossary's synonyms that every search reads
    for model in (Page, Step, PageTag, PageRedirect, PageRevision, GlossaryTerm):
        page_cache.watch(model)
