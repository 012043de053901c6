"""The embedded default store: kglite, a Rust-core Cypher graph in a local file.

Durability, as measured (tests/test_store_durability.py):
- every committed write transaction is appended to a write-ahead log
  (`graph.kgl-wal`, durable="normal"): a process killed with SIGKILL between
  checkpoints loses nothing it committed; the log is replayed on the next open.
- `close()` folds the log into the checkpoint `graph.kgl` (atomic rename).
- one process writes at a time: a second writer is refused at open with the
  holder's pid. Read-only opens take no lease and see the last checkpoint,
  so writers checkpoint after every `write()`.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any, Iterable, Sequence

import kglite

from kb.store.base import (
    ConstraintViolation,
    QuerySyntaxError,
    QueryTimeout,
    ReadOnlyViolation,
    ReadResult,
    Statement,
    Store,
    StoreError,
    StoreUnavailable,
)

log = logging.getLogger(__name__)

GRAPH_FILE = "graph.kgl"
# kglite adds these to every node's property map; the schema never defines them.
ENGINE_NODE_KEYS = frozenset({"title", "type"})
DEFAULT_TIMEOUT_S = 30.0

kglite.set_query_warning_policy("silent")  # truncation is reported through ReadResult instead


def _translate(exc: Exception, query: str) -> StoreError:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, kglite.ReadOnlyError):
        return ReadOnlyViolation(f"read-only: {text}")
    if isinstance(exc, kglite.CypherTimeoutError):
        return QueryTimeout(f"query stopped at its time limit: {text}")
    if isinstance(exc, kglite.ConstraintViolationError):
        return ConstraintViolation(text)
    if isinstance(exc, (kglite.CypherSyntaxError, kglite.SchemaError, kglite.CypherTypeMismatchError)):
        return QuerySyntaxError(str(exc))
    if isinstance(exc, kglite.FileIoError):
        return StoreUnavailable(text)
    return StoreError(f"{type(exc).__name__}: {text}")


class EmbeddedStore(Store):
    name = "embedded"

    def __init__(self, data_dir: str | Path, *, read_only: bool = False):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / GRAPH_FILE
        self.read_only = read_only
        self._write_lock = threading.Lock()
        self._owns_lease = False
        self._session = self._open()

    def _open(self) -> Any:
        """Writers take the lease (and replay the log). Read-only opens take it too when it is
        free, so they see every committed write; when a writer holds it they read its last checkpoint."""
        if self.read_only and not self.path.exists():
            raise StoreUnavailable(
                f"no knowledge base at {self.path}: run `kb ingest reference` first (or set KB_DATA_DIR)"
            )
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create data directory {self.data_dir}: {exc.strerror}") from exc
        if not os.access(self.data_dir, os.W_OK):
            if self.read_only:
                return self._open_snapshot()
            raise StoreUnavailable(f"data directory {self.data_dir} is not writable")
        try:
            self._owns_lease = True
            return kglite.open_session(str(self.path), durable="normal")
        except kglite.WriterLeaseHeldError as exc:
            if self.read_only:
                return self._open_snapshot()
            raise StoreUnavailable(
                f"{self.path} is open for writing by another process (pid {exc.holder.get('pid')}), "
                "e.g. a running `kb serve`: stop it, or send documents through the API's ingest route"
            ) from exc
        except (OSError, kglite.KgError) as exc:
            raise StoreUnavailable(f"cannot open {self.path}: {exc}") from exc

    def _open_snapshot(self) -> Any:
        self._owns_lease = False
        try:
            return kglite.open_session(str(self.path))
        except Exception as exc:  # noqa: BLE001 - any engine error means "cannot open"
            raise StoreUnavailable(f"cannot read {self.path}: {exc}") from exc

    # -- reads ---------------------------------------------------------------
    def read(self, query, params=None, *, timeout_s=None, row_limit=None) -> ReadResult:
        timeout_ms = int((timeout_s or DEFAULT_TIMEOUT_S) * 1000)
        try:
            view = self._session.cypher(
                query, params=params or {}, timeout_ms=timeout_ms,
                row_limit=None if row_limit is None else row_limit,
            )
            rows = [_row(row) for row in view]
            truncated = row_limit is not None and ((view.diagnostics or {}).get("total_rows") or 0) > row_limit
        except kglite.KgError as exc:
            raise _translate(exc, query) from exc
        return ReadResult(rows=rows, truncated=truncated)

    # -- writes --------------------------------------------------------------
    def write(self, statements: Sequence[Statement]) -> None:
        if self.read_only:
            raise ReadOnlyViolation(f"{self.path} was opened read-only")
        with self._write_lock:
            tx = self._session.begin()
            try:
                for st in statements:
                    tx.cypher(st.query, params=st.params)
                tx.commit()
            except kglite.KgError as exc:
                if tx.active:
                    tx.rollback()
                raise _translate(exc, "") from exc
            except BaseException:
                if tx.active:
                    tx.rollback()
                raise

    def run_schema(self, statements: Iterable[str]) -> None:
        if self.read_only:
            raise ReadOnlyViolation(f"{self.path} was opened read-only")
        with self._write_lock:
            for ddl in statements:
                try:
                    self._session.execute(ddl)
                except kglite.KgError as exc:
                    raise _translate(exc, ddl) from exc

    def checkpoint(self) -> None:
        """Fold the log into the checkpoint, so read-only openers see the latest writes."""
        if self._owns_lease:
            with self._write_lock:
                self._session.save()

    def ping(self) -> None:
        try:
            self._session.cypher("RETURN 1 AS ok")
        except kglite.KgError as exc:
            raise StoreUnavailable(f"embedded store at {self.path} does not answer: {exc}") from exc

    def close(self) -> None:
        if self._session is None:
            return
        try:
            if self._owns_lease:
                self._session.close()  # folds the log into the checkpoint
        finally:
            self._session = None


def _node(v: dict) -> dict:
    props = {k: x for k, x in v["properties"].items() if k not in ENGINE_NODE_KEYS}
    return {"id": props.get("id"), "labels": list(v["labels"]), "properties": props}


def _is_node(v: Any) -> bool:
    return isinstance(v, dict) and v.keys() == {"id", "labels", "properties"}


def _is_rel(v: Any) -> bool:
    return isinstance(v, dict) and v.keys() == {"id", "start", "end", "type", "properties"}


def _row(row: dict[str, Any]) -> dict[str, Any]:
    """kglite names a relationship's ends by engine-internal numbers, resolvable only through the
    nodes of the same row: a relationship returned without its end nodes gets `start`/`end` None
    (the application's queries return the ends' ids alongside, e.g. `a.id AS src`)."""
    ids: dict[int, str] = {}

    def collect(v: Any) -> None:
        if _is_node(v):
            ids[v["id"]] = v["properties"].get("id")
        elif isinstance(v, dict):
            for x in v.values():
                collect(x)
        elif isinstance(v, list):
            for x in v:
                collect(x)

    collect(list(row.values()))
    return {k: _value(v, ids) for k, v in row.items()}


def _value(v: Any, ids: dict[int, str]) -> Any:
    """Turn kglite's node/relationship/path dicts into the store-neutral shape."""
    if _is_node(v):
        return _node(v)
    if _is_rel(v):
        return {
            "type": v["type"],
            "start": ids.get(v["start"]),
            "end": ids.get(v["end"]),
            "properties": {k: x for k, x in v["properties"].items() if k != "type"},
        }
    if isinstance(v, dict) and v.keys() == {"nodes", "relationships"}:
        return {"nodes": [_node(n) for n in v["nodes"]], "relationships": [_value(r, ids) for r in v["relationships"]]}
    if isinstance(v, list):
        return [_value(x, ids) for x in v]
    if isinstance(v, dict):
        return {k: _value(x, ids) for k, x in v.items()}
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v
