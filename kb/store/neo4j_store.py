"""The production store: Neo4j 5 through the official driver.

`neo4j://` URIs route across a cluster or Aura; `bolt://` talks to one server.
Managed transactions (`execute_read` / `execute_write`) retry transient errors, for at most
`retry_s` (a cluster's leader election takes seconds; a stopped server should not hold a
caller for the driver's default 30 s). The driver reconnects by itself once the server is back.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import neo4j
from neo4j import GraphDatabase, READ_ACCESS, WRITE_ACCESS
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConstraintError,
    CypherSyntaxError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship

from kb.store.base import (
    FALKORDB,
    Capabilities,
    ConstraintViolation,
    QuerySyntaxError,
    QueryTimeout,
    ReadOnlyViolation,
    ReadResult,
    Statement,
    Store,
    StoreError,
    StoreUnavailable,
    indexed_properties,
)

DEFAULT_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 10.0
RETRY_S = 5.0


def _unreachable(uri: str, exc: Exception) -> StoreUnavailable:
    """One line naming the server and the root cause (the driver's own message is several lines
    of resolved addresses, or a generic GQL status)."""
    root: BaseException = exc
    while root.__cause__ is not None:
        root = root.__cause__
    reason = root.strerror if isinstance(root, OSError) and root.strerror else str(root).splitlines()[0]
    return StoreUnavailable(f"cannot connect to Neo4j at {uri}: {reason}")


def _translate(exc: Exception, uri: str) -> StoreError:
    if isinstance(exc, (ServiceUnavailable, SessionExpired, OSError)):
        return _unreachable(uri, exc)  # first: reading a driver error's `code`/`message` warns (GQL preview)
    code = getattr(exc, "code", "") or ""
    msg = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, AuthError):
        return StoreUnavailable(f"Neo4j at {uri} refused the credentials: {msg}")
    if isinstance(exc, ConstraintError) or "ConstraintValidationFailed" in code:
        return ConstraintViolation(msg)
    if isinstance(exc, CypherSyntaxError) or code.endswith(("SyntaxError", "UnknownFunction", "ParameterMissing")):
        return QuerySyntaxError(msg)
    if "TransactionTimedOut" in code or "Terminated" in code:
        return QueryTimeout(f"query stopped at its time limit: {msg}")
    if "WriteOnReadOnlyAccess" in code or "ForbiddenOnReadOnlyDatabase" in code or "AccessMode" in code:
        return ReadOnlyViolation(f"read-only: {msg}")
    return StoreError(f"{code or type(exc).__name__}: {msg}")


class Neo4jStore(Store):
    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None, *,
                 wait_for_server: bool = False, retry_s: float = RETRY_S):
        """Connects at once and raises StoreUnavailable when the server does not answer; with
        `wait_for_server` (a long-running service) it starts anyway and connects on first use."""
        self.uri = uri
        self.database = database
        self._driver = None
        self._capabilities: Capabilities | None = None
        try:
            self._driver = GraphDatabase.driver(uri, auth=(user, password), connection_timeout=CONNECT_TIMEOUT_S,
                                                connection_acquisition_timeout=CONNECT_TIMEOUT_S,
                                                max_transaction_retry_time=retry_s)
        except (neo4j.exceptions.DriverError, ValueError) as exc:  # a malformed URI or configuration
            raise StoreUnavailable(f"cannot use Neo4j at {uri}: {exc}") from exc
        try:
            self.ping()
            self._capabilities = self._detect()
        except StoreUnavailable:
            if not wait_for_server:
                self._driver.close()
                raise

    @property
    def capabilities(self) -> Capabilities:  # type: ignore[override]
        """What the server can do, learnt on the first connection (raises StoreUnavailable before it)."""
        if self._capabilities is None:
            self.ping()
            self._capabilities = self._detect()
        return self._capabilities

    def _detect(self) -> Capabilities:
        """Neo4j answers `dbms.components()`; FalkorDB (which calls itself Neo4j/5.13 in the Bolt
        handshake) does not, and answers its own `db.indexes()` instead."""
        def answers(query: str) -> bool:
            try:
                with self._session(READ_ACCESS) as session:
                    session.run(query).consume()
                return True
            except neo4j.exceptions.Neo4jError:
                return False
            except (neo4j.exceptions.DriverError, OSError) as exc:
                raise _translate(exc, self.uri) from exc

        if not answers("CALL dbms.components() YIELD name RETURN name") and \
                answers("CALL db.indexes() YIELD label RETURN label"):
            return FALKORDB
        return Capabilities()

    def _session(self, mode: str) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=mode)

    def _params(self, params: dict[str, Any] | None) -> dict[str, Any]:
        if not self.capabilities.splices_string_params:
            return params or {}
        return _escape_strings(params or {})

    def read(self, query, params=None, *, timeout_s=None, row_limit=None) -> ReadResult:
        cap = row_limit
        params = self._params(params)

        @neo4j.unit_of_work(timeout=DEFAULT_TIMEOUT_S if timeout_s is None else timeout_s)
        def work(tx: neo4j.ManagedTransaction) -> ReadResult:
            result = tx.run(query, params)
            records, truncated = [], False
            for record in result:
                if cap is not None and len(records) >= cap:
                    truncated = True
                    break
                records.append(record)
            result.consume()
            ids = _endpoint_ids(tx, records) if self.capabilities.element_id else {}
            return ReadResult(rows=[{k: _value(v, ids) for k, v in r.items()} for r in records], truncated=truncated)

        try:
            with self._session(READ_ACCESS) as session:
                return session.execute_read(work)
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise _translate(exc, self.uri) from exc

    def write(self, statements: Sequence[Statement]) -> None:
        def work(tx: neo4j.ManagedTransaction) -> None:
            for st in statements:
                tx.run(st.query, self._params(st.params)).consume()

        try:
            with self._session(WRITE_ACCESS) as session:
                session.execute_write(work)
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise _translate(exc, self.uri) from exc

    def run_schema(self, statements: Iterable[str]) -> None:
        try:
            with self._session(WRITE_ACCESS) as session:
                for ddl in statements:
                    session.run(ddl).consume()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise _translate(exc, self.uri) from exc

    def apply_schema(self, statements: Iterable[str]) -> None:
        statements = list(statements)
        if self.capabilities.constraint_ddl and self.capabilities.named_index_ddl:
            return self.run_schema(statements)
        # FalkorDB: an index per (label, property), uniqueness constraints included (MERGE on an
        # indexed id keeps ids unique); its index DDL has no IF NOT EXISTS, so skip existing ones.
        present = {(r["label"], p) for r in self.rows("CALL db.indexes() YIELD label, properties "
                                                      "RETURN label, properties") for p in r["properties"]}
        wanted = [lp for lp in dict.fromkeys(indexed_properties(statements)) if lp not in present]
        self.run_schema([f"CREATE INDEX FOR (n:{label}) ON (n.{prop})" for label, prop in wanted])

    def ping(self) -> None:
        try:
            self._driver.verify_connectivity()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise _translate(exc, self.uri) from exc

    def close(self) -> None:
        self._driver.close()


def _escape_strings(v: Any) -> Any:
    """For a server that pastes string parameters between quotes (FalkorDB): escape `\\` and `'`."""
    if isinstance(v, str):
        return v.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(v, dict):
        return {k: _escape_strings(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_escape_strings(x) for x in v]
    return v


def _node(n: Node) -> dict:
    props = dict(n.items())
    return {"id": props.get("id"), "labels": sorted(n.labels), "properties": props}


def _end_id(n: Node | None, ids: dict[str, str]) -> str | None:
    if n is None:
        return None
    return n["id"] if "id" in n else ids.get(n.element_id)


def _rel(r: Relationship, ids: dict[str, str]) -> dict:
    return {"type": r.type, "start": _end_id(r.start_node, ids), "end": _end_id(r.end_node, ids),
            "properties": dict(r.items())}


def _endpoint_ids(tx: neo4j.ManagedTransaction, records: list) -> dict[str, str]:
    """A relationship returned without its end nodes only knows their element ids: look up their `id`s."""
    missing: set[str] = set()

    def walk(v: Any) -> None:
        if isinstance(v, Relationship):
            missing.update(n.element_id for n in (v.start_node, v.end_node) if n is not None and "id" not in n)
        elif isinstance(v, Path):
            for r in v.relationships:
                walk(r)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)

    for record in records:
        walk(list(record.values()))
    if not missing:
        return {}
    rows = tx.run("MATCH (n) WHERE elementId(n) IN $e RETURN elementId(n) AS e, n.id AS id", e=sorted(missing))
    return {r["e"]: r["id"] for r in rows}


def _value(v: Any, ids: dict[str, str] | None = None) -> Any:
    ids = ids or {}
    if isinstance(v, Node):
        return _node(v)
    if isinstance(v, Relationship):
        return _rel(v, ids)
    if isinstance(v, Path):
        return {"nodes": [_node(n) for n in v.nodes], "relationships": [_rel(r, ids) for r in v.relationships]}
    if isinstance(v, list):
        return [_value(x, ids) for x in v]
    if isinstance(v, dict):
        return {k: _value(x, ids) for k, x in v.items()}
    if hasattr(v, "iso_format"):
        return v.iso_format()
    return v
