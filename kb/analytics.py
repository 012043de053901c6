"""Graph analytics over query results: plain functions, networkx inside.

>>> g = graph_from([{"id": "a"}, {"id": "b"}, {"id": "c"}], [{"start": "a", "end": "b", "type": "X"}])
>>> sorted(map(sorted, components(g)))
[['a', 'b'], ['c']]
"""
from __future__ import annotations

from typing import Any, Iterable

import networkx as nx


def graph_from(nodes: Iterable[dict[str, Any]], relationships: Iterable[dict[str, Any]]) -> nx.MultiDiGraph:
    """A networkx graph of store-shaped nodes and relationships (ids as keys)."""
    g = nx.MultiDiGraph()
    for n in nodes:
        g.add_node(n["id"], labels=n.get("labels", []))
    for r in relationships:
        g.add_edge(r["start"], r["end"], type=r["type"])
    return g


def degree_centrality(g: nx.MultiDiGraph) -> dict[str, float]:
    return nx.degree_centrality(nx.Graph(g)) if len(g) > 1 else {n: 0.0 for n in g}


def betweenness(g: nx.MultiDiGraph, *, seed: int = 7, sample: int | None = None) -> dict[str, float]:
    """Betweenness on the undirected simple graph; `sample` pivots bound the cost on large graphs."""
    simple = nx.Graph(g)
    k = min(sample, len(simple)) if sample else None
    return nx.betweenness_centrality(simple, k=k, seed=seed)


def communities(g: nx.MultiDiGraph, *, seed: int = 7) -> list[set[str]]:
    """Louvain communities, largest first."""
    found = nx.community.louvain_communities(nx.Graph(g), seed=seed) if len(g) else []
    return sorted(found, key=len, reverse=True)


def components(g: nx.MultiDiGraph) -> list[set[str]]:
    """Weakly connected components, largest first."""
    return sorted(nx.weakly_connected_components(g), key=len, reverse=True)


def summary(g: nx.MultiDiGraph, top: int = 10) -> dict[str, Any]:
    """The figures an analyst asks for first: top nodes by degree and betweenness, groups."""
    degree = degree_centrality(g)
    between = betweenness(g, sample=500 if len(g) > 2000 else None)
    rank = lambda scores: [{"id": k, "score": round(v, 6)} for k, v in  # noqa: E731
                           sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    return {
        "nodes": g.number_of_nodes(),
        "relationships": g.number_of_edges(),
        "degree": rank(degree),
        "betweenness": rank(between),
        "communities": [sorted(c) for c in communities(g)],
        "components": [sorted(c) for c in components(g)],
    }
