"""The application's read queries: one Cypher dialect that Neo4j 5 and the embedded store both run.

Functions take a `Store` and return plain values; the API and the views only call these.
Labels and lengths are interpolated only from the schema or validated integers;
everything else is a parameter.
"""
from __future__ import annotations

from typing import Any, Literal

from kb.schema import NODE_TYPES, REL_TYPES, Source, label_of
from kb.store import Store
from kb.text import ascii_key, fold

Direction = Literal["both", "out", "in"]
MAX_DEPTH = 3
MAX_PATH_LENGTH = 8


class NotFound(LookupError):
    """No entity has this id."""


def _label(node_id: str) -> str:
    try:
        return label_of(node_id)
    except ValueError as exc:
        raise NotFound(str(exc)) from None


def _check_filters(labels: list[str] | None, types: list[str] | None) -> None:
    for label in labels or []:
        if label not in NODE_TYPES:
            raise ValueError(f"unknown label {label!r}; known: {', '.join(sorted(NODE_TYPES))}")
    for t in types or []:
        if t not in REL_TYPES:
            raise ValueError(f"unknown relationship type {t!r}; known: {', '.join(sorted(REL_TYPES))}")


def _arrow(direction: Direction, rel: str) -> str:
    return {"out": f"-[{rel}]->", "in": f"<-[{rel}]-", "both": f"-[{rel}]-"}[direction]


def entity(store: Store, node_id: str) -> dict[str, Any]:
    rows = store.rows(f"MATCH (n:{_label(node_id)} {{id: $id}}) RETURN n", {"id": node_id})
    if not rows:
        raise NotFound(f"no entity with id {node_id!r}")
    return rows[0]["n"]


def entities(store: Store, label: str, *, limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    _check_filters([label], None)
    total = store.rows(f"MATCH (n:{label}) RETURN count(n) AS c")[0]["c"]
    rows = store.rows(
        f"MATCH (n:{label}) RETURN n ORDER BY n.id SKIP $offset LIMIT $limit", {"offset": offset, "limit": limit}
    )
    return [r["n"] for r in rows], total


SEARCH = """
MATCH (n)
WHERE ($label IS NULL OR $label IN labels(n))
  AND any(k IN coalesce(n.search_keys, []) WHERE any(q IN $keys WHERE k CONTAINS q))
WITH n,
     CASE WHEN any(q IN $keys WHERE q IN n.search_keys) THEN 3
          WHEN any(k IN n.search_keys WHERE any(q IN $keys WHERE k STARTS WITH q)) THEN 2
          ELSE 1 END AS score
RETURN n, score ORDER BY score DESC, size(n.name), n.id LIMIT $limit
"""


def search(store: Store, q: str, *, label: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Names, aliases and transliterations containing the query; exact > prefix > substring."""
    if label:
        _check_filters([label], None)
    keys = sorted({k for k in (fold(q), ascii_key(q)) if k})
    if not keys:
        raise ValueError("empty search query")
    rows = store.rows(SEARCH, {"keys": keys, "label": label, "limit": limit})
    return [{"node": r["n"], "score": r["score"]} for r in rows]


def neighbours(
    store: Store,
    node_id: str,
    *,
    depth: int = 1,
    labels: list[str] | None = None,
    types: list[str] | None = None,
    direction: Direction = "both",
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """Nodes within `depth` hops (paged, ordered by id) and the relationships among them and the centre."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_DEPTH}")
    _check_filters(labels, types)
    centre = entity(store, node_id)
    pattern = _arrow(direction, f"rs*1..{depth}")
    match = (
        f"MATCH (c:{_label(node_id)} {{id: $id}}){pattern}(m) "
        "WHERE m.id <> $id AND ($types IS NULL OR all(r IN rs WHERE type(r) IN $types)) "
        "AND ($labels IS NULL OR any(l IN labels(m) WHERE l IN $labels)) "
    )
    params = {"id": node_id, "types": types, "labels": labels, "offset": offset, "limit": limit}
    total = store.rows(match + "RETURN count(DISTINCT m) AS c", params)[0]["c"]
    page = store.rows(match + "WITH DISTINCT m RETURN m ORDER BY m.id SKIP $offset LIMIT $limit", params)
    nodes = [r["m"] for r in page]
    ids = [node_id] + [n["id"] for n in nodes]
    return {
        "centre": centre,
        "nodes": nodes,
        "relationships": relationships_among(store, ids, types),
        "total": total,
        "omitted": max(0, total - offset - len(nodes)),
    }


def relationships_among(store: Store, ids: list[str], types: list[str] | None = None) -> list[dict[str, Any]]:
    """Every relationship whose two ends are both in `ids` (the induced subgraph's edges)."""
    _check_filters(None, types)
    rows = store.rows(
        "UNWIND $ids AS i MATCH (a {id: i})-[r]->(b) "
        "WHERE b.id IN $ids AND ($types IS NULL OR type(r) IN $types) "
        "RETURN a.id AS src, type(r) AS type, b.id AS dst, r AS rel ORDER BY src, type, dst",
        {"ids": ids, "types": types},
    )
    return [{"type": r["type"], "start": r["src"], "end": r["dst"], "properties": r["rel"]["properties"]} for r in rows]


def subgraph(store: Store, ids: list[str]) -> dict[str, Any]:
    rows = store.rows("UNWIND $ids AS i MATCH (n {id: i}) RETURN n ORDER BY n.id", {"ids": ids})
    nodes = [r["n"] for r in rows]
    return {"nodes": nodes, "relationships": relationships_among(store, [n["id"] for n in nodes])}


def shortest_path(store: Store, source: str, target: str, *, max_length: int = 4) -> dict[str, Any] | None:
    if not 1 <= max_length <= MAX_PATH_LENGTH:
        raise ValueError(f"max_length must be between 1 and {MAX_PATH_LENGTH}")
    entity(store, source), entity(store, target)
    rows = store.rows(
        f"MATCH (a:{_label(source)} {{id: $a}}), (b:{_label(target)} {{id: $b}}) "
        f"MATCH p = shortestPath((a)-[*..{max_length}]-(b)) RETURN p",
        {"a": source, "b": target},
    )
    return rows[0]["p"] if rows else None


def stats(store: Store) -> dict[str, Any]:
    labels = store.rows("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count ORDER BY label")
    rels = store.rows("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count ORDER BY type")
    return {
        "nodes": {r["label"]: r["count"] for r in labels},
        "relationships": {r["type"]: r["count"] for r in rels},
    }


def provenance(store: Store, node_id: str) -> dict[str, Any]:
    """Where an entity came from: its sources and every mention with its quote."""
    node = entity(store, node_id)
    mentions = store.rows(
        f"MATCH (d:Document)-[m:MENTIONS]->(n:{_label(node_id)} {{id: $id}}) "
        "RETURN d.id AS doc, d.name AS document, m.span_start AS start, m.span_end AS end, "
        "m.raw_start AS raw_start, m.raw_end AS raw_end, "
        "m.quote AS quote, m.method AS method ORDER BY doc, start",
        {"id": node_id},
    )
    return {
        "id": node_id,
        "sources": [Source.decode(s).model_dump(exclude_none=True) for s in node["properties"].get("sources", [])],
        "mentions": mentions,
    }


PROGRAMME_MEASURES = """
MATCH (p:Programme {id: $id})<-[:PART_OF]-(m:Measure)
OPTIONAL MATCH (b)-[r:RESPONSIBLE_FOR]->(m)
WITH p, m, collect(CASE WHEN b IS NULL THEN NULL ELSE {id: b.id, name: b.name, labels: labels(b), lead: coalesce(r.lead, false)} END) AS bodies
RETURN m AS measure, bodies ORDER BY m.number
"""


def programme_measures(store: Store, programme_id: str) -> dict[str, Any]:
    """A programme's measures in order, each with its responsible bodies (lead first) and funding per
    year; with totals per year, so a reader can check them against the programme's stated budget."""
    programme = entity(store, programme_id)
    if "Programme" not in programme["labels"]:
        raise ValueError(f"{programme_id} is not a programme")
    measures, totals = [], {}
    for row in store.rows(PROGRAMME_MEASURES, {"id": programme_id}):
        props = row["measure"]["properties"]
        funding = dict(zip(props.get("funding_years") or [], props.get("funding_amounts") or []))
        for year, amount in funding.items():
            totals[year] = round(totals.get(year, 0.0) + amount, 6)
        bodies = sorted((b for b in row["bodies"] if b), key=lambda b: (not b["lead"], b["id"]))
        measures.append({"measure": row["measure"], "bodies": bodies, "funding": funding})
    return {"programme": programme, "measures": measures, "totals": dict(sorted(totals.items()))}


OBSERVATIONS = """
MATCH (o:Observation)
WHERE ($metric IS NULL OR o.metric = $metric)
  AND ($from IS NULL OR coalesce(o.date, o.period_end, o.period_start) >= $from)
  AND ($to IS NULL OR coalesce(o.date, o.period_start, o.period_end) <= $to)
OPTIONAL MATCH (o)-[:ABOUT]->(s)
OPTIONAL MATCH (o)-[:IN]->(r:Region)
WITH o, s, r
WHERE ($subject IS NULL OR s.id = $subject) AND ($region IS NULL OR r.id = $region)
RETURN o, s.id AS subject, s.name AS subject_name, r.id AS region
ORDER BY o.metric, subject, coalesce(o.date, o.period_end, o.period_start)
"""


def observations(store: Store, *, metric: str | None = None, subject: str | None = None, region: str | None = None,
                 date_from: str | None = None, date_to: str | None = None) -> list[dict[str, Any]]:
    """Observations as time series: one per (metric, subject, region), points in date order."""
    rows = store.rows(OBSERVATIONS, {"metric": metric, "subject": subject, "region": region,
                                     "from": date_from, "to": date_to})
    series: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        o = r["o"]["properties"]
        key = (o["metric"], r["subject"], r["region"])
        s = series.setdefault(key, {"metric": o["metric"], "subject": r["subject"], "subject_name": r["subject_name"],
                                    "region": r["region"], "points": []})
        s["points"].append({"id": o["id"], "date": o.get("date"), "period_start": o.get("period_start"),
                            "period_end": o.get("period_end"), "value": o["value"], "unit": o.get("unit"),
                            "qualifier": o.get("qualifier")})
    return list(series.values())
