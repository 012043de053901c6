"""Whole-graph exports: APOC JSON lines, GraphML, and neo4j-admin import CSVs."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

from kb.store import Store

NODES = "MATCH (n) RETURN n ORDER BY n.id"
RELATIONSHIPS = (
    "MATCH (a)-[r]->(b) RETURN a.id AS src, labels(a) AS src_labels, type(r) AS type, r AS rel, "
    "b.id AS dst, labels(b) AS dst_labels ORDER BY src, type, dst"
)


def _rel_id(row: dict[str, Any]) -> str:
    """A stable id for a relationship: its ends, type, and the key that tells twins apart."""
    props = row["rel"]["properties"]
    key = f"@{props['span_start']}" if "span_start" in props else ""
    return f"{row['src']}|{row['type']}|{row['dst']}{key}"


def apoc_lines(store: Store) -> Iterator[dict[str, Any]]:
    for r in store.rows(NODES):
        n = r["n"]
        yield {"type": "node", "id": n["id"], "labels": sorted(n["labels"]), "properties": n["properties"]}
    for r in store.rows(RELATIONSHIPS):
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
