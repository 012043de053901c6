"""The store interface: run parameterised Cypher, get plain rows back.

Both stores return values in one shape:
- a node is ``{"id": <stable id>, "labels": [...], "properties": {...}}``
- a relationship is ``{"type": T, "start": <stable id>, "end": <stable id>, "properties": {...}}``
- a path is ``{"nodes": [node, ...], "relationships": [rel, ...]}``
"""
from __future__ import annotations

import abc
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


@dataclass
class ReadResult:
    rows: list[dict[str, Any]]
    truncated: bool = False


class Store(abc.ABC):
    """A graph store. Thin on purpose: Cypher in, plain rows out."""

    name: str

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

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailable if the store cannot answer."""

    def checkpoint(self) -> None:  # noqa: B027 - only stores with a local log need it
        """Make committed writes visible to other processes' read-only opens."""

    def close(self) -> None:  # noqa: B027 - optional for stores with nothing to release
        pass

    def rows(self, query: str, params: dict[str, Any] | None = None, **kw: Any) -> list[dict[str, Any]]:
        return self.read(query, params, **kw).rows

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
