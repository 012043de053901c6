"""The production store: Neo4j 5 through the official driver.

`neo4j://` URIs route across a cluster or Aura; `bolt://` talks to one server.
Managed transactions (`execute_read` / `execute_write`) retry transient errors.
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

DEFAULT_TIMEOUT_S = 30.0


def _translate(exc: Exception) -> StoreError:
    code = getattr(exc, "code", "") or ""
    msg = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, (ServiceUnavailable, SessionExpired, AuthError, OSError)):
        return StoreUnavailable(f"Neo4j is not reachable: {msg}")
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

    def __init__(self, uri: str, user: str, password: str, database: str | None = None):
        self.uri = uri
        self.database = database
        try:
            self._driver = GraphDatabase.driver(uri, auth=(user, password))
            self._driver.verify_connectivity()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError, ValueError) as exc:
            raise StoreUnavailable(f"cannot connect to Neo4j at {uri}: {exc}") from exc

    def _session(self, mode: str) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=mode)

    def read(self, query, params=None, *, timeout_s=None, row_limit=None) -> ReadResult:
        cap = row_limit

        @neo4j.unit_of_work(timeout=timeout_s or DEFAULT_TIMEOUT_S)
        def work(tx: neo4j.ManagedTransaction) -> ReadResult:
            result = tx.run(query, params or {})
            rows, truncated = [], False
            for record in result:
                if cap is not None and len(rows) >= cap:
                    truncated = True
                    break
                rows.append({k: _value(v) for k, v in record.items()})
            return ReadResult(rows=rows, truncated=truncated)

        try:
            with self._session(READ_ACCESS) as session:
                return session.execute_read(work)
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise _translate(exc) from exc

    def write(self, statements: Sequence[Statement]) -> None:
        def work(tx: neo4j.ManagedTransaction) -> None:
            for st in statements:
                tx.run(st.query, st.params).consume()

        try:
            with self._session(WRITE_ACCESS) as session:
                session.execute_write(work)
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise _translate(exc) from exc

    def run_schema(self, statements: Iterable[str]) -> None:
        try:
            with self._session(WRITE_ACCESS) as session:
                for ddl in statements:
                    session.run(ddl).consume()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise _translate(exc) from exc

    def ping(self) -> None:
        try:
            self._driver.verify_connectivity()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} does not answer: {exc}") from exc

    def close(self) -> None:
        self._driver.close()


def _node(n: Node) -> dict:
    props = dict(n.items())
    return {"id": props.get("id"), "labels": sorted(n.labels), "properties": props}


def _rel(r: Relationship) -> dict:
    return {
        "type": r.type,
        "start": r.start_node.get("id") if r.start_node is not None else None,
        "end": r.end_node.get("id") if r.end_node is not None else None,
        "properties": dict(r.items()),
    }


def _value(v: Any) -> Any:
    if isinstance(v, Node):
        return _node(v)
    if isinstance(v, Relationship):
        return _rel(v)
    if isinstance(v, Path):
        return {"nodes": [_node(n) for n in v.nodes], "relationships": [_rel(r) for r in v.relationships]}
    if isinstance(v, list):
        return [_value(x) for x in v]
    if isinstance(v, dict):
        return {k: _value(x) for k, x in v.items()}
    if hasattr(v, "iso_format"):
        return v.iso_format()
    return v
