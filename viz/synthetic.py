"""Synthetic neighbourhoods of any size, in the store-neutral shape `kb.queries` returns, for the scale tests
and `scripts/bench_views.py`. Deterministic for a given size and seed.

The shape imitates the country's neighbourhood in a full registry: the country at the centre; its regions
(PART_OF the country); religious associations LOCATED_IN the regions (a few regions hold most of them) and
BELONGING_TO confessions; documents that MENTION associations, with quotes; state bodies PART_OF the
government. Every node and relationship has sources, so panels have provenance to show.
"""
from __future__ import annotations

import json
import random
from typing import Any

REGIONS = ("Almaty", "Astana", "Shymkent", "Almaty Region", "Turkistan Region", "Karaganda Region",
           "East Kazakhstan Region", "Zhambyl Region", "Aktobe Region", "Kostanay Region", "Pavlodar Region",
           "Atyrau Region", "Mangystau Region", "Kyzylorda Region", "North Kazakhstan Region",
           "West Kazakhstan Region", "Akmola Region")
CONFESSIONS = ("Islam", "Sunni Islam", "Russian Orthodoxy", "Roman Catholicism", "Protestantism", "Baptists",
               "Pentecostalism", "Judaism", "Buddhism", "Jehovah's Witnesses", "Lutheranism", "Bahai")


def _src(doc: str, quote: str | None = None, **extra) -> str:
    value = {"doc": doc, "method": "registry" if quote is None else "gazetteer", "confidence": 1.0, **extra}
    if quote:
        value["quote"] = quote
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _node(node_id: str, label: str, name: str, sources: list[str], **props) -> dict[str, Any]:
    return {"id": node_id, "labels": [label], "properties": {"id": node_id, "name": name, "sources": sources, **props}}


def neighbourhood(size: int, *, seed: int = 7) -> dict[str, Any]:
    """About `size` nodes (exactly `size` from 100 up) and their relationships: {"centre", "nodes",
    "relationships"}."""
    rnd = random.Random(seed)
    centre = _node("region:kz", "Region", "Republic of Kazakhstan", [_src("doc:reference-regions", ref="regions.yaml")],
                   kind="country", name_kk="Қазақстан Республикасы", name_ru="Республика Казахстан")
    nodes = [centre]
    rels: list[dict[str, Any]] = []

    def rel(rtype: str, start: str, end: str, **props) -> None:
        rels.append({"type": rtype, "start": start, "end": end, "properties": props})

    regions = [f"region:syn-{i}" for i in range(len(REGIONS))]
    for rid, name in zip(regions, REGIONS):
        nodes.append(_node(rid, "Region", name, [_src("doc:reference-regions", ref="regions.yaml")], kind="region"))
        rel("PART_OF", rid, "region:kz", sources=[_src("doc:reference-regions", ref="regions.yaml")])
    confessions = [f"confession:syn-{i}" for i in range(len(CONFESSIONS))]
    for cid, name in zip(confessions, CONFESSIONS):
        nodes.append(_node(cid, "Confession", name, [_src("doc:reference-confessions", ref="confessions.yaml")]))
    n_docs = max(3, size // 120)
    n_bodies = max(3, size // 200)
    n_assoc = max(1, size - len(nodes) - n_docs - n_bodies - 1)
    gov = "statebody:syn-government"
    nodes.append(_node(gov, "StateBody", "Government", [_src("doc:reference-state-bodies")], level="national"))
    for i in range(n_bodies):
        bid = f"statebody:syn-{i}"
        nodes.append(_node(bid, "StateBody", f"Department of religious affairs {i}", [_src("doc:reference-state-bodies")],
                           level="regional"))
        rel("PART_OF", bid, gov, sources=[_src("doc:reference-state-bodies")])
        rel("LOCATED_IN", bid, regions[i % len(regions)], sources=[_src("doc:reference-state-bodies")])
    weights = [1.0 / (k + 1) ** 0.9 for k in range(len(regions))]  # a few regions hold most associations
    docs = [f"doc:syn-{i}" for i in range(n_docs)]
    for i, did in enumerate(docs):
        nodes.append(_node(did, "Document", f"Registry extract {i}", [], kind="registry", date=f"{2008 + i % 15}-01-01"))
    for i in range(n_assoc):
        aid = f"association:syn-{i}"
        region = rnd.choices(regions, weights)[0]
        confession = confessions[min(len(confessions) - 1, int(rnd.expovariate(0.45)))]
        year = 1991 + rnd.randrange(33)
        doc = docs[i % n_docs]
        quote = f"Association no. {i} was registered in {year} in {REGIONS[regions.index(region)]}."
        nodes.append(_node(aid, "ReligiousAssociation", f"Association {i}", [_src(doc, quote, line=i + 2)],
                           registration_date=f"{year}-0{1 + i % 9}-1{i % 9}", registration_number=f"R-{i:06d}"))
        rel("LOCATED_IN", aid, region, sources=[_src(doc, line=i + 2)])
        rel("BELONGS_TO", aid, confession, sources=[_src(doc, line=i + 2)])
        if i % 4 == 0:
            rel("MENTIONS", doc, aid, span_start=i * 40, span_end=i * 40 + 30, quote=quote, method="gazetteer",
                sources=[_src(doc, quote)])
    return {"centre": "region:kz", "nodes": nodes[:max(size, 1)] if size >= 100 else nodes, "relationships": rels}
