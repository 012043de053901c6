from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Iterator, Literal

import orjson
from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from api.deps import get_store
from kb import export
from kb.store import Store

router = APIRouter(tags=["export"])


def _lines(store: Store) -> Iterator[bytes]:
    for line in export.apoc_lines(store):
        yield orjson.dumps(line, option=orjson.OPT_SORT_KEYS) + b"\n"


@router.get("/export", summary="The whole graph: APOC JSON lines (streamed), GraphML, or neo4j-admin CSVs (zip)",
            response_class=StreamingResponse,
            responses={200: {"content": {"application/x-ndjson": {}, "application/graphml+xml": {},
                                         "application/zip": {}},
                             "description": "json: one node or relationship per line, as `kb export --format json`"}})
def export_graph(
    format: Literal["json", "graphml", "csv"] = Query("json"),
    store: Store = Depends(get_store),
):
    if format == "json":
        return StreamingResponse(_lines(store), media_type="application/x-ndjson",
                                 headers={"Content-Disposition": 'attachment; filename="graph.jsonl"'})
    tmp = Path(tempfile.mkdtemp(prefix="kb-export-"))
    cleanup = BackgroundTask(shutil.rmtree, tmp, ignore_errors=True)
    try:
        if format == "graphml":
            out = tmp / "graph.graphml"
            export.write_graphml(store, out)
            return FileResponse(out, media_type="application/graphml+xml", filename="graph.graphml", background=cleanup)
        export.write_csv(store, tmp / "csv")
        out = tmp / "graph-csv.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted((tmp / "csv").iterdir()):
                z.write(f, f.name)
        return FileResponse(out, media_type="application/zip", filename="graph-csv.zip", background=cleanup)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
