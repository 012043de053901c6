"""One entry point for every kind of input: pick the reader, load each file in its own transaction.

A file that fails is reported and skipped; the files before and after it still load.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Literal

from ingest.errors import InputError
from ingest.load import Extraction, LoadReport, UnknownEntities, ensure_schema, load
from kb.store import Store

Kind = Literal["reference", "registry", "documents", "graph"]
FileProgress = Callable[[Path, int, int], None]  # (file, lines done, lines in the file)


@dataclass
class Outcome:
    path: Path
    report: LoadReport | None = None
    error: str | None = None
    rejected_rows: list[str] = field(default_factory=list)
    timings: Any = None  # graph files: ingest.bulk.ChunkTimes

    @property
    def ok(self) -> bool:
        return self.error is None and not self.rejected_rows


@dataclass
class KnownNames:
    """What matching and resolution know of the graph's names: the gazetteer (every name) and
    resolution's index (match keys per label, read as labels are needed). Built once and kept up
    to date by the loads that use them: across the files of a run, and across runs for a process
    that ingests again and again (the API's uploads; at 100k nodes a build costs seconds).
    Trusted while the store's counts are the ones seen after the last update; another writer's
    changes make the next file rebuild them."""
    gazetteer: Any = None
    index: Any = None
    counts: tuple[int, int] | None = None

    def for_store(self, store: Store) -> tuple[Any, Any]:
        from ingest.documents import gazetteer_from
        from ingest.resolve import NameIndex

        if self.gazetteer is None or self.counts != store.counts():
            self.gazetteer, self.index = gazetteer_from(store), NameIndex()
            self.counts = store.counts()
        return self.gazetteer, self.index

    def update(self, store: Store, ex: Extraction, report: LoadReport) -> None:
        """After `ex` loaded: add the names its entities have in the store now (a new one's, an
        existing one's merged aliases). A new version of a document can delete entities (its
        retraction): then the next file rebuilds."""
        from ingest.documents import GAZETTEER_LABELS
        from ingest.resolve import NAMES_OF

        if self.gazetteer is None or report.status == "unchanged":
            return
        if report.status == "updated":
            self.gazetteer = self.index = None
            return
        wanted = set(GAZETTEER_LABELS) | self.index.labels
        ids = [n.id for n in ex.nodes if type(n).__name__ in wanted]
        for label, group in _by_label(ids).items():
            for r in store.rows(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id, {NAMES_OF}",
                                {"ids": group}):
                if label in GAZETTEER_LABELS:
                    for name in r["names"]:
                        self.gazetteer.add(name, r["id"])
                if label in self.index.labels:
                    self.index.add(label, r["id"], r["names"])
        self.counts = store.counts()


def _extractor(kind: Kind, store: Store, names: KnownNames) -> tuple[Callable[[Path], tuple[Extraction, list[str]]],
                                                                     Callable[[Extraction, LoadReport], None]]:
    """How to read a file of this kind, and what to do once one is loaded."""
    if kind == "reference":
        from ingest.reference import read_reference

        return (lambda path: (read_reference(path), [])), _nothing
    if kind == "registry":
        from ingest.registry import read_registry

        return (lambda path: read_registry(path, store)), _nothing
    from ingest.documents import extract_document

    def extract(path: Path) -> tuple[Extraction, list[str]]:
        if (unchanged := _unchanged_document(store, path)) is not None:
            return unchanged, []
        gazetteer, index = names.for_store(store)
        return extract_document(path, gazetteer, store, index)[0], []

    return extract, lambda ex, report: names.update(store, ex, report)


def _nothing(ex: Extraction, report: LoadReport) -> None:
    pass


def _unchanged_document(store: Store, path: Path) -> Extraction | None:
    """A document whose text the store already holds, found before any extraction (which at a
    million nodes needs every name in the graph): an Extraction of just its Document node, which
    `load` reports as unchanged exactly as it would after extracting."""
    from ingest.prepare import document_id
    from ingest.read import read_text
    from kb.schema import Document

    doc_id = document_id(path)
    found = store.rows("MATCH (d:Document {id: $id}) RETURN d.content_hash AS h, d.name AS name", {"id": doc_id})
    if not found or not found[0]["h"]:
        return None
    raw = read_text(path)
    if raw.content_hash != found[0]["h"]:
        return None
    return Extraction(document=Document(id=doc_id, name=found[0]["name"] or doc_id, content_hash=raw.content_hash))


def _by_label(ids: list[str]) -> dict[str, list[str]]:
    from kb.schema import label_of

    out: dict[str, list[str]] = {}
    for i in ids:
        out.setdefault(label_of(i), []).append(i)
    return out


def ingest(store: Store, kind: Kind, paths: list[Path], *, progress: FileProgress | None = None,
           chunk_lines: int | None = None, names: KnownNames | None = None) -> Iterator[Outcome]:
    """Load `paths` one by one, yielding what happened to each. Graph files (APOC JSON lines, see
    `ingest.bulk`) load in resumable chunks of `chunk_lines` lines, reporting `progress` after each.
    Documents are matched against `names` (a process that ingests again and again keeps one)."""
    ensure_schema(store)
    if kind == "graph":
        yield from _ingest_graph(store, paths, progress, chunk_lines)
        return
    extract, loaded = _extractor(kind, store, names or KnownNames())
    for path in paths:
        try:
            extraction, rejected = extract(path)
            report = load(store, extraction)
            loaded(extraction, report)
            store.checkpoint()
        except (InputError, UnknownEntities) as exc:
            yield Outcome(path, error=str(exc))
        else:
            yield Outcome(path, report=report, rejected_rows=rejected)


def _ingest_graph(store: Store, paths: list[Path], progress: FileProgress | None,
                  chunk_lines: int | None) -> Iterator[Outcome]:
    from ingest.bulk import CHUNK_LINES, load_graph

    for path in paths:
        report = (lambda done, total, path=path: progress(path, done, total)) if progress else None
        try:
            result = load_graph(store, path, chunk_lines=chunk_lines or CHUNK_LINES, progress=report)
            store.checkpoint()
        except InputError as exc:
            yield Outcome(path, error=str(exc))
        else:
            yield Outcome(path, report=result.report, rejected_rows=result.rejected, timings=result.times)
