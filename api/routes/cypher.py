from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import get_settings, get_store
from api.models import CypherRequest, CypherResult
from kb.readonly import check_read_only
from kb.settings import Settings
from kb.store import Store

router = APIRouter(tags=["cypher"])


@router.post("/cypher", response_model=CypherResult,
             summary="Run a read-only, parameterised Cypher query (time- and row-limited)")
def run_cypher(req: CypherRequest, store: Store = Depends(get_store), settings: Settings = Depends(get_settings)) -> dict:
    check_read_only(req.query)
    result = store.read(req.query, req.params, timeout_s=settings.cypher_timeout_s, row_limit=settings.cypher_row_cap)
    columns = list(result.rows[0]) if result.rows else []
    return {"columns": columns, "rows": result.rows, "truncated": result.truncated}
