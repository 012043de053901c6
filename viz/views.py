"""Interactive graph pages that work with no network.

`render_graph_html` draws any set of nodes and relationships (as `kb.queries` returns them) with
pyvis: `pyvis.network.Network` holds the nodes, edges and vis-network options and renders them
through its `generate_html`, with our template (`viz/assets/graph.html`) in place of pyvis's.
pyvis's own template always links Bootstrap (and, except with `cdn_resources="in_line"`,
vis-network and tom-select) from CDNs; ours inlines vis-network's script and stylesheet, read at
render time from the installed pyvis package (`pyvis/templates/lib/vis-9.1.2/`), and nothing else
is loaded: no fonts, no images, no favicon. `_offline` drops any remote <script src>/<link href>
that would still appear and refuses a stylesheet that points off the machine.

Colours, shapes, legend entries and descriptions come from `kb.schema` (NODE_TYPES, REL_TYPES).
`neighbourhood_html` is the neighbourhood view used by `kb view` and `/views/neighbourhood/{id}`.
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
from typing import Any, Iterable

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from kb.schema import NODE_TYPES, PREFIX_TO_LABEL, REL_TYPES, Source

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
TEMPLATE = "graph.html"
VIS_DIR = "templates/lib/vis-9.1.2"
LANGS = ("en", "kk", "ru")
PHYSICS_MAX_NODES = 300  # physics below this many nodes; above, a layout computed here and no physics
EDGE_LABELS_MAX = 20  # more edges than this: an edge shows its type only while it or its node is selected
LABEL_MAX_CHARS = 48
FALLBACK_COLOR = "#8c959f"  # a label the schema does not know (never expected)
HIDDEN_PROPERTIES = {"id", "name", "name_kk", "name_ru", "name_en", "aliases", "sources", "search_keys"}
INSIDE_LABEL_SHAPES = {"box", "ellipse", "circle", "database", "text"}
FONT_FACE = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


# --- public -------------------------------------------------------------------------------------


def neighbourhood_html(
    store,
    node_id: str,
    *,
    depth: int = 1,
    labels: list[str] | None = None,
    types: list[str] | None = None,
    lang: str = "en",
    limit: int = 500,
) -> str:
    """The neighbourhood of `node_id` within `depth` hops as a self-contained HTML page."""
    from kb.queries import neighbours

    _check_lang(lang)
    nb = neighbours(store, node_id, depth=depth, labels=labels, types=types, limit=limit)
    centre = nb["centre"]
    shown, total, omitted = len(nb["nodes"]), nb["total"], nb["omitted"]
    note = f"{shown} of {total} neighbours within {depth} hop{'s' if depth > 1 else ''}"
    if labels:
        note += f" · labels: {', '.join(labels)}"
    if types:
        note += f" · relationships: {', '.join(types)}"
    return render_graph_html(
        [centre, *nb["nodes"]],
        nb["relationships"],
        title=f"Neighbourhood of {display_name(centre, lang)}",
        lang=lang,
        note=note,
        omitted=omitted,
        centre=centre["id"],
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
) -> str:
    """A self-contained page drawing `nodes` ({"id","labels","properties"}) and `relationships`
    ({"type","start","end","properties"}); relationships whose ends are not among `nodes` are skipped.

    `note` is shown under the title, `omitted` as "+K not shown"; `centre` and `highlight` ids are
    drawn larger (e.g. a path's nodes). Parallel relationships of one type between the same two
    nodes (a document mentioning an entity several times) are drawn as one edge listing them all.
    """
    _check_lang(lang)
    node_list = list({n["id"]: n for n in nodes}.values())
    ids = {n["id"] for n in node_list}
    grouped: dict[tuple[str, str, str], list[dict]] = {}
    for r in relationships:
        if r["start"] in ids and r["end"] in ids:
            grouped.setdefault((r["start"], r["type"], r["end"]), []).append(r.get("properties") or {})
    big = {centre, *highlight} - {None}
    physics = len(node_list) < PHYSICS_MAX_NODES
    positions = _layout([n["id"] for n in node_list], [(s, e) for s, _, e in grouped], centre, physics)

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading=title)
    data_nodes: dict[str, Any] = {}
    label_counts: Counter[str] = Counter()
    for n in node_list:
        label = primary_label(n)
        label_counts[label] += 1
        color, shape = _style(label)
        name = display_name(n, lang)
        x, y = positions[n["id"]]
        net.add_node(n["id"], label=_shorten(name), shape=shape, **_node_options(n["id"], label, name, color, shape,
                                                                                   n["id"] in big, x, y))
        data_nodes[n["id"]] = _node_data(n, label, name)

    data_edges: dict[str, Any] = {}
    rel_counts: Counter[str] = Counter()
    show_edge_labels = len(grouped) <= EDGE_LABELS_MAX
    for i, ((start, rtype, end), items) in enumerate(sorted(grouped.items())):
        eid = f"e{i}"
        rel_counts[rtype] += len(items)
        cls = REL_TYPES.get(rtype)
        color = cls.color if cls else FALLBACK_COLOR
        width = 1.2 + min(4.0, math.log2(len(items))) if items else 1.2
        label = rtype + (f" ×{len(items)}" if len(items) > 1 else "")
        options: dict[str, Any] = {
            "id": eid,
            "title": f"{label}\n{data_nodes[start]['display']} → {data_nodes[end]['display']}",
            "color": {"color": color, "highlight": _darken(color, 0.35), "hover": _darken(color, 0.2)},
            "width": width,
            "kbType": rtype,
            "kbText": label,  # written on the edge while selected, when there are too many edges to label all
        }
        if show_edge_labels:
            options["label"] = label
        net.add_edge(start, end, **options)
        data_edges[eid] = {
            "id": eid, "type": rtype, "from": start, "to": end,
            "description": cls.description if cls else "",
            "items": [{"props": _edge_props(p), "sources": _sources(p.get("sources"))} for p in items],
        }

    net.options = _vis_options(physics)
    legend = [
        {"label": label, "count": label_counts[label], "description": NODE_TYPES[label].description,
         "swatch": _swatch(*_style(label))}
        for label in NODE_TYPES if label in label_counts
    ] + [  # labels the schema does not define, should a store hold any
        {"label": label, "count": count, "description": "", "swatch": _swatch(*_style(label))}
        for label, count in sorted(label_counts.items()) if label not in NODE_TYPES
    ]
    rel_legend = [
        {"type": t, "count": rel_counts[t], "description": cls.description, "swatch": _line_swatch(cls.color)}
        for t, cls in REL_TYPES.items() if t in rel_counts
    ] + [
        {"type": t, "count": c, "description": "", "swatch": _line_swatch(FALLBACK_COLOR)}
        for t, c in sorted(rel_counts.items()) if t not in REL_TYPES
    ]
    data = {
        "centre": centre,
        "lang": lang,
        "nodes": data_nodes,
        "edges": data_edges,
        "labels": {label: {"color": _style(label)[0], "shape": _style(label)[1]}
                   for label in {*label_counts, *(lab for d in data_nodes.values() for lab in d["labels"])}},
    }
    page = {
        "title": title,
        "note": note,
        "omitted": omitted,
        "lang": lang,
        "edge_labels_always": show_edge_labels,
        "node_count": len(node_list),
        "rel_count": sum(rel_counts.values()),
        "legend": legend,
        "rel_legend": rel_legend,
        "search_names": sorted({d["display"] for d in data_nodes.values()} | set(data_nodes)),
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
    props = node.get("properties") or {}
    return props.get(f"name_{lang}") or props.get("name") or node["id"]


def primary_label(node: dict[str, Any]) -> str:
    """The node's schema label: the first of its labels the schema defines, else the id's prefix's."""
    for label in node.get("labels") or []:
        if label in NODE_TYPES:
            return label
    prefix = node["id"].split(":", 1)[0]
    return PREFIX_TO_LABEL.get(prefix) or (node.get("labels") or ["?"])[0]


# --- page pieces ----------------------------------------------------------------------------------


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")


def _style(label: str) -> tuple[str, str]:
    cls = NODE_TYPES.get(label)
    return (cls.color, cls.shape) if cls else (FALLBACK_COLOR, "dot")


def _shorten(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _node_options(node_id: str, label: str, name: str, color: str, shape: str, big: bool,
                  x: float, y: float) -> dict[str, Any]:
    inside = shape in INSIDE_LABEL_SHAPES
    font: dict[str, Any] = {"face": FONT_FACE, "size": 16 if big else 13}
    if shape == "text":
        font.update(color=_darken(color, 0.25), background="rgba(255,255,255,0.85)")
    elif inside:
        font.update(color="#ffffff" if _luminance(color) < 0.45 else "#1f2328")
    else:
        font.update(color="#1f2328", strokeWidth=3, strokeColor="#ffffff")
    options: dict[str, Any] = {
        "title": f"{name}\n{label} · {node_id}",
        "color": {
            "background": color, "border": _darken(color, 0.3),
            "highlight": {"background": color, "border": "#0969da"},
            "hover": {"background": color, "border": "#0969da"},
        },
        "font": font,
        "borderWidth": 3 if big else 1,
        "borderWidthSelected": 4,
        "size": 28 if big else 16,
        "x": round(x, 1),
        "y": round(y, 1),
        "kbLabel": label,
        "widthConstraint": {"maximum": 180},
    }
    if big and shape != "text":
        options["shadow"] = {"enabled": True, "size": 8, "x": 0, "y": 2, "color": "rgba(0,0,0,0.25)"}
    return options


def _node_data(node: dict[str, Any], label: str, name: str) -> dict[str, Any]:
    props = node.get("properties") or {}
    return {
        "id": node["id"],
        "label": label,
        "labels": list(node.get("labels") or [label]),
        "display": name,
        "names": {k: props.get(k) for k in ("name", "name_kk", "name_ru", "name_en")},
        "aliases": list(props.get("aliases") or []),
        "props": {k: v for k, v in sorted(props.items()) if k not in HIDDEN_PROPERTIES and v not in (None, [], "")},
        "sources": _sources(props.get("sources")),
    }


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


def _vis_options(physics: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False,
                        "hideEdgesOnDrag": not physics},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"face": FONT_FACE, "size": 10, "color": "#57606a", "strokeWidth": 3, "strokeColor": "#ffffff",
                     "align": "middle"},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3} if physics else False,
            "selectionWidth": 2,
        },
        "nodes": {"font": {"face": FONT_FACE}},
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


def _layout(ids: list[str], pairs: list[tuple[str, str]], centre: str | None, physics: bool) -> dict[str, tuple[float, float]]:
    """Positions in vis pixels from networkx's spring layout (fixed seed, so a page renders the same
    each time). With physics on they are the simulation's starting point; off, they are final."""
    import networkx as nx

    if not ids:
        return {}
    g = nx.Graph()
    g.add_nodes_from(ids)
    g.add_edges_from(pairs)
    n = len(ids)
    scale = max(250.0, 90.0 * math.sqrt(n))
    fixed = None
    pos0 = None
    if centre in g and n > 1:
        pos0, fixed = {centre: (0.0, 0.0)}, [centre]
    try:
        pos = nx.spring_layout(g, seed=7, k=2.0 / math.sqrt(n) if n > 1 else None, iterations=60 if physics else 120,
                               pos=pos0, fixed=fixed, scale=None if fixed else 1.0)
    except ImportError:  # networkx's layouts need numpy; without it, a circle around the centre
        return _circle(ids, centre, scale)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    cx = 0.0 if fixed else (max(xs) + min(xs)) / 2
    cy = 0.0 if fixed else (max(ys) + min(ys)) / 2
    return {k: ((float(p[0]) - cx) * 2 * scale / span, (float(p[1]) - cy) * 2 * scale / span) for k, p in pos.items()}


def _circle(ids: list[str], centre: str | None, scale: float) -> dict[str, tuple[float, float]]:
    ring = [i for i in ids if i != centre]
    pos = {centre: (0.0, 0.0)} if centre in ids else {}
    for k, i in enumerate(ring):
        a = 2 * math.pi * k / max(1, len(ring))
        pos[i] = (scale * math.cos(a), scale * math.sin(a))
    return pos


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
