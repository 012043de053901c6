"""Interactive graph pages that work with no network, at any size.

`render_graph_html` draws any set of nodes and relationships (as `kb.queries` returns them) with
pyvis: `pyvis.network.Network` holds the nodes, edges and vis-network options and renders them
through its `generate_html`, with our template (`viz/assets/graph.html`) in place of pyvis's.
pyvis's own template always links Bootstrap (and, except with `cdn_resources="in_line"`,
vis-network and tom-select) from CDNs; ours inlines vis-network's script and stylesheet, read at
render time from the installed pyvis package (`pyvis/templates/lib/vis-9.1.2/`), and nothing else
is loaded: no fonts, no images, no favicon. `_offline` drops any remote <script src>/<link href>
that would still appear and refuses a stylesheet that points off the machine.

Sizes: below `PHYSICS_MAX_NODES` the browser runs a short physics simulation from positions computed
here; above, the positions computed here (`viz.layout`) are final and physics is off, so the page is
usable as soon as it is drawn. Above `NODE_CAP` nodes, similar nodes are grouped (`viz.aggregate`) and
the page says so in a banner.

Every page has a legend whose colours and shapes come from `kb.schema` (NODE_TYPES, REL_TYPES), label
names in the chosen language (`viz.i18n`), a side panel with properties and provenance quotes and a link
to the API, filters (labels, relationship types, minimum degree, year), search-to-focus, and export of
the current view as PNG or GraphML (built in the page from what is visible).

The views: `neighbourhood_html` (here), `programme_map_html` (viz.programme), `confession_landscape_html`
(viz.landscape), `path_html` (viz.paths), `structure_html` (viz.structure); all importable from here.
"""
from __future__ import annotations

import json
import logging
import math
import re
import secrets
from collections import Counter
from functools import lru_cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from kb.schema import NODE_TYPES, PREFIX_TO_LABEL, REL_TYPES, Source
from viz import layout as layouts
from viz.aggregate import NODE_CAP, aggregate
from viz.i18n import LANGS, check_lang, label_name, rel_name, strings, t  # noqa: F401 - LANGS re-exported

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
TEMPLATE = "graph.html"
VIS_DIR = "templates/lib/vis-9.1.2"
PHYSICS_MAX_NODES = 300  # physics below this many nodes; above, a layout computed here and no physics
EDGE_LABELS_MAX = 20  # more edges than this: an edge shows its type only while it or its node is selected
NEIGHBOURHOOD_LIMIT = 10_000  # neighbours fetched for a neighbourhood page; above NODE_CAP they are grouped
LEAN_EDGES_ABOVE = 1000  # more edges than this: no hover tooltip and one colour per edge (smaller, faster page)
LABEL_MAX_CHARS = 48
LABEL_LINE_CHARS = 24
FALLBACK_COLOR = "#8c959f"  # a label the schema does not know (never expected)
HIDDEN_PROPERTIES = {"id", "name", "name_kk", "name_ru", "name_en", "aliases", "sources", "search_keys"}
INSIDE_LABEL_SHAPES = {"box", "ellipse", "circle", "database", "text"}
FONT_FACE = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
YEAR_START_PROPERTIES = ("valid_from", "founded", "registration_date", "start_date", "period_start", "date")
YEAR_RE = re.compile(r"^\s*(\d{4})")
Positions = dict[str, tuple[float, float]]

_VIEWS = {  # the other views, importable from here (`from viz.views import programme_map_html`)
    "programme_map_html": "viz.programme",
    "confession_landscape_html": "viz.landscape",
    "path_html": "viz.paths",
    "structure_html": "viz.structure",
}


def __getattr__(name: str):
    if name in _VIEWS:
        import importlib

        return getattr(importlib.import_module(_VIEWS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- public -------------------------------------------------------------------------------------


def neighbourhood_html(
    store,
    node_id: str,
    *,
    depth: int = 1,
    labels: list[str] | None = None,
    types: list[str] | None = None,
    lang: str = "en",
    limit: int = NEIGHBOURHOOD_LIMIT,
    cap: int = NODE_CAP,
    api_base: str = "/v1",
) -> str:
    """The neighbourhood of `node_id` within `depth` hops as a self-contained HTML page.

    At most `limit` neighbours are fetched (the rest are counted as "not shown"); beyond `cap` drawn
    nodes, leaves are grouped."""
    from kb.queries import neighbours

    check_lang(lang)
    nb = neighbours(store, node_id, depth=depth, labels=labels, types=types, limit=limit)
    centre = nb["centre"]
    shown, total, omitted = len(nb["nodes"]), nb["total"], nb["omitted"]
    note = t("neighbourhood_note", lang, shown=shown, total=total, depth=depth)
    if labels:
        note += " · " + ", ".join(label_name(lab, lang) for lab in labels)
    if types:
        note += " · " + ", ".join(types)
    return render_graph_html(
        [centre, *nb["nodes"]],
        nb["relationships"],
        title=t("neighbourhood_title", lang, name=display_name(centre, lang)),
        lang=lang,
        note=note,
        omitted=omitted,
        centre=centre["id"],
        view="neighbourhood",
        cap=cap,
        api_base=api_base,
    )


def render_graph_html(
    nodes: Iterable[dict[str, Any]],
    relationships: Iterable[dict[str, Any]],
    *,
    title: str,
    lang: str = "en",
    note: str | None = None,
    omitted: int = 0,
    centre: str | None = None,
    highlight: Iterable[str] = (),
    view: str = "graph",
    positions: Positions | Callable[[list[dict], list[dict]], Positions] | None = None,
    physics: bool | None = None,
    node_style: dict[str, dict[str, Any]] | None = None,
    edge_style: Callable[[str, str, str], dict[str, Any] | None] | None = None,
    extra_legend: list[dict[str, Any]] | None = None,
    years: dict[str, tuple[int | None, int | None] | None] | None = None,
    series: dict[str, Any] | None = None,
    node_extra: dict[str, dict[str, Any]] | None = None,
    year_filter: bool = True,
    initial_year: int | None = None,
    font_size: int = 13,
    cap: int = NODE_CAP,
    anchors: dict[str, str] | None = None,
    api_base: str = "/v1",
) -> str:
    """A self-contained page drawing `nodes` ({"id","labels","properties"}) and `relationships`
    ({"type","start","end","properties"}); relationships whose ends are not among `nodes` are skipped.

    `note` is shown under the title, `omitted` as "+K not shown"; `centre` and `highlight` ids are
    drawn larger (e.g. a path's nodes). Parallel relationships of one type between the same two
    nodes (a document mentioning an entity several times) are drawn as one edge listing them all.

    A view can pass: `positions` (final positions, or a function computing them from the nodes and
    relationships drawn, after grouping); `physics` (default: on below PHYSICS_MAX_NODES nodes, unless
    positions are given); `node_style` ({id: vis node options}); `edge_style` ((start, type, end) → vis
    edge options); `extra_legend` (sections of {title, items: [{swatch, text, count, title}], note});
    `years` ({id: (from, to)} for the year filter, instead of reading nodes' dates; `year_filter=False`
    hides nothing by year, the year then only picks series values); `series`
    ({"nodes": {id: {year: value}}, "node_mode": "latest", "edges": {"start|type|end": {year: value}},
    "edge_mode": "exact", "unit": str}) to size nodes / widen edges by the selected year; `node_extra`
    ({id: extra data for the panel, e.g. observations}); `initial_year` (the year selected when the page
    opens); `font_size` of node labels; `cap` and `anchors` for grouping.
    """
    check_lang(lang)
    node_list = list({n["id"]: n for n in nodes}.values())
    rel_list = list(relationships)
    big = {centre, *highlight} - {None}
    node_list, rel_list, agg = aggregate(node_list, rel_list, cap=cap, centre=centre, keep=big, anchors=anchors,
                                         label_of=primary_label, name_of=lambda n: display_name(n, lang), lang=lang)
    ids = {n["id"] for n in node_list}
    grouped: dict[tuple[str, str, str], list[dict]] = {}
    for r in rel_list:
        if r["start"] in ids and r["end"] in ids:
            grouped.setdefault((r["start"], r["type"], r["end"]), []).append(r.get("properties") or {})
    pairs = [(s, e) for s, _, e in grouped]
    if callable(positions):
        positions = positions(node_list, rel_list)
    if positions is not None:
        physics = bool(physics) and len(node_list) < PHYSICS_MAX_NODES
        missing = [n["id"] for n in node_list if n["id"] not in positions]
        if missing:  # e.g. group nodes a view's layout did not foresee: next to a neighbour, or in a row below
            positions = {**positions, **_place_missing(missing, pairs, positions)}
    else:
        physics = (len(node_list) < PHYSICS_MAX_NODES) if physics is None else physics and len(node_list) < PHYSICS_MAX_NODES
        positions = layouts.auto([n["id"] for n in node_list], pairs, centre, iterations=60 if physics else 120)
    node_style = node_style or {}

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading=title)
    _fast_ids(net)
    data_nodes: dict[str, Any] = {}
    label_counts: Counter[str] = Counter()
    for n in node_list:
        label = primary_label(n)
        label_counts[label] += (n.get("group") or {}).get("count", 1)
        color, shape = _style(label)
        name = display_name(n, lang)
        x, y = positions[n["id"]]
        options = _node_options(n["id"], label, name, color, shape, n["id"] in big, x, y, lang, n.get("group"),
                                font_size)
        style = dict(node_style.get(n["id"]) or {})
        if "color" in style and isinstance(style["color"], str):
            c = style.pop("color")
            options["color"] = _node_color(c)
            if shape in INSIDE_LABEL_SHAPES and shape != "text":
                options["font"] = {**options.get("font", {}), "color": "#ffffff" if _luminance(c) < 0.45 else "#1f2328"}
        shape = style.pop("shape", shape)
        text = style.pop("label", None) or _wrap(_shorten(name))
        for k, v in style.items():  # dicts (font, color, ...) are merged, other values replace
            options[k] = {**options[k], **v} if isinstance(v, dict) and isinstance(options.get(k), dict) else v
        color_option = options.pop("color", None)
        net.add_node(n["id"], label=text, shape=shape, **options)
        if color_option is not None:  # pyvis drops `color` for a node in a group; its own dict takes it
            net.node_map[n["id"]]["color"] = color_option
        data_nodes[n["id"]] = _node_data(n, label, name)
        if node_extra and n["id"] in node_extra:
            data_nodes[n["id"]].update(node_extra[n["id"]])

    data_edges: dict[str, Any] = {}
    rel_counts: Counter[str] = Counter()
    show_edge_labels = len(grouped) <= EDGE_LABELS_MAX
    lean_edges = len(grouped) > LEAN_EDGES_ABOVE
    edge_series_in = (series or {}).get("edges") or {}
    edge_series: dict[str, Any] = {}
    for i, ((start, rtype, end), items) in enumerate(sorted(grouped.items())):
        eid = f"e{i}"
        count = sum(int(p.get("aggregated") or 1) for p in items)
        rel_counts[rtype] += count
        cls = REL_TYPES.get(rtype)
        color = cls.color if cls else FALLBACK_COLOR
        width = 1.2 + min(4.0, math.log2(count)) if count else 1.2
        label = rel_name(rtype, lang) + (f" ×{count}" if count > 1 else "")
        options: dict[str, Any] = {
            "id": eid,
            "width": width,
            "kbType": rtype,
            "kbText": label,  # written on the edge while selected, when there are too many edges to label all
        }
        if lean_edges:  # many edges: the panel tells what an edge is; a plain colour is lighter to load
            options["color"] = color
        else:
            options["title"] = f"{rtype} · {label}\n{data_nodes[start]['display']} → {data_nodes[end]['display']}"
            options["color"] = {"color": color, "highlight": _darken(color, 0.35), "hover": _darken(color, 0.2)}
        if show_edge_labels:
            options["label"] = label
        extra = edge_style(start, rtype, end) if edge_style else None
        if extra:
            extra = dict(extra)
            if isinstance(extra.get("color"), str):
                c = extra.pop("color")
                options["color"] = {"color": c, "highlight": _darken(c, 0.35), "hover": _darken(c, 0.2)}
            options.update(extra)
        net.add_edge(start, end, **options)
        data_edges[eid] = {
            "id": eid, "type": rtype, "from": start, "to": end, "count": count,
            "description": cls.description if cls else "",
            "years": _edge_years(items),
            "items": [{"props": _edge_props(p), "sources": _sources(p.get("sources"))} for p in items[:200]],
        }
        if f"{start}|{rtype}|{end}" in edge_series_in:
            edge_series[eid] = edge_series_in[f"{start}|{rtype}|{end}"]

    # the year filter: each node's (from, to), from the view or from its dates
    spans: dict[str, Any] = {}
    if year_filter:
        for n in node_list:
            i = n["id"]
            spans[i] = _years(years[i]) if years is not None and i in years else (
                None if n.get("group") else _node_years(n))
    for i, span in spans.items():
        if span:
            data_nodes[i]["years"] = span
    year_list = sorted({y for s in spans.values() if s for y in s if y is not None}
                       | {y for d in data_edges.values() if d["years"] for y in d["years"] if y is not None}
                       | {int(y) for s in ((series or {}).get("nodes") or {}).values() for y in s}
                       | {int(y) for s in edge_series.values() for y in s})

    net.options = _vis_options(physics, len(node_list))
    net.options["groups"] = {label: _label_style(label, font_size) for label in label_counts}
    legend = [
        {"label": label, "name": label_name(label, lang), "count": label_counts[label],
         "description": NODE_TYPES[label].description, "swatch": _swatch(*_style(label))}
        for label in NODE_TYPES if label in label_counts
    ] + [  # labels the schema does not define, should a store hold any
        {"label": label, "name": label, "count": count, "description": "", "swatch": _swatch(*_style(label))}
        for label, count in sorted(label_counts.items()) if label not in NODE_TYPES
    ]
    rel_legend = [
        {"type": t_, "name": rel_name(t_, lang), "count": rel_counts[t_], "description": cls.description,
         "swatch": _line_swatch(cls.color)}
        for t_, cls in REL_TYPES.items() if t_ in rel_counts
    ] + [
        {"type": t_, "name": t_, "count": c, "description": "", "swatch": _line_swatch(FALLBACK_COLOR)}
        for t_, c in sorted(rel_counts.items()) if t_ not in REL_TYPES
    ]
    series_out = None
    if series:
        series_out = {"nodes": {k: {str(y): v for y, v in s.items()} for k, s in (series.get("nodes") or {}).items()
                                if k in data_nodes},
                      "edges": {k: {str(y): v for y, v in s.items()} for k, s in edge_series.items()},
                      "node_mode": series.get("node_mode", "latest"), "edge_mode": series.get("edge_mode", "exact"),
                      "unit": series.get("unit"), "node_size": series.get("node_size", [12, 60]),
                      "edge_width": series.get("edge_width", [1, 14]), "label_values": series.get("label_values", True)}
    banner = agg.banner(cap, lang) if agg else ""
    data = {
        "centre": centre,
        "lang": lang,
        "view": view,
        "title": title,
        "api": api_base.rstrip("/"),
        "nodes": data_nodes,
        "edges": data_edges,
        "labels": {label: {"color": _style(label)[0], "shape": _style(label)[1], "name": label_name(label, lang)}
                   for label in {*label_counts, *(lab for d in data_nodes.values() for lab in d["labels"])}},
        "rels": {t_: rel_name(t_, lang) for t_ in rel_counts},
        "years": year_list,
        "initial_year": initial_year,
        "series": series_out,
        "t": strings(lang),
        "aggregation": agg.__dict__ if agg else None,
    }
    page = {
        "title": title,
        "note": note,
        "omitted": omitted,
        "omitted_text": t("not_shown", lang, n=omitted),
        "banner": banner,
        "lang": lang,
        "view": view,
        "t": strings(lang),
        "drawn_text": t("drawn_grouped", lang, nodes=f"{len(node_list):,}", edges=f"{len(grouped):,}",
                        total=f"{agg.total:,}", rels=f"{sum(rel_counts.values()):,}") if agg else
        t("drawn", lang, nodes=f"{len(node_list):,}", rels=f"{sum(rel_counts.values()):,}"),
        "edge_labels_always": show_edge_labels,
        "node_count": len(node_list),
        "rel_count": sum(rel_counts.values()),
        "legend": legend,
        "rel_legend": rel_legend,
        "extra_legend": extra_legend or [],
        "years": year_list,
        "search_names": sorted({d["display"] for d in data_nodes.values()} | set(data_nodes))
        if len(data_nodes) <= 5000 else [],
        # the large inline parts go in after the offline check, which thus only reads our markup
        "data_json": _PLACEHOLDERS["data"],
        "vis_js": _PLACEHOLDERS["js"],
        "vis_css": _PLACEHOLDERS["css"],
    }
    net.templateEnv = _environment(page)
    net.path = TEMPLATE
    html = _offline(net.generate_html(name="graph.html"))
    inline = {
        "data": _script_json(data),
        "js": _vis_asset("vis-network.min.js").replace("</script", "<\\/script"),
        "css": _vis_asset("vis-network.css").replace("</style", "<\\/style"),
    }
    return _PLACEHOLDER_RE.sub(lambda m: inline[_PLACEHOLDER_KEYS[m.group(0)]], html)


def display_name(node: dict[str, Any], lang: str = "en") -> str:
    """The node's name in `lang`, else its name as recorded, else its id."""
    props = node.get("properties") or {}
    return props.get(f"name_{lang}") or props.get("name") or node["id"]


def primary_label(node: dict[str, Any]) -> str:
    """The node's schema label: the first of its labels the schema defines, else the id's prefix's."""
    for label in node.get("labels") or []:
        if label in NODE_TYPES:
            return label
    prefix = node["id"].split(":", 1)[0]
    return PREFIX_TO_LABEL.get(prefix) or (node.get("labels") or ["?"])[0]


def year_of(value: Any) -> int | None:
    """The year of an ISO date, a year, or a number; None when there is none."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if 1000 <= value <= 3000 else None
    m = YEAR_RE.match(str(value))
    return int(m.group(1)) if m else None


# --- page pieces ----------------------------------------------------------------------------------


def _check_lang(lang: str) -> None:  # kept for callers of the old name
    check_lang(lang)


def _fast_ids(net: Network) -> None:
    """pyvis checks every new node and edge end against a list of ids (quadratic); a list that also
    keeps a set makes that check constant-time, so 2,000-node pages build in milliseconds."""

    class _IdList(list):
        def __init__(self):
            super().__init__()
            self._set: set = set()

        def append(self, item):
            self._set.add(item)
            super().append(item)

        def __contains__(self, item):
            return item in self._set

    net.node_ids = _IdList()
    net.get_nodes = lambda: net.node_ids


def _node_years(node: dict[str, Any]) -> tuple[int | None, int | None] | None:
    props = node.get("properties") or {}
    start = next((y for k in YEAR_START_PROPERTIES if (y := year_of(props.get(k))) is not None), None)
    end = year_of(props.get("valid_to"))
    return (start, end) if start is not None or end is not None else None


def _years(span: Any) -> tuple[int | None, int | None] | None:
    if not span:
        return None
    a, b = span
    return (year_of(a), year_of(b))


def _edge_years(items: list[dict[str, Any]]) -> tuple[int | None, int | None] | None:
    spans = [(year_of(p.get("valid_from")), year_of(p.get("valid_to"))) for p in items]
    if not spans or any(a is None and b is None for a, b in spans):
        return None
    starts = [a for a, _ in spans]
    ends = [b for _, b in spans]
    return (None if None in starts else min(starts), None if None in ends else max(ends))


def _place_missing(missing: list[str], pairs: list[tuple[str, str]], positions: Positions) -> Positions:
    out: Positions = {}
    nbr: dict[str, str] = {}
    for a, b in pairs:
        if a in positions and b not in positions:
            nbr.setdefault(b, a)
        if b in positions and a not in positions:
            nbr.setdefault(a, b)
    ys = [y for _, y in positions.values()] or [0.0]
    xs = [x for x, _ in positions.values()] or [0.0]
    row = 0
    for k, i in enumerate(missing):
        if i in nbr:
            x, y = positions[nbr[i]]
            out[i] = (x + 90 * math.cos(k), y + 90 * math.sin(k))
        else:
            out[i] = (min(xs) + 160 * row, max(ys) + 200)
            row += 1
    return out


def _node_color(color: str) -> dict[str, Any]:
    return {"background": color, "border": _darken(color, 0.3),
            "highlight": {"background": color, "border": "#0969da"},
            "hover": {"background": color, "border": "#0969da"}}


def _label_style(label: str, font_size: int = 13) -> dict[str, Any]:
    """A label's look as a vis-network group (every node of the label shares it; nodes carry only what
    differs), from the schema's colour and shape."""
    color, shape = _style(label)
    font: dict[str, Any] = {"face": FONT_FACE, "size": font_size}
    if shape == "text":
        font.update(color=_darken(color, 0.25), background="rgba(255,255,255,0.85)")
    elif shape in INSIDE_LABEL_SHAPES:
        font.update(color="#ffffff" if _luminance(color) < 0.45 else "#1f2328")
    else:
        font.update(color="#1f2328", strokeWidth=3, strokeColor="#ffffff")
    return {"shape": shape, "color": _node_color(color), "font": font, "borderWidth": 1, "borderWidthSelected": 4,
            "size": 16}


def _node_options(node_id: str, label: str, name: str, color: str, shape: str, big: bool,
                  x: float, y: float, lang: str = "en", group: dict | None = None,
                  font_size: int = 13) -> dict[str, Any]:
    options: dict[str, Any] = {
        "group": label,
        "title": f"{name}\n{label_name(label, lang)} · {node_id}",
        "x": round(x, 1),
        "y": round(y, 1),
        "kbLabel": label,
    }
    if big:
        options.update(borderWidth=3, size=28, font={"size": font_size + 3})
        if shape != "text":
            options["shadow"] = {"enabled": True, "size": 8, "x": 0, "y": 2, "color": "rgba(0,0,0,0.25)"}
    if group:
        options.update(size=min(60, 18 + 5 * math.log2(max(2, group["count"]))), borderWidth=2,
                       shapeProperties={"borderDashes": [6, 4]}, kbGroup=group["count"], font={"bold": True})
        options["title"] = f"{name}\n{t('group_hint', lang)}"
    return options


def _node_data(node: dict[str, Any], label: str, name: str) -> dict[str, Any]:
    props = node.get("properties") or {}
    data = {
        "id": node["id"],
        "label": label,
        "labels": list(node.get("labels") or [label]),
        "display": name,
        "names": {k: props.get(k) for k in ("name", "name_kk", "name_ru", "name_en")},
        "aliases": list(props.get("aliases") or []),
        "props": {k: v for k, v in sorted(props.items()) if k not in HIDDEN_PROPERTIES and v not in (None, [], "")},
        "sources": _sources(props.get("sources")),
    }
    if node.get("group"):
        data["group"] = node["group"]
    return data


def _style(label: str) -> tuple[str, str]:
    cls = NODE_TYPES.get(label)
    return (cls.color, cls.shape) if cls else (FALLBACK_COLOR, "dot")


def _wrap(text: str, width: int = LABEL_LINE_CHARS) -> str:
    """Lines of at most about `width` characters, broken at spaces here rather than by vis-network, which
    measures the text word by word on the canvas (most of the time of building a 2,000-node page)."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _shorten(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"



def _edge_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sorted(props.items()) if k != "sources" and v not in (None, [], "")}


def _sources(values: Any) -> list[dict[str, Any]]:
    """Decoded `Source`s; a value that does not decode is kept as `raw` rather than dropped."""
    out = []
    for v in values or []:
        try:
            out.append(Source.decode(v).model_dump(exclude_none=True))
        except Exception:  # noqa: BLE001 - show what is stored, whatever it is
            out.append({"raw": v if isinstance(v, str) else json.dumps(v, ensure_ascii=False), "method": None})
    return out



def _vis_options(physics: bool, n: int = 0) -> dict[str, Any]:
    large = n > 500
    options: dict[str, Any] = {
        "interaction": {"hover": not large, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False,
                        "hideEdgesOnDrag": not physics, "hideEdgesOnZoom": large},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"face": FONT_FACE, "size": 10, "color": "#57606a", "strokeWidth": 3, "strokeColor": "#ffffff",
                     "align": "middle"},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3} if physics else False,
            "selectionWidth": 2,
        },
        "nodes": {"font": {"face": FONT_FACE}, "scaling": {"label": {"drawThreshold": 8 if large else 3}}},
        "layout": {"improvedLayout": False, "randomSeed": 7},
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -90, "centralGravity": 0.008, "springLength": 140,
                                 "springConstant": 0.06, "damping": 0.6, "avoidOverlap": 0.6},
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50, "fit": True},
            "minVelocity": 1.0,
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def _swatch(color: str, shape: str, size: int = 18) -> str:
    """A small inline SVG of a vis-network shape in `color` (for the legend)."""
    c, b = escape(color), escape(_darken(color, 0.3))
    h = size / 2
    attrs = f'fill="{c}" stroke="{b}" stroke-width="1"'
    if shape in ("dot", "circle"):
        body = f'<circle cx="{h}" cy="{h}" r="{h - 2}" {attrs}/>'
    elif shape == "square":
        body = f'<rect x="2" y="2" width="{size - 4}" height="{size - 4}" {attrs}/>'
    elif shape == "box":
        body = f'<rect x="1" y="4" width="{size - 2}" height="{size - 8}" rx="3" {attrs}/>'
    elif shape in ("ellipse", "database"):
        body = f'<ellipse cx="{h}" cy="{h}" rx="{h - 1}" ry="{h - 5}" {attrs}/>'
    elif shape == "text":
        body = (f'<text x="{h}" y="{h + 5}" text-anchor="middle" font-size="13" font-weight="bold" '
                f'font-family="DejaVu Sans, sans-serif" fill="{escape(_darken(color, 0.25))}">Aa</text>')
    else:
        points = _polygon(shape, h, h - 1.5)
        body = f'<polygon points="{points}" {attrs}/>' if points else f'<circle cx="{h}" cy="{h}" r="{h - 2}" {attrs}/>'
    return (f'<svg width="{size}" height="{size}" viewBox="0 0 {size} {size}" aria-hidden="true" '
            f'data-shape="{escape(shape)}" data-color="{c}">{body}</svg>')


def _polygon(shape: str, c: float, r: float) -> str | None:
    if shape == "triangle":
        pts = [(c + r * math.cos(a), c + 1.5 + r * math.sin(a)) for a in (-math.pi / 2, math.pi / 6, 5 * math.pi / 6)]
    elif shape == "triangleDown":
        pts = [(c + r * math.cos(a), c - 1.5 + r * math.sin(a)) for a in (math.pi / 2, -math.pi / 6, -5 * math.pi / 6)]
    elif shape == "diamond":
        pts = [(c, c - r), (c + r, c), (c, c + r), (c - r, c)]
    elif shape == "hexagon":
        pts = [(c + r * math.cos(math.pi / 3 * k), c + r * math.sin(math.pi / 3 * k)) for k in range(6)]
    elif shape == "star":
        pts = [(c + (r if k % 2 == 0 else r * 0.45) * math.cos(-math.pi / 2 + math.pi / 5 * k),
                c + (r if k % 2 == 0 else r * 0.45) * math.sin(-math.pi / 2 + math.pi / 5 * k)) for k in range(10)]
    else:
        return None
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)


def _line_swatch(color: str) -> str:
    c = escape(color)
    return (f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" data-color="{c}">'
            f'<line x1="1" y1="9" x2="13" y2="9" stroke="{c}" stroke-width="3"/>'
            f'<polygon points="12,5 17,9 12,13" fill="{c}"/></svg>')


def _rgb(color: str) -> tuple[int, int, int]:
    m = re.fullmatch(r"#?([0-9a-fA-F]{6})", color.strip())
    if not m:
        return (140, 149, 159)
    v = m.group(1)
    return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)


def _darken(color: str, amount: float) -> str:
    r, g, b = (round(c * (1 - amount)) for c in _rgb(color))
    return f"#{r:02x}{g:02x}{b:02x}"


def _luminance(color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `<`, `>` or `&` that could end it early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@lru_cache(maxsize=None)
def _vis_asset(name: str) -> str:
    """vis-network's script or stylesheet as the installed pyvis ships it (a copy in viz/assets wins)."""
    bundled = ASSETS / name
    if bundled.exists():
        text = bundled.read_text(encoding="utf-8")
    else:
        text = resources.files("pyvis").joinpath(VIS_DIR, name).read_text(encoding="utf-8")
    if name.endswith(".css") and _REMOTE_CSS.search(text):
        raise RuntimeError(f"{name} would load a remote resource")
    return text


def _environment(page: dict[str, Any]) -> Environment:
    """A fresh environment per page (its globals carry the page), so concurrent renders never mix."""
    env = Environment(loader=FileSystemLoader(str(ASSETS)), autoescape=select_autoescape(default=True))
    env.globals["page"] = page
    return env


_PLACEHOLDERS = {key: f"@@kb-inline-{key}-{secrets.token_hex(8)}@@" for key in ("data", "js", "css")}
_PLACEHOLDER_KEYS = {v: k for k, v in _PLACEHOLDERS.items()}
_PLACEHOLDER_RE = re.compile("|".join(map(re.escape, _PLACEHOLDERS.values())))
_REMOTE = r"""["']?\s*(?:https?:)?//"""
_REMOTE_SCRIPT = re.compile(rf"<script\b[^>]*\bsrc\s*=\s*{_REMOTE}[^>]*>\s*</script\s*>", re.IGNORECASE)
_REMOTE_TAG = re.compile(rf"<(?:link|img|iframe|embed|source)\b[^>]*\b(?:src|href)\s*=\s*{_REMOTE}[^>]*>", re.IGNORECASE)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
_REMOTE_CSS = re.compile(rf"@import|url\(\s*{_REMOTE}", re.IGNORECASE)


def _offline(html: str) -> str:
    """Drop any <script src=//…>, <link href=//…> (or img/iframe) that reaches off the machine, and
    refuse a stylesheet that imports or points at a remote URL. Run on the page before the
    vis-network script, its stylesheet and the data are put in (see `_PLACEHOLDERS`)."""
    stripped = _REMOTE_TAG.sub("", _REMOTE_SCRIPT.sub("", html))
    if stripped != html:
        log.warning("removed remote script/link tags from a rendered graph page")
    for css in _STYLE.findall(stripped):
        if _REMOTE_CSS.search(css):
            raise RuntimeError("a stylesheet of the graph page would load a remote resource")
    return stripped
