"""Search behind a handful of functions; nothing outside this package imports whoosh.

Features call ``register_source`` and ``register_synonyms`` when the app is created. Changes
reach the index through the outbox (a flush hook), applied after each committing request.
"""

from portal.search.registry import (
    SearchDocument,
    Source,
    every_word_in,
    register_source,
    register_synonyms,
)
from portal.search.services import apply_pending, check, rebuild, search, suggest

__all__ = [
    "SearchDocument",
    "Source",
    "apply_pending",
    "check",
    "every_word_in",
    "rebuild",
    "register_source",
    "register_synonyms",
    "search",
    "suggest",
]
