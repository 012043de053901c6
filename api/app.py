"""The FastAPI application: routes under /v1, OpenAPI at /docs."""
from __future__ import annotations

from fastapi import FastAPI

from api import problems
from api.routes import cypher, entities, graph, meta, views
from kb.settings import Settings, get_settings
from kb.store import Store


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="Religious associations knowledge base",
        version="1",
        description="Relationship queries over the graph of confessions, associations, councils, "
                    "state bodies, programmes and the documents they come from. Every fact carries its sources.",
    )
    app.state.store = store
    app.state.settings = settings or get_settings()
    problems.install(app)
    for module in (meta, entities, graph, cypher, views):
        app.include_router(module.router, prefix="/v1")
    return app
