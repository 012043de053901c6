from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query

from api.deps import get_store
from api.models import EntityList, EntityOut, Neighbourhood, Provenance, SearchResult, entity_out, relationship_out
from kb import queries
from kb.store import Store

router = APIRouter(tags=["entities"])

@router.get("/entities", response_model=EntityList, summary="Entities of one label, paged by id")
def list_entities(
    label: str = Query(..., examples=["Region"]),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    store: Store = Depends(get_store),
) -> dict:
    items, total = queries.entities(store, label, limit=limit, offset=offset)
    return {"items": [entity_out(n) for n in items], "total": total, "offset": offset, "limit": limit}


@router.get("/search", response_model=SearchResult, summary="Find entities by any name, alias or transliteration")
def search(
    q: str = Query(..., min_length=1, max_length=200, examples=["Алматы"]),
    label: str | None = None,
    limit: int = Query(20, ge=1, le=200),
    store: Store = Depends(get_store),
) -> dict:
    hits = queries.search(store, q, label=label, limit=limit)
    return {"query": q, "hits": [{"entity": entity_out(h["node"]), "score": h["score"]} for h in hits]}


@router.get("/entities/{node_id}", response_model=EntityOut, summary="One entity with names, aliases and sources")
def get_entity(node_id: str, store: Store = Depends(get_store)) -> dict:
    return entity_out(queries.entity(store, node_id))


@router.get("/entities/{node_id}/neighbors", response_model=Neighbourhood, summary="Neighbours within 1–3 hops")
def neighbors(
    node_id: str,
    depth: int = Query(1, ge=1, le=queries.MAX_DEPTH),
    label: list[str] | None = Query(None, description="Only neighbours with these labels"),
    type: list[str] | None = Query(None, description="Only through these relationship types"),
    direction: Literal["both", "out", "in"] = "both",
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    store: Store = Depends(get_store),
) -> dict:
    hood = queries.neighbours(store, node_id, depth=depth, labels=label, types=type, direction=direction,
                              limit=limit, offset=offset)
    return {
        "centre": entity_out(hood["centre"]),
        "nodes": [entity_out(n) for n in hood["nodes"]],
        "relationships": [relationship_out(r) for r in hood["relationships"]],
        "total": hood["total"], "omitted": hood["omitted"], "offset": offset, "limit": limit,
    }


@router.get("/entities/{node_id}/provenance", response_model=Provenance,
            summary="Where an entity came from: sources and every mention's quote")
def provenance(node_id: str, store: Store = Depends(get_store)) -> dict:
    return queries.provenance(store, node_id)
