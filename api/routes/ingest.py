"""Ingest over HTTP: the server holds the embedded store's writer lease, so while it serves this
is the way to add documents and registries. Needs `KB_API_KEY` (see `api.deps.require_write`)."""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile

from api.deps import get_writer, keep_out_of_gc, require_write
from api.models import IngestResult
from api.responses import JSONBody
from kb import queries
from kb.store import Store

router = APIRouter(tags=["ingest"], dependencies=[Depends(require_write)])

DOCUMENT_SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".htm")
REGISTRY_SUFFIXES = (".csv", ".json")
_BAD_NAME = re.compile(r"[\x00-\x1f/\\]")


def _file_name(upload: UploadFile, suffixes: tuple[str, ...]) -> str:
    """The upload's own name (the document id derives from it), without any directory part."""
    raw = (upload.filename or "").replace("\\", "/")
    name = raw.rsplit("/", 1)[-1].strip()
    if not name or name.startswith(".") or _BAD_NAME.search(name) or len(name.encode()) > 200:
        raise HTTPException(400, f"the upload needs a plain file name (got {upload.filename!r})")
    if not name.lower().endswith(suffixes):
        raise HTTPException(415, f"{name}: expected one of {', '.join(suffixes)}")
    return name


def _ingest(request: Request, store: Store, kind: str, upload: UploadFile, suffixes: tuple[str, ...]) -> JSONBody:
    from ingest.pipeline import ingest

    name = _file_name(upload, suffixes)
    with tempfile.TemporaryDirectory(prefix="kb-upload-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        with request.app.state.ingest_lock:
            with queries.writing(request.app.state.read_store):  # answered once searchable
                outcomes = list(ingest(store, kind, [path], names=request.app.state.ingest_names))  # type: ignore[arg-type]
            keep_out_of_gc()  # the rebuilt indexes
    outcome = outcomes[0]
    if outcome.error:
        raise HTTPException(422, f"{name}: {outcome.error}")
    report = outcome.report
    return JSONBody({
        "file": name, "kind": kind, "document": report.doc_id, "status": report.status, "nodes": report.nodes,
        "relationships": report.relations, "warnings": report.warnings, "rejected_rows": outcome.rejected_rows,
        "summary": report.summary,
    })


@router.post("/ingest/document", response_model=IngestResult, response_class=JSONBody,
             summary="Upload a document (txt, pdf, docx, html): its mentions and facts are extracted and loaded",
             description="The document id derives from the file name; uploading a changed file with the same "
                         "name replaces what the old version said. Needs the API key.")
def ingest_document(request: Request, file: UploadFile = File(...), store: Store = Depends(get_writer)) -> JSONBody:
    return _ingest(request, store, "documents", file, DOCUMENT_SUFFIXES)


@router.post("/ingest/registry", response_model=IngestResult, response_class=JSONBody,
             summary="Upload a registry of associations (CSV with a header, or JSON)",
             description="Valid rows load; refused rows are listed in `rejected_rows`. Needs the API key.")
def ingest_registry(request: Request, file: UploadFile = File(...), store: Store = Depends(get_writer)) -> JSONBody:
    return _ingest(request, store, "registry", file, REGISTRY_SUFFIXES)
