"""Node positions computed here, so the browser draws them at once and never runs a simulation on a big graph.

- `spring`: networkx's spring layout (fixed seed; the centre pinned at the origin) for small graphs.
- `radial`: a radial tree from a root (the centre, or each component's best-connected node), rings by
  hops, each subtree given an angle in proportion to its leaves; crowded rings are split into staggered
  sub-rings. Linear in the size of the graph: 10,000 nodes take well under a second.
- `layered`: top-down layers for hierarchies (parts under their wholes, councils under their bodies),
  ordered within layers by the mean position of their parents.
- `columns`: given columns of ids, left to right (the programme map).

All return {id: (x, y)} in vis-network pixels.
"""
from __future__ import annotations

import math
from collections import defaultdict, deque
from typing import Iterable

SPRING_MAX_NODES = 500  # networkx's spring layout needs scipy beyond this; radial is used instead
NODE_SPACING = 46.0  # px between neighbours on a ring
RING_GAP = 220.0
SUB_RING_GAP = 52.0


def auto(ids: list[str], pairs: Iterable[tuple[str, str]], centre: str | None = None, *,
         iterations: int = 120) -> dict[str, tuple[float, float]]:
    """Spring for small graphs, radial otherwise."""
    pairs = list(pairs)
    if len(ids) <= SPRING_MAX_NODES:
        try:
            return spring(ids, pairs, centre, iterations=iterations)
        except ImportError:  # networkx's layouts need numpy
            pass
    return radial(ids, pairs, centre)


def spring(ids: list[str], pairs: list[tuple[str, str]], centre: str | None = None, *,
           iterations: int = 120, spread: float = 2.0) -> dict[str, tuple[float, float]]:
    import networkx as nx

    if not ids:
        return {}
    g = nx.Graph()
    g.add_nodes_from(ids)
    g.add_edges_from((a, b) for a, b in pairs if a != b)
    n = len(ids)
    scale = max(250.0, 90.0 * math.sqrt(n))
    fixed = pos0 = None
    if centre in g and n > 1:
        pos0, fixed = {centre: (0.0, 0.0)}, [centre]
    pos = nx.spring_layout(g, seed=7, k=spread / math.sqrt(n) if n > 1 else None, iterations=iterations,
                           pos=pos0, fixed=fixed, scale=None if fixed else 1.0)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    cx = 0.0 if fixed else (max(xs) + min(xs)) / 2
    cy = 0.0 if fixed else (max(ys) + min(ys)) / 2
    return {k: ((float(p[0]) - cx) * 2 * scale / span, (float(p[1]) - cy) * 2 * scale / span) for k, p in pos.items()}


def _components(adj: dict[str, set[str]] | dict[str, list[str]], starts: list[str]) -> list[list[str]]:
    """Connected components in breadth-first order, one per start not yet reached, in `starts` order."""
    seen: set[str] = set()
    out = []
    for s in starts:
        if s in seen:
            continue
        comp, queue = [], deque([s])
        seen.add(s)
        while queue:
            v = queue.popleft()
            comp.append(v)
            queue.extend(w for w in adj[v] if w not in seen and not seen.add(w))
        out.append(comp)
    return out


def packed_spring(ids: list[str], pairs: Iterable[tuple[str, str]], *, edge_length: float = 150.0,
                  iterations: int = 200) -> dict[str, tuple[float, float]]:
    """networkx's spring layout per connected component, scaled so an edge is about `edge_length` px, the
    components packed in rows (biggest first). For small graphs made of several trees (confessions)."""
    pairs = list(pairs)
    adj = _adjacency(ids, pairs)
    parts = []
    for comp in _components(adj, sorted(adj, key=lambda k: (-len(adj[k]), k))):
        s = comp[0]
        if len(comp) == 1:
            parts.append({s: (0.0, 0.0)})
            continue
        members = set(comp)
        sub = [(a, b) for a, b in pairs if a in members and b in members and a != b]
        pos = spring(comp, sub, None, iterations=iterations, spread=1.0)
        lengths = [math.dist(pos[a], pos[b]) for a, b in sub] or [1.0]
        mean = sum(lengths) / len(lengths) or 1.0
        parts.append({k: (x * edge_length / mean, y * edge_length / mean) for k, (x, y) in pos.items()})
    return _pack(parts) if parts else {}


def _adjacency(ids: list[str], pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    known = set(ids)
    adj: dict[str, set[str]] = {i: set() for i in ids}
    for a, b in pairs:
        if a != b and a in known and b in known:
            adj[a].add(b)
            adj[b].add(a)
    return {k: sorted(v) for k, v in adj.items()}


def radial(ids: list[str], pairs: Iterable[tuple[str, str]], centre: str | None = None, *,
           order: dict[str, tuple] | None = None, roots: Iterable[str] = (),
           ring_gap: float = RING_GAP) -> dict[str, tuple[float, float]]:
    """A radial tree per connected component; components packed in rows, the centre's first.

    Each component grows from the first of `roots` it holds, else from its best-connected node. `order`
    gives a sort key per id for siblings (default: by id), so that, e.g., nodes of one label sit together
    around their parent."""
    adj = _adjacency(ids, pairs)
    starts = ([centre] if centre in adj else []) + [r for r in roots if r in adj] \
        + sorted(adj, key=lambda k: (-len(adj[k]), k))
    components = _components(adj, starts)
    key = (lambda v: order.get(v, (v,))) if order else (lambda v: (v,))
    placed = [_radial_tree(comp[0], adj, key, ring_gap) for comp in components]
    return _pack(placed, keep_first=centre in adj) if placed else {}


def _radial_tree(root: str, adj: dict[str, list[str]], key, ring_gap: float = RING_GAP) -> dict[str, tuple[float, float]]:
    parent = {root: None}
    depth = {root: 0}
    children: dict[str, list[str]] = defaultdict(list)
    queue, order = deque([root]), []
    while queue:
        v = queue.popleft()
        order.append(v)
        for w in adj[v]:
            if w not in parent:
                parent[w] = v
                depth[w] = depth[v] + 1
                children[v].append(w)
                queue.append(w)
    if len(order) == 1:
        return {root: (0.0, 0.0)}
    for v in children:
        children[v].sort(key=key)
    weight: dict[str, float] = {}
    for v in reversed(order):
        weight[v] = max(1.0, sum(weight[c] for c in children[v]))
    # angles: each subtree gets a share of its parent's sector in proportion to its weight
    angle: dict[str, float] = {root: 0.0}
    sector: dict[str, tuple[float, float]] = {root: (0.0, 2 * math.pi)}
    for v in order:
        lo, hi = sector[v]
        total = sum(weight[c] for c in children[v]) or 1.0
        a = lo
        for c in children[v]:
            share = (hi - lo) * weight[c] / total
            sector[c] = (a, a + share)
            angle[c] = a + share / 2
            a += share
    # rings: crowded rings become staggered sub-rings, each ring just outside the previous one
    by_depth: dict[int, list[str]] = defaultdict(list)
    for v in order:
        by_depth[depth[v]].append(v)
    pos = {root: (0.0, 0.0)}
    inner = 0.0
    for d in range(1, max(by_depth) + 1):
        ring = sorted(by_depth[d], key=lambda v: angle[v])
        base = inner + ring_gap if d > 1 else max(ring_gap, NODE_SPACING * min(len(ring), 40) / (2 * math.pi))
        capacity = max(1, int(2 * math.pi * base / NODE_SPACING))
        subs = max(1, math.ceil(len(ring) / capacity))
        for i, v in enumerate(ring):
            r = base + (i % subs) * SUB_RING_GAP
            pos[v] = (r * math.cos(angle[v]), r * math.sin(angle[v]))
        inner = base + (subs - 1) * SUB_RING_GAP
    return pos


def _pack(parts: list[dict[str, tuple[float, float]]], gap: float = 120.0,
          keep_first: bool = False) -> dict[str, tuple[float, float]]:
    """Lay out several components side by side in rows (biggest first, the first kept first when asked),
    the rows about 1.5 times as wide as the whole is tall, like a screen."""
    if len(parts) == 1:
        return parts[0]
    boxes = []
    for p in parts:
        xs = [x for x, _ in p.values()]
        ys = [y for _, y in p.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + 120, max(ys) - min(ys) + 80))
    order = sorted(range(len(parts)), key=lambda i: (not (keep_first and i == 0), -boxes[i][2] * boxes[i][3], i))
    parts, boxes = [parts[i] for i in order], [boxes[i] for i in order]
    row_width = max(max(b[2] for b in boxes), math.sqrt(sum((b[2] + gap) * (b[3] + gap) for b in boxes) * 2.2))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for p, (mx, my, w, h) in zip(parts, boxes):
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        for k, (px, py) in p.items():
            out[k] = (px - mx + x, py - my + y)
        x += w + gap
        row_h = max(row_h, h)
    return out


def layered(ids: list[str], up: Iterable[tuple[str, str]], *, x_gap: float = 200.0, y_gap: float = 150.0,
            order: dict[str, tuple] | None = None, sweeps: int = 4, wrap: int = 8) -> dict[str, tuple[float, float]]:
    """Top-down layers: `up` holds (child, parent) pairs; roots (no parent) on top, each node one layer below
    its deepest parent. Within a layer nodes are ordered by the mean position of their parents (a few
    down-and-up sweeps of the barycentre heuristic), so most edges run straight down. A layer wider than
    `wrap` nodes is folded into staggered rows; each connected part is laid out on its own and the parts
    are packed in rows, biggest first."""
    up = list(up)
    known = set(ids)
    adj = _adjacency(ids, up)
    parts = []
    base_key = (lambda v: order.get(v, (v,))) if order else (lambda v: (v,))
    for comp in _components(adj, sorted(ids, key=lambda k: (-len(adj[k]), base_key(k)))):
        members = set(comp)
        parts.append(_layered_part(comp, [(c, p) for c, p in up if c in members and p in members and c in known],
                                   x_gap, y_gap, base_key, sweeps, wrap))
    return _pack(parts, gap=80.0) if parts else {}


def _layered_part(ids: list[str], up: list[tuple[str, str]], x_gap: float, y_gap: float, base_key, sweeps: int,
                  wrap: int) -> dict[str, tuple[float, float]]:
    parents: dict[str, set[str]] = defaultdict(set)
    kids: dict[str, set[str]] = defaultdict(set)
    for c, p in up:
        if c != p:
            parents[c].add(p)
            kids[p].add(c)
    level: dict[str, int] = {}
    for v in ids:  # longest path up to a root, iteratively; an edge closing a cycle is ignored
        if v in level:
            continue
        stack, on_stack = [(v, iter(sorted(parents[v])))], {v}
        best: dict[str, int] = {v: 0}
        while stack:
            node, it = stack[-1]
            p = next(it, None)
            if p is None:
                stack.pop()
                on_stack.discard(node)
                level[node] = best[node]
                if stack:
                    par = stack[-1][0]
                    best[par] = max(best[par], level[node] + 1)
                continue
            if p in on_stack:
                continue
            if p in level:
                best[node] = max(best[node], level[p] + 1)
                continue
            best[p] = 0
            on_stack.add(p)
            stack.append((p, iter(sorted(parents[p]))))
    layers: dict[int, list[str]] = defaultdict(list)
    for v in sorted(ids, key=base_key):
        layers[level[v]].append(v)
    rank = {v: i for layer in layers.values() for i, v in enumerate(layer)}
    depths = sorted(layers)

    def bary(v: str, others: set[str]) -> float:
        return sum(rank[o] for o in others) / len(others) if others else rank[v]

    for _ in range(sweeps):
        for d in depths[1:]:
            layers[d].sort(key=lambda v: (bary(v, parents[v]), base_key(v)))
            rank.update({v: i for i, v in enumerate(layers[d])})
        for d in reversed(depths[:-1]):
            layers[d].sort(key=lambda v: (bary(v, kids[v]) if kids[v] else rank[v], base_key(v)))
            rank.update({v: i for i, v in enumerate(layers[d])})
    width = min(wrap, max(len(layers[d]) for d in depths))
    pos = {}
    y = 0.0
    for d in depths:
        row = layers[d]
        chunks = [row[i:i + wrap] for i in range(0, len(row), wrap)]
        for k, chunk in enumerate(chunks):
            offset = (width - len(chunk)) * x_gap / 2 + (x_gap / 2 if k % 2 else 0.0)
            for i, v in enumerate(chunk):
                pos[v] = (offset + i * x_gap, y)
            y += y_gap * (0.55 if k < len(chunks) - 1 else 1.0)
    return pos


def columns(cols: list[list[str]], *, x: list[float], y_gap: float = 40.0,
            gaps: dict[str, float] | None = None) -> dict[str, tuple[float, float]]:
    """Each column top to bottom at its x, centred vertically; `gaps[id]` adds space above that id."""
    pos = {}
    heights = []
    for col in cols:
        h = 0.0
        for i, v in enumerate(col):
            h += (gaps or {}).get(v, 0.0) + (y_gap if i else 0.0)
        heights.append(h)
    for col, cx, h in zip(cols, x, heights):
        yy = -h / 2
        for i, v in enumerate(col):
            yy += (gaps or {}).get(v, 0.0) + (y_gap if i else 0.0)
            pos[v] = (cx, yy)
    return pos
