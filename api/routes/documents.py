from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query

from api.deps import get_store
from api.models import DocumentFacts, entity_out
from api.responses import JSONBody
from kb import queries
from kb.store import Store

router = APIRouter(tags=["provenance"])


@router.get("/documents/{node_id}/facts", response_model=DocumentFacts, response_class=JSONBody,
            summary="Everything extracted from a document: entities and relationships citing it, and its mentions",
            description="Each of the three lists is paged by the same `limit`/`offset` and has its own `total`.")
def document_facts(
    node_id: str = Path(..., examples=["doc:001-3e82bdd0ac94ffa1"]),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000_000),
    store: Store = Depends(get_store),
) -> JSONBody:
    out = queries.document_facts(store, node_id, limit=limit, offset=offset)
    return JSONBody({
        "document": entity_out(out["document"]),
        "nodes": {"total": out["nodes"]["total"],
                  "items": [{"entity": entity_out(x["node"]), "sources": x["sources"]} for x in out["nodes"]["items"]]},
        "relationships": out["relationships"],  # sources already decoded, this document's only
        "mentions": out["mentions"],
        "offset": offset, "limit": limit,
    })
