"""One entry point for every kind of input: pick the reader, load each file in its own transaction.

A file that fails is reported and skipped; the files before and after it still load.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Literal

from ingest.errors import InputError
from ingest.load import Extraction, LoadReport, UnknownEntities, ensure_schema, load
from kb.store import Store

Kind = Literal["reference", "registry", "documents"]


@dataclass
class Outcome:
    path: Path
    report: LoadReport | None = None
    error: str | None = None
    rejected_rows: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.rejected_rows


def _extractor(kind: Kind, store: Store) -> Callable[[Path], tuple[Extraction, list[str]]]:
    if kind == "reference":
        from ingest.reference import read_reference

        return lambda path: (read_reference(path), [])
    if kind == "registry":
        from ingest.registry import read_registry

        return lambda path: read_registry(path, store)
    from ingest.documents import extract_document, gazetteer_from

    # the gazetteer is read afresh for each document: what earlier documents added is known to
    # later ones, however the batch was split (a rerun after a crash gives the same graph)
    return lambda path: (extract_document(path, gazetteer_from(store), store)[0], [])


def ingest(store: Store, kind: Kind, paths: list[Path]) -> Iterator[Outcome]:
    """Load `paths` one by one, yielding what happened to each."""
    ensure_schema(store)
    extract = _extractor(kind, store)
    for path in paths:
        try:
            extraction, rejected = extract(path)
            report = load(store, extraction)
            store.checkpoint()
        except (InputError, UnknownEntities) as exc:
            yield Outcome(path, error=str(exc))
        else:
            yield Outcome(path, report=report, rejected_rows=rejected)
