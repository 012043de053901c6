"""Bulk loading of a graph file (APOC JSON lines) in resumable chunks.

The input is what `kb export --format json` writes, one record a line:

    {"type": "node", "id": "event:x", "labels": ["Event"], "properties": {"name": "...", ...}}
    {"type": "relationship", "label": "LOCATED_IN", "start": {"id": "event:x"}, "end": {"id": "region:kz"},
     "properties": {...}}

A graph file is one document (`doc:graph-<stem>`): every node and relationship it states is
validated against `kb.schema` and gets the source `{doc, line, method}`; `search_keys` are
derived again and `sources` in the input are replaced by the file's own (a faithful copy of an
export is `kb migrate --from FILE.jsonl`). Nodes must come before the relationships that use
them, or already be in the graph; a line that fails is reported as `file:line: reason` and the
others load.

Resumable: the file loads in chunks of `chunk_lines` lines, each chunk ONE transaction that also
records progress on the file's Document node (`load_hash` = the file's sha256, `load_next` = the
next chunk, `load_chunk_lines`). A load that stops anywhere (error, SIGKILL, power) restarts at the first chunk not
committed: writes are MERGEs by id whose sources are replaced per document, so nothing is
duplicated, and every committed chunk is in the store's log, so nothing is lost. The last chunk
sets `content_hash` and clears the progress marks: a finished file is `unchanged` next time. A
file that changed since the interrupted load starts over (what the partial load said is retracted
in the first chunk's transaction, as for any new version).
"""
from __future__ import annotations

import hashlib
import queue
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import ValidationError

try:  # 4x faster parsing of the input lines; the standard library when it is not installed
    from orjson import JSONDecodeError as _JSONError, loads as _loads
except ImportError:  # pragma: no cover
    from json import JSONDecodeError as _JSONError, loads as _loads

from ingest.errors import InputError, describe
from ingest.load import LoadReport
from kb.schema import NODE_TYPES, Document, Entity, Source, doc_source_prefix, label_of, node_type, rel_type
from kb.store import Statement, Store
from kb.text import search_keys, slugify
from kb.writes import (
    BATCH_SIZE, RelGroup, node_create_statements, node_row_statements, node_statements, relation_row,
    relation_row_statements,
    retract_document,
)

_PREFIX = {label: cls.prefix for label, cls in NODE_TYPES.items()}
CHUNK_LINES = 20_000
METHOD = "manual"
PREFETCH = 2  # chunks parsed ahead of the one being written (parsing runs while the store writes)

Progress = Callable[[int, int], None]  # (lines done, lines in the file)


@dataclass
class ChunkTimes:
    """Where a load's time went (seconds), for `kb bench` and the profile."""

    parse: float = 0.0      # json + schema validation + store properties
    check: float = 0.0      # looking up endpoints that are not in the file
    write: float = 0.0      # the store's transactions
    chunks: int = 0
    skipped_chunks: int = 0
    per_chunk: list[tuple[int, int, float]] = field(default_factory=list)  # (nodes, relationships, seconds)


@dataclass
class GraphLoad:
    report: LoadReport
    rejected: list[str] = field(default_factory=list)
    times: ChunkTimes = field(default_factory=ChunkTimes)


def graph_doc_id(path: Path) -> str:
    return f"doc:graph-{slugify(path.stem, 80)}"


def file_sha256(path: Path) -> tuple[str, int]:
    """The file's sha256 and its number of lines, read in blocks (files can be gigabytes)."""
    h, lines, last = hashlib.sha256(), 0, b"\n"
    with path.open("rb") as f:
        while block := f.read(1 << 22):
            h.update(block)
            lines += block.count(b"\n")
            last = block[-1:]
    return h.hexdigest(), lines + (last != b"\n")


def _chunks(path: Path, size: int, count: int) -> Iterator[list[tuple[int, bytes]]]:
    """Exactly `count` chunks of physical lines 1..size, size+1..2*size, ...: a chunk's index means
    the same lines on every run. Blank lines are left out."""
    chunk: list[tuple[int, bytes]] = []
    index = 0
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            while number > (index + 1) * size:
                yield chunk
                chunk, index = [], index + 1
            if line.strip():
                chunk.append((number, line))
    while index < count:
        yield chunk
        chunk, index = [], index + 1


class _Parser:
    """Validates a chunk's records against the schema; keeps the ids of the file's nodes."""

    def __init__(self, path: Path, doc_id: str, method: str):
        self.path, self.doc_id = path, doc_id
        self.seen: set[str] = set()
        self.known: set[str] = set()  # endpoints found in the store
        self._source_head = doc_source_prefix(doc_id)
        self._source_tail = f',"method":"{method}","confidence":1.0}}'
        assert self.source(7) == Source(doc=doc_id, line=7, method=method).encode()

    def source(self, line: int) -> str:
        """`Source(doc, line, method).encode()`, without a model per line."""
        return f'{self._source_head}"line":{line}{self._source_tail}'

    def record(self, number: int, raw: bytes) -> dict:
        try:
            rec = _loads(raw)
        except _JSONError as exc:
            raise ValueError(f"not valid JSON: {exc}") from None
        if not isinstance(rec, dict) or rec.get("type") not in ("node", "relationship"):
            raise ValueError('expected an object with "type": "node" or "relationship"')
        return rec

    def node(self, number: int, rec: dict) -> Entity:
        labels = rec.get("labels") or []
        if len(labels) != 1:
            raise ValueError(f"a node has exactly one label; found {labels}")
        props = dict(rec.get("properties") or {})
        props.pop("search_keys", None)  # derived from the names
        props.pop("sources", None)      # the file is the source
        node_id = rec.get("id", props.get("id"))
        if props.setdefault("id", node_id) != node_id:
            raise ValueError(f"id {node_id!r} differs from properties.id {props['id']!r}")
        node = node_type(labels[0]).model_validate(props)
        if node.id in self.seen:
            raise ValueError(f"duplicate id {node.id}")
        return node

    def relation(self, number: int, rec: dict) -> tuple[RelGroup, dict]:
        """The write row of a relationship line (validated by the schema's model)."""
        props = dict(rec.get("properties") or {})
        props.pop("sources", None)
        start, end = (rec.get(k) or {} for k in ("start", "end"))
        src, dst = start.get("id"), end.get("id")
        if not isinstance(src, str) or not isinstance(dst, str):
            raise ValueError("a relationship needs start.id and end.id")
        name = rec.get("label") or ""
        if props:
            return relation_row(rel_type(name).model_validate({**props, "start": src, "end": dst}),
                                [self.source(number)])
        # No properties: what validation gives depends only on the type and the end labels.
        try:
            group, template = _bare_relation(name, label_of(src), label_of(dst))
        except ValidationError:  # say it with the real ids
            rel_type(name).model_validate({"start": src, "end": dst})
            raise
        return group, {"src": src, "dst": dst, "key": template["key"], "props": template["props"],
                       "sources": [self.source(number)]}

    def chunk(self, lines: list[tuple[int, bytes]], errors: list[tuple[int, str]]
              ) -> tuple[dict[str, list[dict]], list[tuple[int, RelGroup, dict]]]:
        """Node rows by label and relationship rows with their lines, ready for `kb.writes`."""
        nodes: dict[str, list[dict]] = defaultdict(list)
        rels: list[tuple[int, RelGroup, dict]] = []
        for number, raw in lines:
            try:
                rec = self.record(number, raw)
                if rec["type"] == "node":
                    node = self.node(number, rec)
                    self.seen.add(node.id)
                    nodes[type(node).__name__].append(bulk_node_row(node, [self.source(number)]))
                else:
                    rels.append((number, *self.relation(number, rec)))
            except (ValidationError, ValueError, TypeError) as exc:
                errors.append((number, describe(exc)))
        return nodes, rels

    def ids_only(self, lines: list[tuple[int, bytes]]) -> None:
        """For a chunk committed by an earlier run: only remember its nodes' ids."""
        for _, raw in lines:
            try:
                rec = _loads(raw)
            except _JSONError:
                continue
            if isinstance(rec, dict) and rec.get("type") == "node":
                node_id = rec.get("id") or (rec.get("properties") or {}).get("id")
                if isinstance(node_id, str):
                    self.seen.add(node_id)


@lru_cache(maxsize=1 << 17)
def _name_keys(name: str) -> frozenset[str]:
    return frozenset(search_keys([name]))


def bulk_node_row(node: Entity, sources: list[str]) -> dict:
    """`kb.writes.node_row(node, sources)`, with each name's search keys computed once per load
    (names repeat: thousands of "Мечеть «Нур»", of "разъяснительная встреча")."""
    props = node.model_dump(exclude_none=True, exclude={"sources"})
    props["search_keys"] = sorted(frozenset().union(*map(_name_keys, node.all_names())))
    return {"id": node.id, "props": props, "sources": sources}


@lru_cache(maxsize=1024)
def _bare_relation(name: str, start_label: str, end_label: str) -> tuple[RelGroup, dict]:
    """Validate a relationship with no properties once per (type, start label, end label)."""
    sample = {"start": f"{_PREFIX[start_label]}:x", "end": f"{_PREFIX[end_label]}:x"}
    return relation_row(rel_type(name).model_validate(sample), [])


def _present(store: Store, ids: list[str]) -> set[str]:
    """Which of `ids` are nodes in the store (looked up through each label's id index)."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        try:
            by_label[label_of(i)].append(i)
        except ValueError:
            continue
    found: set[str] = set()
    for label, group in by_label.items():
        for k in range(0, len(group), BATCH_SIZE):
            rows = store.rows(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id",
                              {"ids": group[k:k + BATCH_SIZE]})
            found.update(r["id"] for r in rows)
    return found


def _state(store: Store, doc_id: str) -> dict[str, Any] | None:
    rows = store.rows("MATCH (d:Document {id: $id}) RETURN d.content_hash AS hash, d.load_hash AS load_hash, "
                      "d.load_next AS load_next, d.load_chunk_lines AS load_chunk_lines", {"id": doc_id})
    return rows[0] if rows else None


@dataclass
class _Prepared:
    index: int
    node_rows: dict[str, list[dict]]   # nodes already in the store: MERGE
    new_rows: dict[str, list[dict]]    # nodes not in the store: CREATE
    rel_rows: dict[RelGroup, list[dict]]
    errors: list[str]
    parse_s: float
    check_s: float


def load_graph(store: Store, path: Path, *, chunk_lines: int = CHUNK_LINES, method: str = METHOD,
               progress: Progress | None = None, reapply: bool = False) -> GraphLoad:
    """Load one graph file (see the module doc). `reapply` runs every chunk again over an unchanged,
    finished file (MERGE over what is there: for measuring idempotent re-loads).

    A thread parses and validates the next chunks while the store writes the current one (the
    embedded store releases the GIL while it writes); chunks are written in order, one
    transaction each."""
    if not path.exists():
        raise InputError(str(path), "no such file")
    digest, total = file_sha256(path)
    if total == 0:
        raise InputError(str(path), "empty file")
    doc_id = graph_doc_id(path)
    state = _state(store, doc_id)
    times = ChunkTimes()
    if state and state["hash"] == digest and not state["load_hash"] and not reapply:
        if progress:
            progress(total, total)
        return GraphLoad(LoadReport(doc_id, "unchanged"), times=times)
    resume_at = state["load_next"] if state and state["load_hash"] == digest and state["load_next"] else 0
    if resume_at:  # the chunks are the interrupted run's
        chunk_lines = state["load_chunk_lines"] or chunk_lines
    fresh = resume_at == 0 and not reapply
    status = ("resumed" if resume_at else "updated" if state and not reapply
              else "reapplied" if reapply else "new")
    doc = Document(id=doc_id, name=f"Graph {path.name}", kind="graph", origin=path.name,
                   content_hash=digest if reapply else "")
    count = -(-total // chunk_lines)
    parser = _Parser(path, doc_id, method)
    create = store.capabilities.constraint_ddl  # CREATE absent nodes only where a race cannot duplicate
    prepared: queue.Queue[_Prepared | BaseException | None] = queue.Queue(maxsize=PREFETCH)
    stop = threading.Event()

    def produce() -> None:
        try:
            for index, lines in enumerate(_chunks(path, chunk_lines, count)):
                if stop.is_set():
                    return
                if index < resume_at:
                    parser.ids_only(lines)
                    continue
                prepared.put(_prepare(store, parser, index, lines, create))
            prepared.put(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the writing thread
            prepared.put(exc)

    producer = threading.Thread(target=produce, name=f"parse {path.name}", daemon=True)
    producer.start()
    errors: list[str] = []
    nodes_loaded = rels_loaded = 0
    times.skipped_chunks = resume_at
    if progress and resume_at:
        progress(min(total, resume_at * chunk_lines), total)
    try:
        while (item := prepared.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            t0 = time.perf_counter()
            statements: list[Statement] = []
            if item.index == resume_at and fresh:
                if state:
                    statements += retract_document(doc_id)
                statements += node_statements([doc], doc_id)
            statements += node_create_statements(item.new_rows)
            statements += node_row_statements(item.node_rows, doc_id)
            statements += relation_row_statements(item.rel_rows, doc_id)
            statements.append(_progress_statement(doc_id, digest, item.index, count - 1, chunk_lines))
            store.write(statements)
            write_s = time.perf_counter() - t0
            chunk_nodes = sum(map(len, item.node_rows.values())) + sum(map(len, item.new_rows.values()))
            chunk_rels = sum(map(len, item.rel_rows.values()))
            errors += item.errors
            times.parse += item.parse_s
            times.check += item.check_s
            times.write += write_s
            times.chunks += 1
            times.per_chunk.append((chunk_nodes, chunk_rels, write_s))
            nodes_loaded += chunk_nodes
            rels_loaded += chunk_rels
            if progress:
                progress(min(total, (item.index + 1) * chunk_lines), total)
    finally:
        stop.set()
        while producer.is_alive():  # unblock a producer waiting on a full queue
            try:
                prepared.get(timeout=0.05)
            except queue.Empty:
                pass
    summary = {"chunks": times.chunks, **({"chunks already loaded": resume_at} if resume_at else {})}
    return GraphLoad(LoadReport(doc_id, status, nodes_loaded, rels_loaded, summary=summary), errors, times)


def _prepare(store: Store, parser: _Parser, index: int, lines: list[tuple[int, bytes]], create: bool) -> _Prepared:
    """Parse and validate one chunk; split its nodes into those already in the store (MERGE) and
    new ones (CREATE, when `create`); keep the relationships whose ends exist (in the file so far,
    or in the store).

    Runs ahead of the writes, which is sound: the chunks being written meanwhile hold other ids
    (an id twice in a file is rejected), and a retraction they make can only remove nodes, which
    the MERGE of a node found here recreates."""
    t0 = time.perf_counter()
    errors: list[tuple[int, str]] = []
    node_rows, rels = parser.chunk(lines, errors)
    t1 = time.perf_counter()
    new_rows: dict[str, list[dict]] = {}
    if create:
        present = _present(store, [row["id"] for rows in node_rows.values() for row in rows])
        for label in list(node_rows):
            fresh = [row for row in node_rows[label] if row["id"] not in present]
            if fresh:
                new_rows[label] = fresh
                node_rows[label] = [row for row in node_rows[label] if row["id"] in present]
    wanted = sorted({row[k] for _, _, row in rels for k in ("src", "dst")} - parser.seen - parser.known)
    if wanted:
        parser.known |= _present(store, wanted)
    rel_rows: dict[RelGroup, list[dict]] = defaultdict(list)
    for number, group, row in rels:
        missing = [i for i in (row["src"], row["dst"]) if i not in parser.seen and i not in parser.known]
        if missing:
            errors.append((number, f"unknown entity {', '.join(missing)} "
                                   "(nodes must come before the relationships that use them)"))
        else:
            rel_rows[group].append(row)
    return _Prepared(index, node_rows, new_rows, rel_rows, [f"{parser.path}:{n}: {e}" for n, e in sorted(errors)],
                     t1 - t0, time.perf_counter() - t1)


def _progress_statement(doc_id: str, digest: str, index: int, last: int, chunk_lines: int) -> Statement:
    """Where the load is, written in the chunk's own transaction; the last chunk marks the file done."""
    if index < last:
        return Statement("MATCH (d:Document {id: $id}) SET d.load_hash = $hash, d.load_next = $next, "
                         "d.load_chunk_lines = $lines", {"id": doc_id, "hash": digest, "next": index + 1,
                                                         "lines": chunk_lines})
    return Statement("MATCH (d:Document {id: $id}) SET d.content_hash = $hash, d.load_hash = null, "
                     "d.load_next = null, d.load_chunk_lines = null", {"id": doc_id, "hash": digest})
