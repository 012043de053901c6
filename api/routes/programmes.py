"""Programmes and their measures, and statistics over time."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query

from api.deps import get_store, run_read
from api.models import Metric, ObservationSeries, ProgrammeMeasures, entity_out
from api.responses import JSONBody
from kb import queries
from kb.store import Store

router = APIRouter(tags=["programmes and statistics"])


@router.get("/programmes/{node_id}/measures", response_model=ProgrammeMeasures, response_class=JSONBody,
            summary="A programme's measures in order, with responsible bodies (lead first), deadlines, "
                    "funding per year and totals per year")
async def programme_measures(
    node_id: str = Path(..., examples=["programme:programme-qazaqstan-respublikasynda-dini-senim-bostandyghyn-q-2007-2009-2da4d8"]),
    store: Store = Depends(get_store),
) -> JSONBody:
    out = await run_read(store, queries.programme_measures, store, node_id)
    return JSONBody({
        "programme": entity_out(out["programme"]),
        "measures": [{"measure": entity_out(m["measure"]), "bodies": m["bodies"], "funding": m["funding"]}
                     for m in out["measures"]],
        "totals": out["totals"],
    })


@router.get("/observations", response_model=list[ObservationSeries], response_class=JSONBody,
            summary="Statistics as time series: one per metric, subject and region, points in date order")
async def observations(
    metric: str | None = Query(None, examples=["religious_associations"]),
    subject: str | None = Query(None, description="What is counted (an entity id)", examples=["confession:islam"]),
    region: str | None = Query(None, examples=["region:kz"]),
    date_from: str | None = Query(None, alias="from", description="ISO date or year; compared as text",
                                  examples=["1990"]),
    date_to: str | None = Query(None, alias="to", examples=["2010"]),
    store: Store = Depends(get_store),
) -> JSONBody:
    return JSONBody(await run_read(store, queries.observations, store, metric=metric, subject=subject, region=region,
                                   date_from=date_from, date_to=date_to))


@router.get("/observations/metrics", response_model=list[Metric], response_class=JSONBody,
            summary="The metrics observed, with counts and date ranges")
async def metrics(store: Store = Depends(get_store)) -> JSONBody:
    return JSONBody(await run_read(store, queries.observation_metrics, store))
