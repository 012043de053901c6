from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Query

from api.deps import get_store
from api.models import Analytics, PathOut, Subgraph, entity_out, relationship_out
from kb import analytics, queries
from kb.store import Store

router = APIRouter(tags=["graph"])


def _graph_out(nodes: list[dict], rels: list[dict]) -> dict:
    return {"nodes": [entity_out(n) for n in nodes], "relationships": [relationship_out(r) for r in rels]}


@router.get("/paths", response_model=list[PathOut], summary="Shortest path between two entities")
def paths(
    source: str = Query(..., alias="from", examples=["region:kz-almaty-city"]),
    target: str = Query(..., alias="to", examples=["region:kz"]),
    max_length: int = Query(4, ge=1, le=queries.MAX_PATH_LENGTH),
    store: Store = Depends(get_store),
) -> list[dict]:
    path = queries.shortest_path(store, source, target, max_length=max_length)
    if path is None:
        return []
    return [{"length": len(path["relationships"]), **_graph_out(path["nodes"], path["relationships"])}]


@router.post("/subgraph", response_model=Subgraph, summary="The subgraph induced by a set of ids")
def subgraph(
    ids: list[str] = Body(..., embed=True, min_length=1, max_length=2000, examples=[["region:kz", "region:kz-almaty-city"]]),
    store: Store = Depends(get_store),
) -> dict:
    sub = queries.subgraph(store, ids)
    return _graph_out(sub["nodes"], sub["relationships"])


@router.get("/analytics/{node_id}", response_model=Analytics,
            summary="Centrality, communities and components of an entity's neighbourhood")
def neighbourhood_analytics(
    node_id: str,
    depth: int = Query(2, ge=1, le=queries.MAX_DEPTH),
    type: list[str] | None = Query(None, description="Only through these relationship types"),
    limit: int = Query(1000, ge=1, le=5000),
    top: int = Query(10, ge=1, le=100),
    store: Store = Depends(get_store),
) -> dict:
    hood = queries.neighbours(store, node_id, depth=depth, types=type, limit=limit)
    g = analytics.graph_from([hood["centre"], *hood["nodes"]], hood["relationships"])
    return analytics.summary(g, top=top)
