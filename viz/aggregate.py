"""Beyond a cap, many similar nodes are drawn as one group node ("+412 associations · Almaty region").

Rounds, each collapsing the largest groups first and stopping as soon as the graph fits the cap:

1. `anchors` given by the view (e.g. an association → the region it is located in);
2. leaves: nodes with one neighbour, grouped by that neighbour and their label;
3. by BFS parent from the centre (or each component's best-connected node) and label, deepest first.

Whatever still does not fit is left out, farthest from the centre first, and counted. Relationships
touching a group's members are redirected to the group and merged per (start, type, end), keeping their
count. Group nodes carry `group = {label, anchor, count, members}` for the page's panel.
"""
from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from typing import Any, Callable

from viz.i18n import label_name, t

NODE_CAP = 2000  # most nodes a page draws; more are grouped
MEMBERS_LISTED = 500  # member ids a group node keeps for its panel


@dataclass
class Aggregation:
    total: int  # nodes before grouping
    drawn: int  # nodes after
    groups: int  # group nodes made
    grouped: int  # nodes inside the groups
    truncated: int  # nodes left out
    example: str  # one group's name

    def banner(self, cap: int, lang: str) -> str:
        text = t("aggregated", lang, total=f"{self.total:,}", cap=f"{cap:,}", grouped=f"{self.grouped:,}",
                 groups=f"{self.groups:,}", example=self.example) if self.groups else ""
        if self.truncated:
            text = (text + " " if text else "") + t("truncated", lang, n=f"{self.truncated:,}")
        return text


def aggregate(
    nodes: list[dict[str, Any]],
    relationships: list[dict[str, Any]],
    *,
    cap: int = NODE_CAP,
    centre: str | None = None,
    keep: set[str] | frozenset[str] = frozenset(),
    anchors: dict[str, str] | None = None,
    label_of: Callable[[dict], str],
    name_of: Callable[[dict], str],
    lang: str = "en",
) -> tuple[list[dict], list[dict], Aggregation | None]:
    by_id = {n["id"]: n for n in nodes}
    if len(by_id) <= cap:
        return list(by_id.values()), list(relationships), None
    label = {i: label_of(n) for i, n in by_id.items()}
    adj: dict[str, set[str]] = defaultdict(set)
    for r in relationships:
        s, e = r["start"], r["end"]
        if s != e and s in by_id and e in by_id:
            adj[s].add(e)
            adj[e].add(s)
    protected = {centre, *keep} - {None}
    member_of: dict[str, str] = {}
    groups: dict[str, dict[str, Any]] = {}
    count = len(by_id)

    def collapse(candidates: dict[tuple[str, str], list[str]]) -> None:
        nonlocal count
        for (anchor, lab), members in sorted(candidates.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            if count <= cap:
                return
            members = [m for m in members if m not in member_of]
            if len(members) < 2:
                continue
            gid = f"group:{len(groups) + 1}"
            for m in members:
                member_of[m] = gid
            groups[gid] = {"label": lab, "anchor": anchor, "members": sorted(members)}
            count -= len(members) - 1

    def free(v: str) -> bool:
        return v not in protected and v not in member_of

    if anchors:
        cands: dict[tuple[str, str], list[str]] = defaultdict(list)
        for v, a in anchors.items():
            if v in by_id and free(v) and a in by_id:
                cands[(a, label[v])].append(v)
        collapse(cands)
    if count > cap:
        cands = defaultdict(list)
        for v in by_id:
            if free(v) and len(adj[v]) == 1:
                cands[(next(iter(adj[v])), label[v])].append(v)
        collapse(cands)
    depth, parent = _bfs(by_id, adj, centre)
    if count > cap:
        for d in sorted(set(depth.values()), reverse=True):
            if d == 0 or count <= cap:
                break
            cands = defaultdict(list)
            for v, dv in depth.items():
                if dv == d and free(v) and parent.get(v):
                    cands[(parent[v], label[v])].append(v)
            collapse(cands)
    dropped: set[str] = set()
    if count > cap:
        for v in sorted(by_id, key=lambda k: (-depth.get(k, 0), k)):
            if count <= cap:
                break
            if free(v):
                dropped.add(v)
                count -= 1

    out_nodes = [n for i, n in by_id.items() if i not in member_of and i not in dropped]
    for gid, g in groups.items():
        anchor = by_id.get(g["anchor"])
        where = name_of(anchor) if anchor else g["anchor"]
        n = len(g["members"])
        name = t("group_name", lang, n=f"{n:,}", what=label_name(g["label"], lang, plural=True), where=where)
        out_nodes.append({
            "id": gid, "labels": [g["label"]], "properties": {"name": name},
            "group": {"label": g["label"], "anchor": g["anchor"], "count": n,
                      "members": [{"id": m, "name": name_of(by_id[m])} for m in g["members"][:MEMBERS_LISTED]]},
        })
    out_rels: list[dict] = []
    merged: Counter[tuple[str, str, str]] = Counter()
    for r in relationships:
        s, e = r["start"], r["end"]
        if s in dropped or e in dropped or s not in by_id or e not in by_id:
            continue
        gs, ge = member_of.get(s, s), member_of.get(e, e)
        if gs == s and ge == e:
            out_rels.append(r)
        elif gs != ge:
            merged[(gs, r["type"], ge)] += int((r.get("properties") or {}).get("aggregated") or 1)
    out_rels += [{"type": rt, "start": s, "end": e, "properties": {"aggregated": c}}
                 for (s, rt, e), c in sorted(merged.items())]
    example = ""
    if groups:
        biggest = max(out_nodes, key=lambda n: n.get("group", {}).get("count", 0))
        example = biggest["properties"]["name"]
    info = Aggregation(total=len(by_id), drawn=len(out_nodes), groups=len(groups), grouped=len(member_of),
                       truncated=len(dropped), example=example)
    return out_nodes, out_rels, info


def _bfs(by_id: dict[str, Any], adj: dict[str, set[str]], centre: str | None) -> tuple[dict[str, int], dict[str, str]]:
    depth: dict[str, int] = {}
    parent: dict[str, str] = {}
    roots = ([centre] if centre in by_id else []) + sorted(by_id, key=lambda k: (-len(adj[k]), k))
    for root in roots:
        if root in depth:
            continue
        depth[root] = 0
        queue = deque([root])
        while queue:
            v = queue.popleft()
            for w in sorted(adj[v]):
                if w not in depth:
                    depth[w] = depth[v] + 1
                    parent[w] = v
                    queue.append(w)
    return depth, parent
