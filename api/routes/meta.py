from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import get_store, run_read
from api.models import Health, SchemaLabel, SchemaOut, SchemaRelType, Stats
from api.responses import JSONBody
from kb import queries
from kb.schema import NODE_TYPES, REL_TYPES
from kb.store import Store

router = APIRouter(tags=["meta"])
health_router = APIRouter(tags=["meta"])  # open even when reads need a key

_SCHEMA = {
    "labels": [
        {"label": name, "prefix": cls.prefix, "color": cls.color, "shape": cls.shape,
         "description": cls.description, "properties": list(cls.model_fields)}
        for name, cls in NODE_TYPES.items()
    ],
    "relationships": [
        {"type": name, "color": cls.color, "description": cls.description,
         "endpoints": [(list(s), list(e)) for s, e in cls.endpoints]}
        for name, cls in REL_TYPES.items()
    ],
}


@health_router.get("/health", response_model=Health, response_class=JSONBody,
                   summary="Whether the store answers (503 with Retry-After when it does not)")
async def health(store: Store = Depends(get_store)) -> JSONBody:
    await run_read(store, store.ping)
    return JSONBody({"status": "ok", "store": store.name}, headers={"Cache-Control": "no-store"})


@router.get("/stats", response_model=Stats, response_class=JSONBody, summary="Nodes per label, relationships per type")
async def stats(store: Store = Depends(get_store)) -> JSONBody:
    return JSONBody(await run_read(store, queries.stats, store))


@router.get("/schema", response_model=SchemaOut, response_class=JSONBody,
            summary="Labels and relationship types, with legend colours")
async def schema() -> JSONBody:
    return JSONBody(_SCHEMA)


__all__ = ["router", "health_router", "SchemaLabel", "SchemaRelType"]
