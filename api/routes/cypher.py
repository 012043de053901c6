from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

import networkx as nx
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.deps import get_settings, get_store
from api.models import CypherRequest, CypherResult
from api.responses import JSONBody, dumps
from kb.readonly import check_read_only
from kb.settings import Settings
from kb.store import QueryTimeout, ReadOnlyViolation, StoreError, StoreUnavailable, Store

router = APIRouter(tags=["cypher"])

Format = Literal["json", "csv", "graphml"]
_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "graphml": "application/graphml+xml",
}


def _is_node(v: Any) -> bool:
    return isinstance(v, dict) and v.keys() == {"id", "labels", "properties"}


def _is_rel(v: Any) -> bool:
    return isinstance(v, dict) and v.keys() == {"type", "start", "end", "properties"}


def _is_path(v: Any) -> bool:
    return isinstance(v, dict) and v.keys() == {"nodes", "relationships"}


def _cell(v: Any) -> str:
    """One CSV cell: scalars as text, a node as its id, a relationship as `start-[TYPE]->end`, the rest JSON."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float, str)):
        return str(v)
    if _is_node(v):
        return str(v["id"])
    if _is_rel(v):
        return f"{v['start']}-[{v['type']}]->{v['end']}"
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def rows_csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue()


def _safe(v: Any) -> Any:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v


def rows_graphml(rows: list[dict[str, Any]]) -> str:
    """The nodes, relationships and paths anywhere in the rows, as one GraphML graph."""
    g = nx.MultiDiGraph()

    def add(v: Any) -> None:
        if _is_node(v):
            if v["id"] is not None:
                props = {k: _safe(x) for k, x in v["properties"].items() if x is not None and k != "id"}
                g.add_node(v["id"], labels=";".join(sorted(v["labels"])), **props)
        elif _is_rel(v):
            if v["start"] is not None and v["end"] is not None:
                props = {k: _safe(x) for k, x in v["properties"].items() if x is not None}
                g.add_edge(v["start"], v["end"], type=v["type"], **props)
        elif _is_path(v):
            for x in v["nodes"] + v["relationships"]:
                add(x)
        elif isinstance(v, dict):
            for x in v.values():
                add(x)
        elif isinstance(v, list):
            for x in v:
                add(x)

    for r in rows:
        add(list(r.values()))
    if g.number_of_nodes() == 0:
        raise ValueError("the result holds no nodes, relationships or paths to write as GraphML: "
                         "return them (e.g. `RETURN n, r, m`), or ask for format=json or csv")
    return "\n".join(nx.generate_graphml(g))


@router.post("/cypher", response_model=CypherResult, response_class=JSONBody,
             summary="Run a read-only, parameterised Cypher query (time- and row-limited), as JSON, CSV or GraphML",
             responses={200: {"content": {"text/csv": {}, "application/graphml+xml": {}}}})
def run_cypher(
    req: CypherRequest,
    format: Format = Query("json", description="json (rows), csv (one column per returned name) or "
                                               "graphml (the nodes, relationships and paths returned)"),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    check_read_only(req.query)
    try:
        result = store.read(req.query, req.params, timeout_s=settings.cypher_timeout_s,
                            row_limit=settings.cypher_row_cap)
    except (StoreUnavailable, QueryTimeout, ReadOnlyViolation):
        raise
    except StoreError as exc:  # anything else the store refused is the query's fault
        raise ValueError(f"the query failed: {exc}") from exc
    except (TypeError, OverflowError, RecursionError) as exc:  # parameters the engine cannot take
        raise ValueError(f"the query or its parameters cannot be run: {exc}") from exc
    columns = list(dict.fromkeys(k for r in result.rows for k in r))
    headers = {"X-Truncated": str(result.truncated).lower()}
    if format == "csv":
        return Response(rows_csv(columns, result.rows), media_type=_FORMATS["csv"], headers=headers)
    if format == "graphml":
        return Response(rows_graphml(result.rows), media_type=_FORMATS["graphml"], headers=headers)
    return Response(dumps({"columns": columns, "rows": result.rows, "truncated": result.truncated}),
                    media_type="application/json")
