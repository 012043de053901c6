from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import get_store
from api.models import Health, SchemaLabel, SchemaOut, SchemaRelType, Stats
from kb import queries
from kb.schema import NODE_TYPES, REL_TYPES
from kb.store import Store

router = APIRouter(tags=["meta"])


@router.get("/health", response_model=Health, summary="Whether the store answers")
def health(store: Store = Depends(get_store)) -> dict:
    store.ping()
    return {"status": "ok", "store": store.name}


@router.get("/stats", response_model=Stats, summary="Nodes per label, relationships per type")
def stats(store: Store = Depends(get_store)) -> dict:
    return queries.stats(store)


@router.get("/schema", response_model=SchemaOut, summary="Labels and relationship types, with legend colours")
def schema() -> dict:
    return {
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
