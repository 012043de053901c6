"""Interactive views (self-contained HTML that works offline; see viz/). Errors as problem+json like every route."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from api.deps import get_store
from kb import queries
from kb.store import Store

router = APIRouter(tags=["views"])
Lang = Literal["en", "kk", "ru"]
LANG = Query("en", description="Language of names and page text (kk, ru, en); falls back to the recorded name")
YEAR = Query(None, ge=1000, le=3000, description="Year selected when the page opens (the page has a year slider)")


@router.get("/views/neighbourhood/{node_id}", response_class=HTMLResponse,
            summary="Interactive neighbourhood view (works offline)")
def neighbourhood_view(
    node_id: str,
    depth: int = Query(1, ge=1, le=queries.MAX_DEPTH),
    label: list[str] | None = Query(None),
    type: list[str] | None = Query(None),
    limit: int = Query(10_000, ge=1, le=50_000, description="Neighbours fetched; beyond 2,000 drawn, leaves are grouped"),
    lang: Lang = LANG,
    store: Store = Depends(get_store),
) -> HTMLResponse:
    from viz.views import neighbourhood_html

    return HTMLResponse(neighbourhood_html(store, node_id, depth=depth, labels=label, types=type, lang=lang, limit=limit))


@router.get("/views/programme/{programme_id}", response_class=HTMLResponse,
            summary="Programme map: measures by direction, responsible bodies, funding (works offline)")
def programme_view(programme_id: str, lang: Lang = LANG, year: int | None = YEAR,
                   store: Store = Depends(get_store)) -> HTMLResponse:
    from viz.views import programme_map_html

    return HTMLResponse(programme_map_html(store, programme_id, lang=lang, year=year))


@router.get("/views/confessions", response_class=HTMLResponse,
            summary="Confession landscape: confessions, associations, regions, sized by observed counts (works offline)")
def confessions_view(lang: Lang = LANG, year: int | None = YEAR,
                     metric: str = Query("religious_associations", description="Observation metric that sizes nodes"),
                     store: Store = Depends(get_store)) -> HTMLResponse:
    from viz.views import confession_landscape_html

    return HTMLResponse(confession_landscape_html(store, lang=lang, year=year, metric=metric))


@router.get("/views/path", response_class=HTMLResponse, summary="Shortest path between two entities (works offline)")
def path_view(
    source: str = Query(..., alias="from", examples=["association:kz-almaty-central-mosque"]),
    target: str = Query(..., alias="to", examples=["statebody:kz-ministry-of-justice"]),
    max_length: int = Query(4, ge=1, le=queries.MAX_PATH_LENGTH),
    lang: Lang = LANG,
    store: Store = Depends(get_store),
) -> HTMLResponse:
    from viz.views import path_html

    return HTMLResponse(path_html(store, source, target, lang=lang, max_length=max_length))


@router.get("/views/structure", response_class=HTMLResponse,
            summary="Councils and bodies: attached to, part of, member of (works offline)")
def structure_view(root: str | None = Query(None, description="Only what is above and below this entity"),
                   lang: Lang = LANG, year: int | None = YEAR, store: Store = Depends(get_store)) -> HTMLResponse:
    from viz.views import structure_html

    return HTMLResponse(structure_html(store, root, lang=lang, year=year))
