"""The store interface: run parameterised Cypher, get plain rows back.

Both stores return values in one shape:
- a node is ``{"id": <stable id>, "labels": [...], "properties": {...}}``
- a relationship is ``{"type": T, "start": <stable id>, "end": <stable id>, "properties": {...}}``
- a path is ``{"nodes": [node, ...], "relationships": [rel, ...]}``
"""
from __future__ import annotations

import abc
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence


class StoreError(Exception):
    """Anything the store refused or could not do; the message says what and where."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or opened (down, locked by another process, not writable)."""


class QuerySyntaxError(StoreError):
    """The Cypher text does not parse or refers to unknown names."""


class ReadOnlyViolation(StoreError):
    """A write was attempted through a read-only path."""


class QueryTimeout(StoreError):
    """The query ran past its time limit and was stopped."""


class ConstraintViolation(StoreError):
    """A write broke a schema constraint (e.g. a duplicate id); nothing of it was kept."""


@dataclass(frozen=True)
class Statement:
    query: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Capabilities:
    """What a store's server can do where Bolt servers differ: the ONE place code asks.

    Neo4j 5 and the embedded store have every capability. FalkorDB (the Bolt server the
    tests run against) speaks Bolt but has no constraint DDL (uniqueness is enforced by
    MERGE on an index), index DDL without names or `IF NOT EXISTS`, no rollback, no
    `elementId()`, no `MATCH p = shortestPath(...)` and no plans over Bolt; and its Bolt listener
    pastes string parameters into the query text, so a `'` in a value breaks the query unless the
    store escapes it (measured: `\\` and `\'` escaped round-trip every string).
    """

    server: str = "neo4j"
    constraint_ddl: bool = True        # CREATE CONSTRAINT ... REQUIRE n.id IS UNIQUE
    named_index_ddl: bool = True       # CREATE INDEX name IF NOT EXISTS FOR (n:L) ON (n.p)
    rollback: bool = True              # a failed transaction leaves nothing
    element_id: bool = True            # elementId(n)
    shortest_path_match: bool = True   # MATCH p = shortestPath((a)-[*..k]-(b))
    explain: bool = True               # EXPLAIN / PROFILE return a plan
    splices_string_params: bool = False  # pastes string parameters into the query text between quotes


FALKORDB = Capabilities(server="falkordb", constraint_ddl=False, named_index_ddl=False, rollback=False,
                        element_id=False, shortest_path_match=False, explain=False, splices_string_params=True)

_INDEX_DDL = re.compile(
    r"^CREATE\s+(?:CONSTRAINT|INDEX)\s+\w+\s+IF\s+NOT\s+EXISTS\s+FOR\s+\(n:(\w+)\)\s+"
    r"(?:REQUIRE\s+n\.(\w+)\s+IS\s+UNIQUE|ON\s+\(n\.(\w+)\))\s*$", re.IGNORECASE)


def indexed_properties(statements: Iterable[str]) -> list[tuple[str, str]]:
    """(label, property) of each schema statement (`kb.constraints` forms); a uniqueness
    constraint counts as an index on its property. Raises ValueError on any other form."""
    out = []
    for ddl in statements:
        m = _INDEX_DDL.match(ddl.strip())
        if not m:
            raise ValueError(f"cannot adapt schema statement: {ddl}")
        out.append((m.group(1), m.group(2) or m.group(3)))
    return out


@dataclass
class ReadResult:
    rows: list[dict[str, Any]]
    truncated: bool = False


class Store(abc.ABC):
    """A graph store. Thin on purpose: Cypher in, plain rows out."""

    name: str
    capabilities: Capabilities = Capabilities()

    @abc.abstractmethod
    def read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_s: float | None = None,
        row_limit: int | None = None,
    ) -> ReadResult:
        """Run a query in read-only mode; rows beyond `row_limit` are dropped and flagged."""

    @abc.abstractmethod
    def write(self, statements: Sequence[Statement]) -> None:
        """Run all statements in one transaction: all of them land, or none."""

    @abc.abstractmethod
    def run_schema(self, statements: Iterable[str]) -> None:
        """Run schema DDL (constraints, indexes), each on its own."""

    def apply_schema(self, statements: Iterable[str]) -> None:
        """Make the schema hold (idempotent): `run_schema` where the server takes the DDL as written;
        a store whose server lacks some of it (see `Capabilities`) adapts it here."""
        self.run_schema(statements)

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailable if the store cannot answer."""

    def checkpoint(self) -> None:  # noqa: B027 - only stores with a local log need it
        """Make committed writes visible to other processes' read-only opens."""

    def close(self) -> None:  # noqa: B027 - optional for stores with nothing to release
        pass

    def rows(self, query: str, params: dict[str, Any] | None = None, **kw: Any) -> list[dict[str, Any]]:
        return self.read(query, params, **kw).rows

    def counts(self, **kw: Any) -> tuple[int, int]:
        """Nodes and relationships: two queries, each answered from the store's counts (joined
        in one, kglite scans). Caches use them to notice writes made elsewhere."""
        return (self.rows("MATCH (n) RETURN count(n) AS c", **kw)[0]["c"],
                self.rows("MATCH ()-[r]->() RETURN count(r) AS c", **kw)[0]["c"])

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
