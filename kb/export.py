"""Whole-graph exports: APOC JSON lines, GraphML, and neo4j-admin import CSVs."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

from kb.schema import relationship_id
from kb.store import Store

NODES = "MATCH (n) RETURN n ORDER BY n.id"
RELATIONSHIPS = (
    "MATCH (a)-[r]->(b) RETURN a.id AS src, labels(a) AS src_labels, type(r) AS type, r AS rel, "
    "b.id AS dst, labels(b) AS dst_labels ORDER BY src, type, dst"
)


def _rel_id(row: dict[str, Any]) -> str:
    return relationship_id(row["src"], row["type"], row["dst"], row["rel"]["properties"])


def apoc_lines(store: Store) -> Iterator[dict[str, Any]]:
    for r in store.rows(NODES):
        n = r["n"]
        yield {"type": "node", "id": n["id"], "labels": sorted(n["labels"]), "properties": n["properties"]}
    rows = store.rows(RELATIONSHIPS)
    # the same order, made total: twins (two mentions in one document, one fact in two periods)
    # differ by their identity keys
    rows.sort(key=_rel_id)
    for r in rows:
        yield {
            "type": "relationship", "id": _rel_id(r), "label": r["type"],
            "start": {"id": r["src"], "labels": sorted(r["src_labels"])},
            "end": {"id": r["dst"], "labels": sorted(r["dst_labels"])},
            "properties": r["rel"]["properties"],
        }


def write_json(store: Store, out: Path) -> int:
    count = 0
    with out.open("w", encoding="utf-8") as f:
        for line in apoc_lines(store):
            f.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


def to_networkx(store: Store) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for line in apoc_lines(store):
        if line["type"] == "node":
            g.add_node(line["id"], labels=line["labels"], **line["properties"])
        else:
            g.add_edge(line["start"]["id"], line["end"]["id"], key=line["id"], type=line["label"], **line["properties"])
    return g


def _graphml_safe(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def write_graphml(store: Store, out: Path) -> int:
    g = to_networkx(store)
    for _, data in g.nodes(data=True):
        data.update({k: _graphml_safe(v) for k, v in data.items()})
    for *_, data in g.edges(keys=True, data=True):
        data.update({k: _graphml_safe(v) for k, v in data.items()})
    nx.write_graphml(g, out)
    return g.number_of_nodes() + g.number_of_edges()


def _csv_type(values: list[Any]) -> str:
    sample = next((v for v in values if v is not None), "")
    if isinstance(sample, bool):
        base = "boolean"
    elif isinstance(sample, int):
        base = "long"
    elif isinstance(sample, float):
        base = "double"
    elif isinstance(sample, list):
        inner = _csv_type([x for v in values if v for x in v]).rstrip("[]")
        return f"{inner}[]"
    else:
        base = "string"
    return base


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v).replace(";", "\\;") for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else value


def write_csv(store: Store, out_dir: Path) -> int:
    """`nodes.csv` and `relationships.csv` with neo4j-admin import headers."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = list(apoc_lines(store))
    nodes = [x for x in lines if x["type"] == "node"]
    rels = [x for x in lines if x["type"] == "relationship"]
    _write_table(out_dir / "nodes.csv", ["id:ID", ":LABEL"], nodes,
                 lambda x: [x["id"], ";".join(x["labels"])], exclude={"id"})
    _write_table(out_dir / "relationships.csv", [":START_ID", ":END_ID", ":TYPE"], rels,
                 lambda x: [x["start"]["id"], x["end"]["id"], x["label"]], exclude=set())
    return len(lines)


def _write_table(path: Path, fixed: list[str], items: list[dict], fixed_cells, exclude: set[str]) -> None:
    keys = sorted({k for x in items for k in x["properties"]} - exclude)
    types = {k: _csv_type([x["properties"].get(k) for x in items]) for k in keys}
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(fixed + [f"{k}:{types[k]}" for k in keys])
        for x in items:
            w.writerow(fixed_cells(x) + [_csv_cell(x["properties"].get(k)) for k in keys])


# ---- neo4j-admin database import: very large first loads into Neo4j ------------------------

ARRAY_DELIMITER = "\x1f"  # U+001F: never in the data (`;` is, inside quotes and sources)


def _admin_type(annotation: Any) -> str:
    """The neo4j-admin CSV type of a schema field."""
    import types
    import typing

    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _admin_type(args[0])
    if origin is list:
        return _admin_type(args[0] if args else str) + "[]"
    return {bool: "boolean", int: "long", float: "double"}.get(annotation, "string")


def _admin_columns(model: Any, extra: dict[str, str]) -> dict[str, str]:
    cols = {name: _admin_type(f.annotation) for name, f in model.model_fields.items()
            if name not in ("id", "start", "end") and not f.exclude}
    cols.update(extra)
    return cols


def _admin_cell(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if kind.endswith("[]"):
        items = value if isinstance(value, list) else [value]
        text = [str(v).lower() if isinstance(v, bool) else str(v) for v in items]
        if any(ARRAY_DELIMITER in t for t in text):
            raise ValueError(f"an array value holds the delimiter U+001F: {text}")
        return ARRAY_DELIMITER.join(text)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_neo4j_admin(store: Store, out_dir: Path, batch: int = 20_000) -> int:
    """One CSV per label (`nodes-<Label>.csv`) and per relationship type (`rels-<TYPE>.csv`) with
    neo4j-admin headers typed from the schema, streamed in pages (any size), and `import.sh` with the
    `neo4j-admin database import full` command. After the import, create the schema's constraints:
    `KB_STORE=neo4j kb cypher cypher/schema.cypher --write`. An empty list is imported as no property."""
    from kb.migrate import StoreSource
    from kb.schema import NODE_TYPES, REL_TYPES

    out_dir.mkdir(parents=True, exist_ok=True)
    source = StoreSource(store)
    files: dict[str, tuple[Any, csv.writer, dict[str, str]]] = {}
    count = 0

    def writer(name: str, fixed: list[str], cols: dict[str, str]):
        if name not in files:
            f = (out_dir / name).open("w", encoding="utf-8", newline="")
            w = csv.writer(f)
            w.writerow(fixed + [f"{k}:{t}" for k, t in cols.items()])
            files[name] = (f, w, cols)
        return files[name][1], files[name][2]

    derived = {"sources": "string[]", "search_keys": "string[]"}
    try:
        for label, rows in source.node_batches(batch):
            model = NODE_TYPES.get(label)
            cols = _admin_columns(model, derived) if model else {}
            w, cols = writer(f"nodes-{label}.csv", ["id:ID", ":LABEL"], cols)
            for r in rows:
                props = r["properties"]
                unknown = set(props) - set(cols) - {"id"}
                if unknown:
                    raise ValueError(f"{r['id']}: properties outside the schema: {sorted(unknown)}")
                w.writerow([r["id"], label] + [_admin_cell(props.get(k), t) for k, t in cols.items()])
                count += 1
        for (rtype, _, _), rows in source.relationship_batches(batch):
            model = REL_TYPES.get(rtype)
            cols = _admin_columns(model, {"sources": "string[]"}) if model else {"sources": "string[]"}
            w, cols = writer(f"rels-{rtype}.csv", [":START_ID", ":END_ID", ":TYPE"], cols)
            for r in rows:
                w.writerow([r["src"], r["dst"], rtype] + [_admin_cell(r["properties"].get(k), t) for k, t in cols.items()])
                count += 1
    finally:
        for f, _, _ in files.values():
            f.close()
    nodes = sorted(n for n in files if n.startswith("nodes-"))
    rels = sorted(n for n in files if n.startswith("rels-"))
    script = ["#!/bin/sh", "# Import into an EMPTY (or new) database, with the server stopped; then create the constraints:",
              "#   KB_STORE=neo4j NEO4J_URI=... kb cypher cypher/schema.cypher --write",
              'cd "$(dirname "$0")"',
              "neo4j-admin database import full ${1:-neo4j} --overwrite-destination=true \\",
              "  --array-delimiter=U+001F --multiline-fields=true --skip-duplicate-nodes=false \\"]
    script += [f"  --nodes={n} \\" for n in nodes] + [f"  --relationships={n} \\" for n in rels]
    script[-1] = script[-1].rstrip(" \\")
    (out_dir / "import.sh").write_text("\n".join(script) + "\n", encoding="utf-8")
    return count
