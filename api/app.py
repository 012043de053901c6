"""The FastAPI application: routes under /v1, OpenAPI at /docs.

Reads are open unless `KB_READ_API_KEY` is set; ingest needs `KB_API_KEY`. Every answer to a
GET carries a weak ETag (`If-None-Match` → 304) and `Cache-Control`; errors are RFC 9457
problem details; each request is logged as one JSON line (`kb.api.access`); CORS is closed
unless `KB_CORS_ORIGINS` lists origins.
"""
from __future__ import annotations

import logging
import sys
import threading
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import problems
from api.deps import TimeLimitedStore, keep_out_of_gc, require_read
from api.middleware import BodyLimit, ETags, RequestLog, access_log
from api.routes import cypher, documents, entities, export, graph, ingest, meta, programmes, views
from ingest.pipeline import KnownNames
from kb import queries
from kb.settings import Settings, get_settings
from kb.store import Store

log = logging.getLogger(__name__)
GIL_SWITCH_S = 0.0005

DESCRIPTION = """
Relationship queries over the graph of confessions, associations, councils, state bodies,
programmes and the documents they come from. Every fact carries its sources.

* **Entities**: by id, by label with property filters, by any name (Kazakh and Russian
  inflection, abbreviations, transliteration) with highlighting.
* **Relationships**: neighbours to depth 3 with filters, paging and `as_of` dates; shortest and
  all paths; induced subgraphs; common neighbours.
* **Programmes**: measures with responsible bodies and funding; a body's measures and share.
* **Statistics**: observations as time series.
* **Provenance**: documents, spans and quotes of any entity or relationship; everything a
  document gave.
* **Analytics**: centrality, communities and components of a neighbourhood or a chosen subgraph.
* **Cypher**: read-only, parameterised, time- and row-limited; JSON, CSV or GraphML.
* **Export**: the whole graph as APOC JSON lines, GraphML or CSV.
* **Ingest** (API key): upload a document or a registry.

Errors are `application/problem+json` (RFC 9457). Lists are paged with `limit`/`offset` and
say their `total`. GET answers carry a weak `ETag`; send it back in `If-None-Match` for a 304.
"""


def _configure_access_log(enabled: bool) -> None:
    if not enabled:
        access_log.setLevel(logging.WARNING)
        return
    access_log.setLevel(logging.INFO)
    if not access_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
        access_log.propagate = False


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    read_store = TimeLimitedStore(store, settings.query_timeout_s)
    queries.configure_cache(read_store, freshness_check_s=settings.freshness_check_s)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        def warm() -> None:
            try:
                queries.warm(read_store)
                if settings.api_key:  # uploads are on: the first one should not build the gazetteer
                    with app.state.ingest_lock:
                        app.state.ingest_names.for_store(store)
            except Exception as exc:  # noqa: BLE001 - a search or an upload builds them on demand
                log.warning("search index or gazetteer not built at startup: %s", exc)
            keep_out_of_gc()

        threading.Thread(target=warm, name="kb-search-index", daemon=True).start()
        # An upload's extraction is a Python thread; with the default 5 ms GIL hand-off the event
        # loop waits up to that long at every turn while it runs. Shorter keeps reads flowing.
        switch = sys.getswitchinterval()
        sys.setswitchinterval(GIL_SWITCH_S)
        yield
        sys.setswitchinterval(switch)

    app = FastAPI(title="Religious associations knowledge base", version="1", description=DESCRIPTION,
                  lifespan=lifespan)
    app.state.store = store
    app.state.read_store = read_store
    app.state.settings = settings
    app.state.ingest_lock = threading.Lock()
    app.state.ingest_names = KnownNames()  # the gazetteer and resolution's index, kept across uploads
    problems.install(app)
    # reads check a key only when one is configured (then OpenAPI shows the security schemes on them)
    read = [Depends(require_read)] if settings.read_api_key else []
    app.include_router(meta.health_router, prefix="/v1")
    for module in (meta, entities, graph, programmes, documents, cypher, export, views):
        app.include_router(module.router, prefix="/v1", dependencies=read)
    app.include_router(ingest.router, prefix="/v1")

    # innermost first: ETags see the route's answer, the request log sees everything
    private = "private, " if settings.read_api_key else ""
    max_age = f"max-age={settings.cache_max_age_s}" if settings.cache_max_age_s > 0 else "no-cache"
    app.add_middleware(ETags, cache_control=private + max_age)
    app.add_middleware(BodyLimit, max_body=settings.max_body_kb * 1024,
                       max_upload=int(settings.max_upload_mb * 1024 * 1024))
    origins = settings.cors_origin_list
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "OPTIONS"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type", "If-None-Match",
                                          "X-Request-ID"],
                           expose_headers=["ETag", "X-Request-ID", "X-Truncated", "Retry-After"], max_age=600)
    app.add_middleware(RequestLog)
    _configure_access_log(settings.access_log)
    return app
