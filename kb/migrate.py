"""Copy a knowledge base from one store to another, and prove the copy is whole.

    kb migrate --to neo4j://host:7687                    the configured (embedded) store into Neo4j
    kb migrate --from neo4j://host:7687 --to embedded    back (into KB_DATA_DIR, or --to DIR)
    kb migrate --from graph.jsonl --to ...               an export (`kb export --format json`) as it was

Nodes are copied label by label and relationships type by type, in batched transactions (UNWIND
rows), read from the source in pages keyed by id, so memory stays flat whatever the size. The
target gets the schema's constraints and indexes first. Into an empty target, nodes are CREATEd
(the target's uniqueness constraints make a concurrent duplicate an error); otherwise MERGEd by
id, so a copy that stopped half-way is finished by running it again with `--resume`.

Then both sides are fingerprinted: per label the number of nodes and the sha256 of their sorted
ids, per relationship type the number and the sha256 of their sorted `src|TYPE|dst[@key]` ids
(`--deep`: of every property too). The copy is verified when the fingerprints are equal.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

from kb.constraints import schema_statements
from kb.schema import NODE_TYPES, identity_keys, relationship_id
from kb.store import Statement, Store
from kb.writes import node_create_statements

BATCH = 5000
READ_TIMEOUT_S = 600.0
BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")

Progress = Callable[[str, int], None]  # (what, how many more)


class MigrateError(Exception):
    """The copy cannot start or did not verify; the message says why."""


# ---- reading a source ---------------------------------------------------------------------

NodeBatch = tuple[str, list[dict]]                         # label, [{"id", "properties"}]
RelKey = tuple[str, str, str]                              # type, start label, end label
RelBatch = tuple[RelKey, list[dict]]                       # [{"src", "dst", "properties"}]


class Source(Protocol):
    def labels(self) -> list[str]: ...
    def node_batches(self, batch: int) -> Iterator[NodeBatch]: ...
    def relationship_batches(self, batch: int) -> Iterator[RelBatch]: ...
    def counts(self) -> tuple[int, int]: ...


class StoreSource:
    """A store read in pages keyed by id (the label's id index answers `n.id > $after`)."""

    def __init__(self, store: Store):
        self.store = store

    def _rows(self, query: str, params: dict | None = None) -> list[dict]:
        return self.store.rows(query, params or {}, timeout_s=READ_TIMEOUT_S)

    def labels(self) -> list[str]:
        found = {r["label"] for r in self._rows("MATCH (n) UNWIND labels(n) AS label RETURN DISTINCT label")}
        return [label for label in NODE_TYPES if label in found] + sorted(found - set(NODE_TYPES))

    def counts(self) -> tuple[int, int]:
        return self.store.counts(timeout_s=READ_TIMEOUT_S)

    def id_pages(self, label: str, batch: int) -> Iterator[list[str]]:
        after = ""
        while True:
            ids = [r["id"] for r in self._rows(
                f"MATCH (n:{label}) WHERE n.id > $after RETURN n.id AS id ORDER BY id LIMIT $n",
                {"after": after, "n": batch})]
            if not ids:
                return
            yield ids
            after = ids[-1]

    def node_batches(self, batch: int) -> Iterator[NodeBatch]:
        for label in self.labels():
            after = ""
            while True:
                rows = self._rows(f"MATCH (n:{label}) WHERE n.id > $after RETURN n ORDER BY n.id LIMIT $n",
                                  {"after": after, "n": batch})
                if not rows:
                    break
                yield label, [{"id": r["n"]["id"], "properties": r["n"]["properties"]} for r in rows]
                after = rows[-1]["n"]["id"]

    def relationship_batches(self, batch: int) -> Iterator[RelBatch]:
        for label in self.labels():
            for ids in self.id_pages(label, batch):
                rows = self._rows(
                    f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})-[r]->(b) "
                    "RETURN a.id AS src, type(r) AS type, labels(b) AS dst_labels, b.id AS dst, r AS rel",
                    {"ids": ids})
                groups: dict[RelKey, list[dict]] = defaultdict(list)
                for r in rows:
                    groups[(r["type"], label, sorted(r["dst_labels"])[0])].append(
                        {"src": r["src"], "dst": r["dst"], "properties": r["rel"]["properties"]})
                yield from groups.items()


class JsonlSource:
    """An APOC JSON-lines export (`kb export --format json`): nodes first, then relationships."""

    def __init__(self, path: Path):
        self.path = path

    def _records(self) -> Iterator[dict]:
        with self.path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise MigrateError(f"{self.path}:{number}: not valid JSON: {exc.msg}") from None

    def labels(self) -> list[str]:
        found = {r["labels"][0] for r in self._records() if r.get("type") == "node"}
        return [label for label in NODE_TYPES if label in found] + sorted(found - set(NODE_TYPES))

    def counts(self) -> tuple[int, int]:
        c = {"node": 0, "relationship": 0}
        for r in self._records():
            c[r.get("type")] = c.get(r.get("type"), 0) + 1
        return c["node"], c["relationship"]

    def node_batches(self, batch: int) -> Iterator[NodeBatch]:
        buffers: dict[str, list[dict]] = defaultdict(list)
        for r in self._records():
            if r.get("type") != "node":
                continue
            label = r["labels"][0]
            buffers[label].append({"id": r["id"], "properties": r["properties"]})
            if len(buffers[label]) >= batch:
                yield label, buffers.pop(label)
        yield from buffers.items()

    def relationship_batches(self, batch: int) -> Iterator[RelBatch]:
        buffers: dict[RelKey, list[dict]] = defaultdict(list)
        for r in self._records():
            if r.get("type") != "relationship":
                continue
            key = (r["label"], r["start"]["labels"][0], r["end"]["labels"][0])
            buffers[key].append({"src": r["start"]["id"], "dst": r["end"]["id"], "properties": r["properties"]})
            if len(buffers[key]) >= batch:
                yield key, buffers.pop(key)
        yield from buffers.items()


# ---- fingerprints -------------------------------------------------------------------------

@dataclass
class Fingerprint:
    nodes: dict[str, tuple[int, str]] = field(default_factory=dict)          # label -> (count, sha256)
    relationships: dict[str, tuple[int, str]] = field(default_factory=dict)  # type -> (count, sha256)

    def differences(self, other: "Fingerprint") -> list[str]:
        out = []
        for kind, mine, theirs in (("label", self.nodes, other.nodes),
                                   ("relationship type", self.relationships, other.relationships)):
            for name in sorted(set(mine) | set(theirs)):
                a, b = mine.get(name, (0, "")), theirs.get(name, (0, ""))
                if a[0] != b[0]:
                    out.append(f"{kind} {name}: {a[0]} in the source, {b[0]} in the target")
                elif a[1] != b[1]:
                    out.append(f"{kind} {name}: same count ({a[0]}) but different {kind.split()[0]}s")
        return out


def _digest(items: list[str]) -> str:
    h = hashlib.sha256()
    for item in sorted(items):
        h.update(item.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _canonical(ident: str, props: dict[str, Any]) -> str:
    return ident + "\t" + json.dumps(props, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def fingerprint(source: Source, *, deep: bool = False, batch: int = 50_000) -> Fingerprint:
    """Counts and sha256 of sorted ids per label and per relationship type (`deep`: ids with
    every property, canonical JSON, so a value that changed type or text shows too)."""
    nodes: dict[str, list[str]] = defaultdict(list)
    rels: dict[str, list[str]] = defaultdict(list)
    if isinstance(source, StoreSource) and not deep:
        for label in source.labels():
            for ids in source.id_pages(label, batch):
                nodes[label] += ids
    else:
        for label, rows in source.node_batches(batch):
            nodes[label] += [_canonical(r["id"], r["properties"]) if deep else r["id"] for r in rows]
    for (rtype, _, _), rows in source.relationship_batches(batch):
        for r in rows:
            ident = relationship_id(r["src"], rtype, r["dst"], r["properties"])
            rels[rtype].append(_canonical(ident, r["properties"]) if deep else ident)
    return Fingerprint({k: (len(v), _digest(v)) for k, v in nodes.items()},
                       {k: (len(v), _digest(v)) for k, v in rels.items()})


# ---- writing a target ---------------------------------------------------------------------

def node_copy_statements(label: str, rows: list[dict], *, create: bool) -> list[Statement]:
    """Nodes as they are in the source: every property, `sources` included."""
    if create:
        return node_create_statements({label: [
            {"id": r["id"], "props": {k: v for k, v in r["properties"].items() if k != "sources"},
             "sources": r["properties"].get("sources")} for r in rows]}, len(rows) or 1)
    return [Statement(f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props",
                      {"rows": [{"id": r["id"], "props": r["properties"]} for r in rows]})]


def relationship_copy_statements(key: RelKey, rows: list[dict]) -> list[Statement]:
    rtype, start_label, end_label = key
    by_keys: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for r in rows:
        by_keys[identity_keys(rtype, r["properties"])].append(r)
    statements = []
    for key_names, group in sorted(by_keys.items()):
        key_map = ", ".join(f"{k}: row.key.{k}" for k in key_names)
        query = (f"UNWIND $rows AS row MATCH (a:{start_label} {{id: row.src}}) MATCH (b:{end_label} {{id: row.dst}}) "
                 f"MERGE (a)-[r:{rtype}{' {' + key_map + '}' if key_map else ''}]->(b) SET r += row.props")
        statements.append(Statement(query, {"rows": [
            {"src": r["src"], "dst": r["dst"], "key": {k: r["properties"].get(k) for k in key_names},
             "props": {k: v for k, v in r["properties"].items() if k not in key_names}} for r in group]}))
    return statements


def is_empty(store: Store) -> bool:
    return not store.rows("MATCH (n) RETURN n.id AS id LIMIT 1")


def wipe(store: Store, batch: int = 10_000) -> None:
    """Delete everything, a batch per transaction (one transaction of millions would not fit)."""
    while not is_empty(store):
        store.write([Statement(f"MATCH (n) WITH n LIMIT {int(batch)} DETACH DELETE n")])


@dataclass
class CopyReport:
    nodes: int = 0
    relationships: int = 0
    source: Fingerprint | None = None
    target: Fingerprint | None = None
    differences: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return self.source is not None and not self.differences


def copy_graph(source: Source, target: Store, *, batch: int = BATCH, replace: bool = False, resume: bool = False,
               deep: bool = False, progress: Progress | None = None) -> CopyReport:
    """Copy everything from `source` into `target`, then compare fingerprints (see the module doc)."""
    target.apply_schema(schema_statements())
    empty = is_empty(target)
    if not empty and not (replace or resume):
        raise MigrateError("the target is not empty: pass --replace to delete what it holds first, "
                           "or --resume to finish a copy that stopped")
    if not empty and replace:
        wipe(target)
        empty = True
    create = empty and target.capabilities.constraint_ddl
    report = CopyReport()
    for label, rows in source.node_batches(batch):
        target.write(node_copy_statements(label, rows, create=create))
        report.nodes += len(rows)
        if progress:
            progress("nodes", len(rows))
    for key, rows in source.relationship_batches(batch):
        target.write(relationship_copy_statements(key, rows))
        report.relationships += len(rows)
        if progress:
            progress("relationships", len(rows))
    target.checkpoint()
    report.source = fingerprint(source, deep=deep)
    report.target = fingerprint(StoreSource(target), deep=deep)
    report.differences = report.source.differences(report.target)
    return report


# ---- where from, where to -----------------------------------------------------------------

def is_bolt_uri(spec: str) -> bool:
    return spec.split("://", 1)[0].lower() in BOLT_SCHEMES and "://" in spec


def open_target(spec: str, settings: Any, *, read_only: bool = False) -> Store:
    """`embedded` (KB_DATA_DIR), `embedded:DIR` or a directory, or a Bolt URI (neo4j://, neo4j+s://,
    bolt://; NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE from the settings)."""
    if is_bolt_uri(spec):
        from kb.store.neo4j_store import Neo4jStore

        return Neo4jStore(spec, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database)
    from kb.store.embedded import EmbeddedStore

    if spec == "embedded":
        return EmbeddedStore(settings.data_dir, read_only=read_only)
    path = spec.split(":", 1)[1] if spec.startswith("embedded:") else spec
    return EmbeddedStore(Path(path), read_only=read_only)


def describe(spec: str, settings: Any) -> str:
    if is_bolt_uri(spec):
        return spec
    if spec == "embedded":
        return f"embedded:{settings.data_dir}"
    return spec if spec.startswith("embedded:") else f"embedded:{spec}"
