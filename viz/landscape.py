"""The confession landscape: confessions (their branches), associations and the regions they are in.

A node's size is the latest observed count (by default the metric `religious_associations`) up to the
year chosen with the year slider, written after its name; the slider also hides associations registered
or founded after that year. A node's panel lists every observation about it with the quotes they were
read from. Beyond the cap, associations are grouped by region ("+412 associations · Almaty region").
"""
from __future__ import annotations

from typing import Any

from viz import layout as layouts
from viz.aggregate import NODE_CAP
from viz.i18n import check_lang, metric_name, t
from viz.views import _sources, render_graph_html, year_of


def confession_landscape_html(store, *, lang: str = "en", year: int | None = None,
                              metric: str = "religious_associations", cap: int = NODE_CAP,
                              api_base: str = "/v1") -> str:
    from kb.view_queries import confession_landscape

    check_lang(lang)
    data = confession_landscape(store, metric=metric)
    nodes = [*data["confessions"], *data["associations"], *data["regions"]]
    ids = {n["id"] for n in nodes}
    rels = data["relationships"]

    # per subject: every series for the panel; the broadest one (largest latest value) sizes the node
    by_subject: dict[str, list[dict]] = {}
    for s in data["series"]:
        if s["subject"] in ids:
            by_subject.setdefault(s["subject"], []).append(s)
    sizes: dict[str, dict[int, float]] = {}
    extra: dict[str, dict[str, Any]] = {}
    for subject, series in by_subject.items():
        main = max(series, key=lambda s: (s["region"] is None, s["points"][-1]["value"]))
        sizes[subject] = {y: p["value"] for p in main["points"] if (y := year_of(p["date"] or p["period_end"]
                                                                                 or p["period_start"])) is not None}
        obs = []
        for s in series:
            for p in s["points"]:
                node = data["observation_nodes"].get(p["id"])
                obs.append({**p, "metric": s["metric"], "region": s["region"],
                            "sources": _sources((node or {}).get("properties", {}).get("sources"))})
        extra[subject] = {"observations": sorted(obs, key=lambda o: (o["date"] or "", o["id"]))}

    anchors = {r["start"]: r["end"] for r in rels if r["type"] == "LOCATED_IN"}
    n_conf, n_assoc, n_reg = len(data["confessions"]), len(data["associations"]), len(data["regions"])
    note = t("landscape_note", lang, confessions=n_conf, associations=n_assoc, regions=n_reg,
             metric=metric_name(metric, lang))
    label_order = {"Confession": 0, "ReligiousAssociation": 1, "Region": 2}

    # each confession tree grows from its top confession, the most counted first
    has_parent = {r["start"] for r in rels if r["type"] == "SUBTYPE_OF"}
    tops = sorted((c["id"] for c in data["confessions"] if c["id"] not in has_parent),
                  key=lambda i: (-max(sizes.get(i, {0: 0}).values()), i))

    def positions(drawn: list[dict], drawn_rels: list[dict]) -> dict[str, tuple[float, float]]:
        pairs = [(r["start"], r["end"]) for r in drawn_rels]
        order = {n["id"]: (label_order.get((n.get("labels") or ["?"])[0], 9), n["id"]) for n in drawn}
        if len(drawn) <= layouts.SPRING_MAX_NODES:
            return layouts.packed_spring([n["id"] for n in drawn], pairs, edge_length=170.0)
        return layouts.radial([n["id"] for n in drawn], pairs, None, order=order, roots=tops, ring_gap=150.0)

    legend = [{
        "title": t("observations", lang),
        "items": [],
        "note": t("size_by_count", lang, metric=metric_name(metric, lang)),
    }]
    return render_graph_html(
        nodes,
        rels,
        title=t("landscape_title", lang),
        lang=lang,
        note=note,
        view="confessions",
        positions=positions,
        physics=False,
        extra_legend=legend,
        series={"nodes": sizes, "node_mode": "latest", "unit": metric_name(metric, lang), "node_size": [14, 62]},
        node_extra=extra,
        initial_year=year,
        font_size=18,
        cap=cap,
        anchors=anchors,
        api_base=api_base,
    )



