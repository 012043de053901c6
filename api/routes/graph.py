from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Query

from api.deps import get_store, run_read
from api.models import (
    Analytics,
    AnalyticsRequest,
    CommonNeighbours,
    PathOut,
    RelationshipProvenance,
    Subgraph,
    SubgraphRequest,
    entity_out,
    relationship_out,
)
from api.responses import JSONBody
from api.routes.entities import AS_OF
from kb import analytics, queries
from kb.store import Store

router = APIRouter(tags=["graph"])


def _graph_out(nodes: list[dict], rels: list[dict]) -> dict:
    return {"nodes": [entity_out(n) for n in nodes], "relationships": [relationship_out(r) for r in rels]}


def _path_out(path: dict) -> dict:
    return {"length": len(path["relationships"]), **_graph_out(path["nodes"], path["relationships"])}


@router.get("/paths", response_model=list[PathOut], response_class=JSONBody,
            summary="The shortest path between two entities, or all simple paths up to a length")
async def paths(
    source: str = Query(..., alias="from", examples=["association:kz-almaty-central-mosque"]),
    target: str = Query(..., alias="to", examples=["region:kz"]),
    max_length: int = Query(4, ge=1, le=queries.MAX_PATH_LENGTH, description="Longest path considered"),
    all: bool = Query(False, description="Every simple path (no entity twice), shortest first, up to `limit`"),
    limit: int = Query(20, ge=1, le=queries.MAX_ALL_PATHS, description="With `all`: at most this many paths"),
    store: Store = Depends(get_store),
) -> JSONBody:
    if all:
        found = await run_read(store, queries.all_paths, store, source, target, max_length=max_length, limit=limit)
        return JSONBody([_path_out(p) for p in found])
    path = await run_read(store, queries.shortest_path, store, source, target, max_length=max_length)
    return JSONBody([] if path is None else [_path_out(path)])


@router.post("/subgraph", response_model=Subgraph, response_class=JSONBody,
             summary="The subgraph induced by a set of ids (ids that name nothing are left out)")
async def subgraph(req: SubgraphRequest, store: Store = Depends(get_store)) -> JSONBody:
    sub = await run_read(store, queries.subgraph, store, req.ids, types=req.type, as_of=req.as_of)
    return JSONBody(_graph_out(sub["nodes"], sub["relationships"]))


@router.get("/common-neighbors", response_model=CommonNeighbours, response_class=JSONBody,
            summary="Entities linked to both a and b, with the links")
async def common_neighbors(
    a: str = Query(..., examples=["statebody:kz-ministry-of-justice"]),
    b: str = Query(..., examples=["statebody:kz-ministry-of-culture-and-information"]),
    label: list[str] | None = Query(None, description="Only common neighbours with these labels"),
    type: list[str] | None = Query(None, description="Only through these relationship types"),
    as_of: str | None = AS_OF,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000_000),
    store: Store = Depends(get_store),
) -> JSONBody:
    out = await run_read(store, queries.common_neighbours, store, a, b, labels=label, types=type, as_of=as_of,
                         limit=limit, offset=offset)
    return JSONBody({
        "a": entity_out(out["a"]), "b": entity_out(out["b"]), **_graph_out(out["nodes"], out["relationships"]),
        "total": out["total"], "omitted": out["omitted"], "offset": offset, "limit": limit,
    })


@router.get("/relationships/provenance", response_model=RelationshipProvenance, response_class=JSONBody,
            summary="Where a relationship came from: its documents, spans and quotes")
async def relationship_provenance(
    start: str = Query(..., examples=["region:kz-almaty-city"]),
    end: str = Query(..., examples=["region:kz"]),
    type: str | None = Query(None, examples=["PART_OF"], description="One relationship type, or every one"),
    store: Store = Depends(get_store),
) -> JSONBody:
    return JSONBody(await run_read(store, queries.relationship_provenance, store, start, end, type))


@router.get("/analytics/{node_id}", response_model=Analytics, response_class=JSONBody,
            summary="Centrality, communities and components of an entity's neighbourhood")
def neighbourhood_analytics(
    node_id: str,
    depth: int = Query(2, ge=1, le=queries.MAX_DEPTH),
    type: list[str] | None = Query(None, description="Only through these relationship types"),
    limit: int = Query(1000, ge=1, le=5000),
    top: int = Query(10, ge=1, le=100),
    store: Store = Depends(get_store),
) -> JSONBody:
    hood = queries.neighbours(store, node_id, depth=depth, types=type, limit=limit)
    g = analytics.graph_from([hood["centre"], *hood["nodes"]], hood["relationships"])
    return JSONBody({**analytics.summary(g, top=top), "truncated": hood["omitted"] > 0})


@router.post("/analytics", response_model=Analytics, response_class=JSONBody,
             summary="Centrality, communities and components of a chosen subgraph (ids, or labels and types)")
def subgraph_analytics(req: AnalyticsRequest = Body(...), store: Store = Depends(get_store)) -> JSONBody:
    sub = queries.selection(store, ids=req.ids, labels=req.label, types=req.type, limit=req.limit, as_of=req.as_of)
    g = analytics.graph_from(sub["nodes"], sub["relationships"])
    return JSONBody({**analytics.summary(g, top=req.top), "truncated": sub["truncated"]})
