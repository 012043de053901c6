"""Read queries the views need that `kb.queries` does not have (same dialect: Neo4j 5 and the embedded store).

The views also use `kb.queries` directly: `neighbours`, `shortest_path`, `subgraph` (the programme map's
nodes and relationships), `programme_measures`, `observations`, `nodes_by_id`, `entity`. Labels and types
are interpolated only from constants here; everything else is a parameter.
"""
from __future__ import annotations

from typing import Any

from kb.queries import entity, nodes_by_id, observations
from kb.store import Store

STRUCTURE_TYPES = ("PART_OF", "ATTACHED_TO", "MEMBER_OF", "HOLDS_POSITION")
STRUCTURE_LABELS = ("StateBody", "Council", "ReligiousAssociation", "Person")
LANDSCAPE_METRIC = "religious_associations"
MAX_STRUCTURE_HOPS = 8


def _rel(row: dict[str, Any]) -> dict[str, Any]:
    return {"type": row["type"], "start": row["src"], "end": row["dst"], "properties": row["rel"]["properties"]}


LANDSCAPE_CONFESSIONS = "MATCH (c:Confession) RETURN c ORDER BY c.id"
LANDSCAPE_SUBTYPES = """
MATCH (a:Confession)-[r:SUBTYPE_OF]->(b:Confession)
RETURN a.id AS src, type(r) AS type, b.id AS dst, r AS rel ORDER BY src, dst
"""
LANDSCAPE_ASSOCIATIONS = "MATCH (a:ReligiousAssociation) RETURN a ORDER BY a.id"
LANDSCAPE_ASSOCIATION_LINKS = """
MATCH (a:ReligiousAssociation)-[r:BELONGS_TO|LOCATED_IN|PART_OF]->(b)
WHERE b:Confession OR b:Region OR b:ReligiousAssociation
RETURN a.id AS src, type(r) AS type, b.id AS dst, r AS rel ORDER BY src, type, dst
"""
REGION_HIERARCHY = """
MATCH (a:Region)-[r:PART_OF]->(b:Region)
RETURN a.id AS src, type(r) AS type, b.id AS dst, r AS rel ORDER BY src, dst
"""


def confession_landscape(store: Store, *, metric: str = LANDSCAPE_METRIC) -> dict[str, Any]:
    """Confessions (with their SUBTYPE_OF tree), every association with what it belongs to, where it is and
    what it is part of, the regions involved (with the regions above them), and the `metric` observations
    about confessions and regions as time series, with the observation nodes (for their sources)."""
    confessions = [r["c"] for r in store.rows(LANDSCAPE_CONFESSIONS)]
    associations = [r["a"] for r in store.rows(LANDSCAPE_ASSOCIATIONS)]
    rels = [_rel(r) for r in store.rows(LANDSCAPE_SUBTYPES)]
    rels += [_rel(r) for r in store.rows(LANDSCAPE_ASSOCIATION_LINKS)]
    series = [s for s in observations(store, metric=metric)
              if s["subject"] and s["subject"].split(":", 1)[0] in ("confession", "region", "association")]
    region_ids = {r["end"] for r in rels if r["type"] == "LOCATED_IN"}
    region_ids |= {s["region"] for s in series if s["region"]}
    region_ids |= {s["subject"] for s in series if s["subject"].startswith("region:")}
    hierarchy = [_rel(r) for r in store.rows(REGION_HIERARCHY)]
    up: dict[str, list[str]] = {}
    for r in hierarchy:
        up.setdefault(r["start"], []).append(r["end"])
    frontier = list(region_ids)
    while frontier:  # the regions above the ones involved, so the map shows where they are
        nxt = [p for v in frontier for p in up.get(v, []) if p not in region_ids]
        region_ids.update(nxt)
        frontier = nxt
    rels += [r for r in hierarchy if r["start"] in region_ids and r["end"] in region_ids]
    found = nodes_by_id(store, sorted(region_ids))
    regions = [found[i] for i in sorted(found)]
    obs_ids = [p["id"] for s in series for p in s["points"]]
    return {
        "confessions": confessions,
        "associations": associations,
        "regions": regions,
        "relationships": rels,
        "series": series,
        "observation_nodes": nodes_by_id(store, obs_ids),
    }


STRUCTURE = f"""
MATCH (a)-[r:{'|'.join(STRUCTURE_TYPES)}]->(b)
WHERE ({' OR '.join(f'a:{lab}' for lab in STRUCTURE_LABELS)})
  AND ({' OR '.join(f'b:{lab}' for lab in STRUCTURE_LABELS)})
RETURN a, b, a.id AS src, type(r) AS type, b.id AS dst, r AS rel ORDER BY src, type, dst
"""


def structure(store: Store, *, root: str | None = None, hops: int = MAX_STRUCTURE_HOPS) -> dict[str, Any]:
    """Who is attached to, part of, member of or holds a position in what, among state bodies, councils,
    associations and people. With `root`: only what is above it (what it is part of / attached to,
    transitively) and below it (what is part of / attached to it), within `hops`."""
    nodes: dict[str, dict] = {}
    rels: list[dict] = []
    for row in store.rows(STRUCTURE):
        nodes.setdefault(row["src"], row["a"])
        nodes.setdefault(row["dst"], row["b"])
        rels.append(_rel(row))
    if root is None:
        return {"root": None, "nodes": list(nodes.values()), "relationships": rels}
    root_node = entity(store, root)
    up: dict[str, set[str]] = {}
    down: dict[str, set[str]] = {}
    for r in rels:
        up.setdefault(r["start"], set()).add(r["end"])
        down.setdefault(r["end"], set()).add(r["start"])
    keep = {root}
    for links in (up, down):
        frontier, seen = {root}, {root}
        for _ in range(hops):
            frontier = {w for v in frontier for w in links.get(v, ()) if w not in seen}
            if not frontier:
                break
            seen |= frontier
        keep |= seen
    nodes.setdefault(root, root_node)
    return {
        "root": root_node,
        "nodes": [nodes[i] for i in sorted(keep)],
        "relationships": [r for r in rels if r["start"] in keep and r["end"] in keep],
    }
