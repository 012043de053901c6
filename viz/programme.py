"""The programme map: a programme, its measures and the bodies responsible for them.

Three columns, left to right: the programme; its measures in order, grouped and coloured by direction;
the responsible bodies, ordered by the mean position of their measures (so most lines run level) and
staggered in two sub-columns so their labels never overlap. A measure's line to the programme is as wide
as its funding (in the year chosen with the year slider, or in all years); dashed when it has none.
A responsible body's line is the measure's direction colour, thick for the lead body.
"""
from __future__ import annotations

from typing import Any

from viz.i18n import check_lang, t
from viz.views import _shorten, _swatch, display_name, render_graph_html

DIRECTION_COLORS = ("#1c7ed6", "#e8590c", "#2b8a3e", "#ae3ec9", "#c92a2a", "#0c8599", "#5f3dc4", "#a61e4d",
                    "#5c940d", "#d6336c")
X_PROGRAMME, X_MEASURES, X_BODIES, BODY_STAGGER = 0.0, 470.0, 980.0, 230.0
MEASURE_GAP, DIRECTION_GAP = 38.0, 34.0
MEASURE_LABEL_CHARS = 44


def _rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _amount(value: float) -> str:
    return f"{value:,.3f}".rstrip("0").rstrip(".").replace(",", " ")


def programme_map_html(store, programme_id: str, *, lang: str = "en", year: int | None = None,
                       api_base: str = "/v1") -> str:
    """Programme → measures → responsible bodies, as a self-contained page (see the module's docstring)."""
    from kb.queries import programme_measures, subgraph

    check_lang(lang)
    pm = programme_measures(store, programme_id)
    programme = pm["programme"]
    measures = [m["measure"] for m in pm["measures"]]
    body_ids = sorted({b["id"] for m in pm["measures"] for b in m["bodies"]})
    sub = subgraph(store, [programme_id, *(m["id"] for m in measures), *body_ids])
    nodes = {n["id"]: n for n in sub["nodes"]}

    # directions in the order their first measure appears
    directions: list[str] = []
    for m in measures:
        d = m["properties"].get("direction") or ""
        if d not in directions:
            directions.append(d)
    colour = {d: DIRECTION_COLORS[i % len(DIRECTION_COLORS)] for i, d in enumerate(directions)}
    direction_of = {m["id"]: m["properties"].get("direction") or "" for m in measures}
    unit = next((m["properties"].get("funding_unit") for m in measures if m["properties"].get("funding_unit")), "")

    # positions: three columns; measures by number with a gap between directions
    measure_col, gaps, prev = [], {}, None
    for m in measures:
        d = direction_of[m["id"]]
        if prev is not None and d != prev:
            gaps[m["id"]] = DIRECTION_GAP
        prev = d
        measure_col.append(m["id"])
    measure_y_index = {mid: i for i, mid in enumerate(measure_col)}
    bodies_of: dict[str, list[str]] = {}
    for m in pm["measures"]:
        for b in m["bodies"]:
            bodies_of.setdefault(b["id"], []).append(m["measure"]["id"])
    body_col = sorted(body_ids, key=lambda b: (sum(measure_y_index[x] for x in bodies_of[b]) / len(bodies_of[b]), b))
    from viz.layout import columns

    pos = columns([[programme_id], measure_col], x=[X_PROGRAMME, X_MEASURES], y_gap=MEASURE_GAP, gaps=gaps)
    top = min(y for _, y in pos.values()) if measure_col else 0.0
    height = (max(y for _, y in pos.values()) - top) if measure_col else 0.0
    step = height / max(1, len(body_col) - 1)
    for i, b in enumerate(body_col):
        pos[b] = (X_BODIES + (BODY_STAGGER if i % 2 else 0.0), top + i * step)

    # styles
    node_style: dict[str, dict[str, Any]] = {}
    for m in measures:
        p = m["properties"]
        name = display_name(m, lang)
        label = (f"{p['number']}. " if p.get("number") is not None else "") + name
        node_style[m["id"]] = {"color": colour[direction_of[m["id"]]], "label": _shorten(label, MEASURE_LABEL_CHARS),
                               "widthConstraint": {"minimum": 310, "maximum": 310}, "font": {"size": 14}}
    node_style[programme_id] = {"label": _shorten(display_name(programme, lang), 90),
                                "widthConstraint": {"maximum": 230}, "size": 34, "font": {"size": 14}}
    for b in body_ids:
        node_style[b] = {"size": 11, "font": {"size": 14}}

    def edge_style(start: str, rtype: str, end: str) -> dict[str, Any] | None:
        if rtype == "PART_OF" and end == programme_id and start in direction_of:
            c = colour[direction_of[start]]
            return {"color": {"color": c, "highlight": c, "hover": c}, "arrows": {"to": {"enabled": False}}}
        if rtype == "RESPONSIBLE_FOR" and end in direction_of:
            c = colour[direction_of[end]]
            lead = any(r["properties"].get("lead") for r in sub["relationships"]
                       if r["start"] == start and r["end"] == end and r["type"] == rtype)
            return {"color": {"color": _rgba(c, 0.75 if lead else 0.35), "highlight": c, "hover": c},
                    "width": 2.6 if lead else 1.0, "arrows": {"to": {"enabled": False}}}
        return None

    funding = {f"{m['measure']['id']}|PART_OF|{programme_id}": {int(y): float(v) for y, v in m["funding"].items()}
               for m in pm["measures"]}
    total = sum(pm["totals"].values())
    legend_items = []
    for d in directions:
        ms = [m for m in pm["measures"] if direction_of[m["measure"]["id"]] == d]
        money = sum(sum(m["funding"].values()) for m in ms)
        legend_items.append({
            "key": d, "swatch": _swatch(colour[d], "box"), "text": d or t("no_direction", lang),
            "count": len(ms), "title": f"{len(ms)} · {_amount(money)} {unit}",
        })
    extra_legend = [{
        "title": t("directions", lang), "items": legend_items,
        "note": t("edge_width_funding", lang, unit=unit or "?") + ". " + t("lead_edge", lang) + ".",
    }]
    funding_text = (" · ".join(f"{y}: {_amount(v)}" for y, v in pm["totals"].items())
                    + f" {unit} (Σ {_amount(total)})") if pm["totals"] else "–"
    note = t("programme_note", lang, measures=len(measures), directions=len(directions), bodies=len(body_ids),
             funding=funding_text)
    return render_graph_html(
        [programme, *measures, *(nodes[b] for b in body_ids if b in nodes)],
        sub["relationships"],
        title=t("programme_title", lang, name=_shorten(display_name(programme, lang), 110)),
        lang=lang,
        note=note,
        centre=programme_id,
        view="programme",
        positions=pos,
        node_style=node_style,
        edge_style=edge_style,
        extra_legend=extra_legend,
        series={"edges": funding, "edge_mode": "exact", "unit": unit, "edge_width": [1.5, 16]},
        year_filter=False,
        initial_year=year,
        api_base=api_base,
    )

