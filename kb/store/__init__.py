"""Graph stores behind one interface; `open_store` picks one from the settings."""
from __future__ import annotations

from kb.settings import Settings, get_settings
from kb.store.base import (
    Capabilities,
    ConstraintViolation,
    QuerySyntaxError,
    QueryTimeout,
    ReadOnlyViolation,
    ReadResult,
    Statement,
    Store,
    StoreError,
    StoreUnavailable,
)

__all__ = [
    "Capabilities", "ConstraintViolation", "QuerySyntaxError", "QueryTimeout", "ReadOnlyViolation", "ReadResult",
    "Statement", "Store", "StoreError", "StoreUnavailable", "open_store",
]


def open_store(settings: Settings | None = None, *, read_only: bool = False, wait_for_server: bool = False) -> Store:
    """The configured store. `read_only` opens the embedded store without taking the writer lease;
    `wait_for_server` lets a service start while Neo4j is down (it answers 503 until it is up)."""
    settings = settings or get_settings()
    if settings.store == "neo4j":
        if not settings.neo4j_uri:
            raise StoreUnavailable("KB_STORE=neo4j but NEO4J_URI is not set")
        from kb.store.neo4j_store import Neo4jStore

        return Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database,
                          wait_for_server=wait_for_server)
    from kb.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir, read_only=read_only)
