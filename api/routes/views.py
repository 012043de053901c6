from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from api.deps import get_store
from kb import queries
from kb.store import Store

router = APIRouter(tags=["views"])


@router.get("/views/neighbourhood/{node_id}", response_class=HTMLResponse,
            summary="Interactive neighbourhood view (works offline)")
def neighbourhood_view(
    node_id: str,
    depth: int = Query(1, ge=1, le=queries.MAX_DEPTH),
    label: list[str] | None = Query(None),
    type: list[str] | None = Query(None),
    lang: Literal["en", "kk", "ru"] = "en",
    store: Store = Depends(get_store),
) -> HTMLResponse:
    from viz.views import neighbourhood_html

    return HTMLResponse(neighbourhood_html(store, node_id, depth=depth, labels=label, types=type, lang=lang))
