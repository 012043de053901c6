"""Write statements derived from the schema: batched `UNWIND $rows`, idempotent `MERGE` on `id`.

Every write belongs to one document (a text, a registry file, a reference file):
its sources on a node or relationship are replaced, other documents' are kept.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import islice
from typing import Iterable, Iterator, Sequence, TypeVar

from kb.schema import Entity, Relation, doc_source_prefix, label_of
from kb.store import Statement

BATCH_SIZE = 5000
T = TypeVar("T")

_KEEP_OTHER_SOURCES = "[s IN coalesce({v}.sources, []) WHERE NOT s STARTS WITH $prefix] + row.sources"


def _chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def node_statements(nodes: Iterable[Entity], doc_id: str, batch_size: int = BATCH_SIZE,
                    *, authoritative: bool = True) -> list[Statement]:
    """Upserts. An authoritative source (reference data, a registry) sets the properties it has;
    a document only fills a new node's properties and adds aliases, so a text never renames
    what reference data named."""
    by_label: dict[str, list[dict]] = defaultdict(list)
    for node in nodes:
        props = node.store_properties()
        sources = props.pop("sources")
        by_label[type(node).__name__].append({"id": node.id, "props": props, "sources": sources})
    statements = []
    for label, rows in sorted(by_label.items()):
        set_props = "SET n += row.props," if authoritative else (
            "ON CREATE SET n += row.props "
            "SET n.aliases = coalesce(n.aliases, []) + [a IN coalesce(row.props.aliases, []) "
            "WHERE NOT a IN coalesce(n.aliases, [])],"
        )
        query = (
            f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) "
            f"{set_props} n.sources = {_KEEP_OTHER_SOURCES.format(v='n')}"
        )
        for chunk in _chunks(rows, batch_size):
            statements.append(Statement(query, {"rows": chunk, "prefix": doc_source_prefix(doc_id)}))
    return statements


def relation_statements(rels: Iterable[Relation], doc_id: str, batch_size: int = BATCH_SIZE) -> list[Statement]:
    groups: dict[tuple[str, str, str, tuple[str, ...]], list[dict]] = defaultdict(list)
    for rel in rels:
        props = rel.store_properties()
        sources = props.pop("sources")
        key = {k: props.pop(k) for k in rel.key}
        groups[(rel.rel_type, label_of(rel.start), label_of(rel.end), rel.key)].append(
            {"src": rel.start, "dst": rel.end, "key": key, "props": props, "sources": sources}
        )
    statements = []
    for (rtype, start_label, end_label, key_names), rows in sorted(groups.items()):
        key_map = ", ".join(f"{k}: row.key.{k}" for k in key_names)
        query = (
            f"UNWIND $rows AS row "
            f"MATCH (a:{start_label} {{id: row.src}}) MATCH (b:{end_label} {{id: row.dst}}) "
            f"MERGE (a)-[r:{rtype}{' {' + key_map + '}' if key_map else ''}]->(b) "
            f"SET r += row.props, r.sources = {_KEEP_OTHER_SOURCES.format(v='r')}"
        )
        for chunk in _chunks(rows, batch_size):
            statements.append(Statement(query, {"rows": chunk, "prefix": doc_source_prefix(doc_id)}))
    return statements


def retract_document(doc_id: str) -> list[Statement]:
    """Take back everything `doc_id` said: its mentions, its sources, and the facts
    no other document supports any more. The Document node itself stays."""
    p = {"prefix": doc_source_prefix(doc_id), "doc": doc_id}
    strip = "[s IN {v}.sources WHERE NOT s STARTS WITH $prefix]"
    return [
        Statement("MATCH (d:Document {id: $doc})-[m:MENTIONS]->() DELETE m", p),
        Statement(
            "MATCH ()-[r]->() WHERE any(s IN coalesce(r.sources, []) WHERE s STARTS WITH $prefix) "
            f"SET r.sources = {strip.format(v='r')}",
            p,
        ),
        Statement("MATCH ()-[r]->() WHERE r.sources = [] DELETE r", p),
        Statement(
            "MATCH (n) WHERE any(s IN coalesce(n.sources, []) WHERE s STARTS WITH $prefix) "
            f"SET n.sources = {strip.format(v='n')}",
            p,
        ),
        Statement("MATCH (n) WHERE n.sources = [] AND NOT n:Document DETACH DELETE n", p),
    ]
