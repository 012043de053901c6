from __future__ import annotations

import re
from typing import Literal

from fastapi import APIRouter, Depends, Path, Query
from starlette.concurrency import run_in_threadpool

from api.deps import get_store, run_read
from api.models import (
    BodyMeasures,
    EntityList,
    EntityOut,
    Neighbourhood,
    Provenance,
    SearchResult,
    entity_out,
    relationship_out,
)
from api.responses import JSONBody
from kb import queries
from kb.store import Store

router = APIRouter(tags=["entities"])

NodeId = Path(..., description="A stable id: `<label prefix>:<slug>`", examples=["statebody:kz-ministry-of-justice"])
_FILTER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|!=|=|:|>|<)\s*(.*?)\s*$", re.S)
AS_OF = Query(None, description="Only relationships valid at this date: YYYY, YYYY-MM or YYYY-MM-DD "
                                "(valid_from <= date <= valid_to, open ends; a bare year means the whole year)",
              examples=["2015"])


def parse_filter(text: str) -> tuple[str, str, str]:
    m = _FILTER.match(text)
    if not m:
        raise ValueError(f"filter {text!r} is not `property OP value` (OP one of = : != > >= < <=)")
    prop, op, value = m.groups()
    return prop, "=" if op == ":" else op, value


@router.get("/entities", response_model=EntityList, response_class=JSONBody,
            summary="Entities of one label, paged by id, filtered on properties")
async def list_entities(
    label: str = Query(..., examples=["Region"]),
    filter: list[str] | None = Query(
        None, description="`property OP value`, repeatable (all must hold); OP is one of `= : != > >= < <=`; "
                          "values take the property's type; on a list property `=` tests membership",
        examples=[["kind=city"]]),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000_000),
    store: Store = Depends(get_store),
) -> JSONBody:
    filters = [parse_filter(f) for f in filter or []]
    items, total = await run_read(store, queries.entities, store, label, filters=filters, limit=limit, offset=offset)
    return JSONBody({"items": [entity_out(n) for n in items], "total": total, "offset": offset, "limit": limit})


def _search(store: Store, q: str, label: str | None, limit: int, offset: int) -> dict:
    hits, total = queries.search(store, q, label=label, limit=limit, offset=offset, with_total=True)
    return {"query": q, "total": total, "offset": offset, "limit": limit,
            "hits": [{"entity": entity_out(h["node"]), "score": h["score"], "highlight": h["highlight"]} for h in hits]}


@router.get("/search", response_model=SearchResult, response_class=JSONBody,
            summary="Find entities by any name, alias, abbreviation or transliteration, inflected or not")
async def search(
    q: str = Query(..., min_length=1, max_length=200, description="Kazakh, Russian or Latin; inflected forms match "
                   "their base (`әділет министрлігінің`), abbreviations are aliases (`Минюст`)",
                   examples=["Әділет министрлігінің"]),
    label: str | None = Query(None, examples=["StateBody"]),
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0, le=10_000),
    store: Store = Depends(get_store),
) -> JSONBody:
    if queries.search_ready(store):  # answered from memory in a millisecond: no thread hop
        return JSONBody(await run_read(store, _search, store, q, label, limit, offset))
    return JSONBody(await run_in_threadpool(_search, store, q, label, limit, offset))  # builds the index first


@router.get("/entities/{node_id}", response_model=EntityOut, response_class=JSONBody,
            summary="One entity with names in kk/ru/en, aliases and sources")
async def get_entity(node_id: str = NodeId, store: Store = Depends(get_store)) -> JSONBody:
    return JSONBody(entity_out(await run_read(store, queries.entity, store, node_id)))


@router.get("/entities/{node_id}/neighbors", response_model=Neighbourhood, response_class=JSONBody,
            summary="Neighbours within 1–3 hops, filtered and paged, with the relationships among them")
async def neighbors(
    node_id: str = NodeId,
    depth: int = Query(1, ge=1, le=queries.MAX_DEPTH),
    label: list[str] | None = Query(None, description="Only neighbours with these labels"),
    type: list[str] | None = Query(None, description="Only through these relationship types"),
    direction: Literal["both", "out", "in"] = "both",
    as_of: str | None = AS_OF,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000_000),
    store: Store = Depends(get_store),
) -> JSONBody:
    hood = await run_read(store, queries.neighbours, store, node_id, depth=depth, labels=label, types=type,
                          direction=direction, limit=limit, offset=offset, as_of=as_of)
    return JSONBody({
        "centre": entity_out(hood["centre"]),
        "nodes": [entity_out(n) for n in hood["nodes"]],
        "relationships": [relationship_out(r) for r in hood["relationships"]],
        "total": hood["total"], "omitted": hood["omitted"], "offset": offset, "limit": limit, "as_of": as_of,
    })


@router.get("/entities/{node_id}/provenance", response_model=Provenance, response_class=JSONBody,
            summary="Where an entity came from: sources and every mention's quote")
async def provenance(node_id: str = NodeId, store: Store = Depends(get_store)) -> JSONBody:
    return JSONBody(await run_read(store, queries.provenance, store, node_id))


@router.get("/entities/{node_id}/measures", response_model=BodyMeasures, response_class=JSONBody,
            summary="Every programme measure a body is responsible for, with its funding share",
            description="A measure's funding is given per year for the measure, not per body, so each "
                        "responsible body's share is `amount / number of responsible bodies` (lead or not); "
                        "the shares of all bodies add up to the programme's totals.")
async def body_measures(node_id: str = NodeId, store: Store = Depends(get_store)) -> JSONBody:
    out = await run_read(store, queries.body_measures, store, node_id)
    out["body"] = entity_out(out["body"])
    for m in out["measures"]:
        m["measure"] = entity_out(m["measure"])
    return JSONBody(out)
