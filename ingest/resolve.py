"""Stage 6: findings become graph nodes, links become relationships, each with its source.

A finding is the same thing as a node already in the graph when the extractor says so
(`ref`), when its stable id is already there, or when exactly one node of its label has
its name's match key. Several candidates: kept apart, and listed in the report as
ambiguous, never merged silently. Nothing found: a new node.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ingest.errors import describe
from ingest.extract.base import DocText, Found, Finding
from ingest.load import Extraction
from kb.morph import match_key
from ingest.normalise import Normalised
from kb.schema import NODE_TYPES, Document, Mentions, Source, node_type, rel_type, relationship_id
from kb.store import Store
from kb.text import slugify

QUOTE_LIMIT = 600


@dataclass
class Resolution:
    new: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def stable_id(f: Finding) -> str:
    """A readable id that the same fact gets again in any document."""
    prefix, p = NODE_TYPES[f.label].prefix, f.props
    if f.label == "LegalAct" and (p.get("number") or p.get("date")):
        parts = [p.get("kind") or "act", p.get("code") or "", p.get("date") or "", p.get("number") or ""]
        return f"{prefix}:kz-" + slugify(" ".join(x for x in parts if x), 100)
    if f.label == "Programme":
        # names are long and differ late ("... programme" vs "... programme's action plan"): a digest
        # of the whole name's match key tells them apart, the same for every inflected form
        digest = hashlib.sha1(match_key(f.name).encode()).hexdigest()[:6]
        period = f"{p.get('period_start') or ''} {p.get('period_end') or ''}"
        return f"{prefix}:" + slugify(f"{p.get('kind') or ''} {f.name[:50]} {period} {digest}", 100)
    if f.label == "Event":
        when = p.get("start_date") or p.get("dates_text") or ""
        return f"{prefix}:" + slugify(f"{f.name[:60]} {when}", 90)
    if f.label == "Observation":
        when = p.get("date") or "-".join(x for x in (p.get("period_start"), p.get("period_end")) if x) or "undated"
        subject = f.props.get("subject", "")
        return f"{prefix}:" + slugify(f"{p['metric']} {subject.split(':')[-1]} {when} {p['value']}", 100)
    if f.label == "Measure" and f.key.startswith("measure:"):
        return f.key
    return f"{prefix}:" + slugify(f.name, 80)


NAMES_OF = ("[x IN [n.name, n.name_kk, n.name_ru, n.name_en] WHERE x IS NOT NULL] + "
            "coalesce(n.aliases, []) AS names")


class NameIndex:
    """Match keys of the names of every node of the labels resolution has needed so far: a label
    is read from the store once, then kept up to date with `add` (see `ingest.pipeline.KnownNames`,
    which keeps one for a run, or across runs)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.ids: set[str] = set()
        self.labels: set[str] = set()

    def cover(self, store: Store, labels: set[str]) -> "NameIndex":
        for label in sorted((labels & set(NODE_TYPES)) - self.labels):
            for r in store.rows(f"MATCH (n:{label}) RETURN n.id AS id, {NAMES_OF}"):
                self.add(label, r["id"], r["names"])
            self.labels.add(label)
        return self

    def add(self, label: str, node_id: str, names: list[str]) -> None:
        self.ids.add(node_id)
        for name in names:
            self.by_key[(label, match_key(name))].add(node_id)

    def candidates(self, label: str, name: str) -> set[str]:
        return self.by_key.get((label, match_key(name)), set())


def _quote(doc: DocText, span: tuple[int, int], evidence: tuple[int, int]) -> str:
    """The evidence (a sentence, a cell), always holding the whole span, cut to QUOTE_LIMIT around it."""
    q0, q1 = min(evidence[0], span[0]), max(evidence[1], span[1])
    room = max(0, QUOTE_LIMIT - (span[1] - span[0])) // 2
    return doc.text[max(q0, span[0] - room):min(q1, span[1] + room)]


def _source(doc: DocText, norm: Normalised, span: tuple[int, int], evidence: tuple[int, int],
            method: str, confidence: float) -> Source:
    raw_start, raw_end = norm.raw_span(*span)
    return Source(doc=doc.doc_id, start=span[0], end=span[1], raw_start=raw_start, raw_end=raw_end,
                  quote=_quote(doc, span, evidence), method=method, confidence=confidence)


def resolve(found: Found, doc: DocText, norm: Normalised, document: Document, store: Store,
            index: NameIndex | None = None) -> tuple[Extraction, Resolution]:
    res = Resolution()
    ex = Extraction(document=document, warnings=list(found.warnings))
    index = (index or NameIndex()).cover(store, {f.label for f in found.findings if not f.ref})
    ids: dict[str, str] = {}          # finding key -> node id
    nodes: dict[str, Any] = {}        # node id -> schema node (new or merged)
    for f in found.findings:
        node_id = _identify(f, index, res)
        ids[f.key] = node_id
        if f.ref:
            continue
        source = _source(doc, norm, (f.start, f.end), doc.sentence(f.start, f.end), f.method, f.confidence)
        if node_id in nodes:
            nodes[node_id].sources.append(source)
            continue
        try:
            props = {k: v for k, v in f.props.items() if k in node_type(f.label).model_fields and v is not None}
            nodes[node_id] = node_type(f.label)(id=node_id, name=f.name, aliases=f.aliases, sources=[source], **props)
        except (ValidationError, ValueError) as exc:
            res.rejected.append(f"{f.label} {f.name!r}: {describe(exc)}")
            continue
        (res.merged if node_id in index.ids else res.new).append(node_id)
    ex.nodes = list(nodes.values())
    known = set(nodes) | index.ids | {m.node_id for m in doc.matches} | {f.ref for f in found.findings if f.ref}
    groups: dict[str, list[str]] = {}
    for link in found.links:
        for start in _members(ids.get(link.start, link.start), store, groups):
            for end in _members(ids.get(link.end, link.end), store, groups):
                try:
                    rel = rel_type(link.type)(
                        start=start, end=end,
                        sources=[_source(doc, norm, link.evidence, link.evidence, link.method, link.confidence)],
                        **{k: v for k, v in link.props.items() if v is not None},
                    )
                except (ValidationError, ValueError) as exc:
                    res.rejected.append(f"{link.type} {start} -> {end}: {describe(exc)}")
                    continue
                ex.relations.append(rel)
    ex.relations += _mentions(doc, norm, found, ids, known)
    ex.relations = _dedupe(ex.relations)
    if res.ambiguous:
        ex.warnings.append("kept apart, not merged (several candidates): " + "; ".join(res.ambiguous))
    ex.warnings += [f"rejected: {r}" for r in res.rejected]
    return ex, res


def _members(endpoint: str, store: Store, cache: dict[str, list[str]]) -> list[str]:
    """A node id stands for itself; a group endpoint (from collective names such as "the akimats
    of the regions") for the nodes the graph has for it, as of the document's date."""
    if endpoint in cache:
        return cache[endpoint]
    if endpoint.startswith("akimats-of-regions@"):
        rows = store.rows(
            "MATCH (a:StateBody {kind: 'akimat'})-[:LOCATED_IN]->(:Region {kind: 'region'}) "
            "WHERE $date = 'now' OR a.founded IS NULL OR a.founded <= $date RETURN a.id AS id ORDER BY id",
            {"date": endpoint.split("@", 1)[1]},
        )
    elif endpoint.startswith("akimat-of:"):
        rows = store.rows("MATCH (a:StateBody {kind: 'akimat'})-[:LOCATED_IN]->(:Region {id: $r}) RETURN a.id AS id",
                          {"r": endpoint.split(":", 1)[1]})
    else:
        return [endpoint]
    cache[endpoint] = [r["id"] for r in rows]
    return cache[endpoint]


def _identify(f: Finding, index: NameIndex, res: Resolution) -> str:
    if f.ref:
        return f.ref
    node_id = stable_id(f)
    if node_id in index.ids or f.label in ("Observation", "Measure"):
        return node_id
    candidates = index.candidates(f.label, f.name)
    if len(candidates) == 1:
        return next(iter(candidates))
    if len(candidates) > 1:
        res.ambiguous.append(f"{f.label} {f.name!r} could be {', '.join(sorted(candidates))}")
    return node_id


def _mentions(doc: DocText, norm: Normalised, found: Found, ids: dict[str, str], known: set[str]) -> list[Mentions]:
    """One MENTIONS per span where a known name or a finding occurs."""
    spans = {(m.start, m.end, m.node_id, "gazetteer", 0.7 if m.nested else 1.0 if m.exact else 0.9) for m in doc.matches}
    spans |= {(f.start, f.end, ids[f.key], f.method, f.confidence) for f in found.findings if f.key in ids}
    out = []
    for start, end, node_id, method, confidence in sorted(spans):
        if node_id not in known:
            continue  # a finding that was rejected
        raw_start, raw_end = norm.raw_span(start, end)
        quote = _quote(doc, (start, end), doc.sentence(start, end))
        source = Source(doc=doc.doc_id, start=start, end=end, raw_start=raw_start, raw_end=raw_end,
                        quote=quote, method=method, confidence=confidence)
        out.append(Mentions(start=doc.doc_id, end=node_id, span_start=start, span_end=end, raw_start=raw_start,
                            raw_end=raw_end, quote=quote, method=method, confidence=confidence, sources=[source]))
    return out


def _dedupe(rels: list) -> list:
    """One relationship per identity (type, ends, identity keys): their sources are pooled."""
    seen: dict[str, Any] = {}
    for r in rels:
        k = relationship_id(r.start, r.rel_type, r.end, r.model_dump())
        if k in seen:
            seen[k].sources.extend(s for s in r.sources if s not in seen[k].sources)
        else:
            seen[k] = r
    return list(seen.values())
