"""Where facts meet the store: one document's extraction lands in one transaction.

Re-loading the same content changes nothing; a new version of a document first
retracts what that document said, then writes what it says now. The document's
content hash is written last: on a store that cannot roll back (FalkorDB) a write
cut short leaves a document whose hash does not match, so the next run redoes it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kb.constraints import schema_statements
from kb.queries import nodes_by_id
from kb.schema import Document, Entity, Relation
from kb.store import Statement, Store
from kb.writes import node_statements, relation_statements, retract_document


@dataclass
class Extraction:
    document: Document
    nodes: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    authoritative: bool = True  # reference data and registries set properties; documents only fill them
    summary: dict[str, int] = field(default_factory=dict)  # what resolution made of it, for the report


@dataclass
class LoadReport:
    doc_id: str
    status: Literal["new", "updated", "unchanged"]
    nodes: int = 0
    relations: int = 0
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        counts = {"nodes": self.nodes, "relationships": self.relations, **self.summary}
        return f"{self.doc_id}: {self.status}, " + ", ".join(f"{v} {k}" for k, v in counts.items())


class UnknownEntities(ValueError):
    pass


def ensure_schema(store: Store) -> None:
    """Constraints and indexes before any write (idempotent; adapted to the store's capabilities)."""
    store.apply_schema(schema_statements())


def load(store: Store, ex: Extraction) -> LoadReport:
    doc = ex.document
    found = store.rows("MATCH (d:Document {id: $id}) RETURN d.content_hash AS h", {"id": doc.id})
    if found and found[0]["h"] == doc.content_hash:
        return LoadReport(doc.id, "unchanged")
    _check_endpoints(store, ex)
    statements = retract_document(doc.id) if found else []
    statements += node_statements([doc.model_copy(update={"content_hash": ""})], doc.id)
    statements += node_statements(ex.nodes, doc.id, authoritative=ex.authoritative)
    statements += relation_statements(ex.relations, doc.id)
    statements.append(Statement("MATCH (d:Document {id: $id}) SET d.content_hash = $hash",
                                {"id": doc.id, "hash": doc.content_hash}))
    store.write(statements)
    return LoadReport(doc.id, "updated" if found else "new", len(ex.nodes), len(ex.relations), ex.warnings, ex.summary)


def _check_endpoints(store: Store, ex: Extraction) -> None:
    """Every relationship must end at a node of this extraction or one already in the graph."""
    local = {ex.document.id} | {n.id for n in ex.nodes}
    wanted = sorted({i for r in ex.relations for i in (r.start, r.end)} - local)
    if not wanted:
        return
    present = nodes_by_id(store, wanted)  # label-scoped: index lookups on both stores
    missing = [i for i in wanted if i not in present]
    if missing:
        raise UnknownEntities(f"{ex.document.origin or ex.document.id}: unknown entities {', '.join(missing[:10])}"
                              + (f" and {len(missing) - 10} more" if len(missing) > 10 else ""))
