"""The PostgreSQL full-text engine: the search data lives in the database (``search_document``
and ``search_word``), so every server shares it, a backup holds it, and a change is found as
soon as the indexer's transaction commits."""
