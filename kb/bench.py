"""`kb bench`: load, re-load and query synthetic knowledge bases of growing size, with baselines.

For each size, in one process: generate the inputs (`kb.synth`), load them through the real ingest
path into a fresh embedded store, re-run the load (unchanged files: skipped by hash) and re-apply
the main graph file (every MERGE again over what is there), then time the API's queries on sampled
ids. Baselines measured in the same run: loading the same rows one MERGE per row, one transaction
each (the naive way), on a sample; and every query done by networkx on the same graph in memory.
Peak memory (VmHWM, reset per size), disk size, and where the load's time went are reported too.

Figures, not tests: the machine is shared and has 2 cores; the load average is printed beside them.
"""
from __future__ import annotations

import cProfile
import gc
import io
import os
import pstats
import random
import shutil
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable

from ingest.bulk import CHUNK_LINES
from kb.store import Statement, Store

QUERY_BUDGET_S = 20.0   # per query kind and size, at most
NETWORKX_MAX_NODES = 300_000  # networkx holds ~13 kB a node with its properties: 1M nodes would need ~13 GB
NAIVE_ROWS = 3000        # rows of each kind the naive baseline loads
AGGREGATE = ("MATCH (r:Region)<-[:LOCATED_IN]-(a:ReligiousAssociation)-[:BELONGS_TO]->(c:Confession) "
             "RETURN r.id AS region, c.id AS confession, count(a) AS associations ORDER BY associations DESC")


def _rss_peak_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS
    except OSError:
        pass


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def _timed(fn: Callable[[Any], Any], args: list[Any], budget_s: float = QUERY_BUDGET_S) -> list[float]:
    """Milliseconds per call, over `args` in order, until the budget is spent (at least 5 calls)."""
    out, start = [], time.perf_counter()
    for i, a in enumerate(args):
        t0 = time.perf_counter()
        fn(a)
        out.append((time.perf_counter() - t0) * 1000)
        if i >= 4 and time.perf_counter() - start > budget_s:
            break
    return out


# ---- loading ------------------------------------------------------------------------------

def load(store: Store, inputs: Path, *, skip_documents: bool = False) -> dict[str, Any]:
    """Every ingest step of `inputs`; times per kind, and the bulk figures from the graph files."""
    from ingest.pipeline import ingest
    from kb.synth import ingest_steps

    result: dict[str, Any] = {"steps": {}, "rejected": 0, "errors": []}
    node_chunks, rel_chunks = [0, 0.0], [0, 0.0]
    parse = check = write = 0.0
    main = inputs / "30-graph.jsonl"
    # at least 10 chunks, so most hold only nodes or only relationships (the default above 200k lines)
    chunk_lines = min(CHUNK_LINES, max(1000, sum(1 for _ in main.open("rb")) // 10)) if main.exists() else None
    for kind, paths in ingest_steps(inputs):
        if kind == "documents" and skip_documents:
            continue
        t0 = time.perf_counter()
        nodes = rels = 0
        for outcome in ingest(store, kind, paths, chunk_lines=chunk_lines):
            if outcome.error:
                result["errors"].append(outcome.error)
            result["rejected"] += len(outcome.rejected_rows)
            if outcome.report:
                nodes += outcome.report.nodes
                rels += outcome.report.relations
            if t := outcome.timings:
                parse, check, write = parse + t.parse, check + t.check, write + t.write
                for n, r, s in t.per_chunk:
                    if n and not r:
                        node_chunks = [node_chunks[0] + n, node_chunks[1] + s]
                    elif r and not n:
                        rel_chunks = [rel_chunks[0] + r, rel_chunks[1] + s]
        step = result["steps"].setdefault(kind, {"s": 0.0, "nodes": 0, "rels": 0})
        step["s"] += time.perf_counter() - t0
        step["nodes"] += nodes
        step["rels"] += rels
    result["node_chunks"], result["rel_chunks"] = node_chunks, rel_chunks
    result["parse_s"], result["check_s"], result["write_s"] = parse, check, write
    return result


def naive_load(store: Store, inputs: Path, rows: int = NAIVE_ROWS) -> dict[str, float]:
    """The naive way: one MERGE statement per row, each its own transaction, for the first `rows`
    nodes of the main graph file and then `rows` relationships among what is loaded."""
    from ingest.bulk import _chunks, _Parser, file_sha256
    from kb.schema import doc_source_prefix

    path = inputs / "30-graph.jsonl"
    parser = _Parser(path, "doc:graph-naive", "manual")
    _, total = file_sha256(path)
    present = {r["id"] for r in store.rows("MATCH (n) RETURN n.id AS id")}
    node_rows: list[tuple[str, dict]] = []
    rel_rows: list[tuple[tuple, dict]] = []
    for lines in _chunks(path, 20_000, -(-total // 20_000)):
        nodes, rels = parser.chunk(lines, [])
        for label, rs in nodes.items():
            node_rows += [(label, r) for r in rs]
        rel_rows += [(g, r) for _, g, r in rels]
        if len(node_rows) >= rows and len(rel_rows) >= 10 * rows:
            break
    node_rows = node_rows[:rows]
    present |= {r["id"] for _, r in node_rows}
    rel_rows = [(g, r) for g, r in rel_rows if r["src"] in present and r["dst"] in present][:rows]
    prefix = doc_source_prefix("doc:graph-naive")
    src = "[s IN coalesce({v}.sources, []) WHERE NOT s STARTS WITH $prefix] + $sources"
    t0 = time.perf_counter()
    for label, r in node_rows:
        store.write([Statement(f"MERGE (n:{label} {{id: $id}}) SET n += $props, n.sources = {src.format(v='n')}",
                               {"id": r["id"], "props": r["props"], "sources": r["sources"], "prefix": prefix})])
    t1 = time.perf_counter()
    for (rtype, a, b, key), r in rel_rows:
        keymap = ", ".join(f"{k}: $key.{k}" for k in key)
        store.write([Statement(
            f"MATCH (a:{a} {{id: $src}}) MATCH (b:{b} {{id: $dst}}) "
            f"MERGE (a)-[r:{rtype}{' {' + keymap + '}' if keymap else ''}]->(b) SET r += $props, r.sources = {src.format(v='r')}",
            {**r, "prefix": prefix})])
    t2 = time.perf_counter()
    return {"nodes": len(node_rows), "nodes_s": t1 - t0, "rels": len(rel_rows), "rels_s": t2 - t1}


# ---- queries ------------------------------------------------------------------------------

def sample(store: Store, seed: int, n: int = 200) -> dict[str, Any]:
    rng = random.Random(seed)
    ids = [r["id"] for r in store.rows("MATCH (n) WHERE NOT n:Document RETURN n.id AS id, n.name AS name")]
    names = {r["id"]: r["name"] for r in store.rows("MATCH (n) WHERE NOT n:Document RETURN n.id AS id, n.name AS name")}
    picked = rng.sample(ids, min(n, len(ids)))
    words = [w for i in picked for w in [(names.get(i) or "").split(" ")[0].strip("«»\"")] if len(w) >= 3]
    return {"ids": picked, "pairs": list(zip(picked[::2], picked[1::2])), "search": words[:n]}


def store_queries(store: Store, s: dict[str, Any]) -> dict[str, list[float]]:
    from kb import queries as q

    def path(pair):
        return q.shortest_path(store, pair[0], pair[1], max_length=4)

    return {
        "entity": _timed(lambda i: q.entity(store, i), s["ids"]),
        "neighbours d1": _timed(lambda i: q.neighbours(store, i, depth=1, limit=100), s["ids"]),
        "neighbours d2": _timed(lambda i: q.neighbours(store, i, depth=2, limit=100), s["ids"]),
        "shortest path": _timed(path, s["pairs"]),
        "region x confession": _timed(lambda _: store.rows(AGGREGATE), list(range(30))),
        "search": _timed(lambda w: q.search(store, w, limit=20), s["search"]),
    }


def networkx_queries(store: Store, s: dict[str, Any]) -> tuple[dict[str, list[float]], float, float]:
    """The same questions answered by networkx over the whole graph in memory (built from the store)."""
    import networkx as nx

    from kb.export import to_networkx
    from kb.text import ascii_key, fold

    before = _rss_mb()
    t0 = time.perf_counter()
    g = to_networkx(store)
    ug = g.to_undirected(as_view=True)
    build_s = time.perf_counter() - t0
    mem = _rss_mb() - before

    def neighbours(node_id, depth):
        reach = nx.single_source_shortest_path_length(ug, node_id, cutoff=depth)
        page = sorted(k for k in reach if k != node_id)[:100]
        keep = set(page) | {node_id}
        return page, [(a, b) for a, b in g.subgraph(keep).edges()]

    def path(pair):
        try:
            return nx.bidirectional_shortest_path(ug, *pair)
        except nx.NetworkXNoPath:
            return None

    def aggregate(_):
        c = Counter()
        for n, data in g.nodes(data=True):
            if "ReligiousAssociation" in data.get("labels", ()):
                out = defaultdict(list)
                for _, dst, d in g.out_edges(n, data=True):
                    out[d["type"]].append(dst)
                for r in out["LOCATED_IN"]:
                    for c_ in out["BELONGS_TO"]:
                        c[(r, c_)] += 1
        return c.most_common()

    def search(w):
        keys = {fold(w), ascii_key(w)}
        return [n for n, d in g.nodes(data=True) if any(q in k for k in d.get("search_keys", ()) for q in keys)][:20]

    times = {
        "entity": _timed(lambda i: dict(g.nodes[i]), s["ids"]),
        "neighbours d1": _timed(lambda i: neighbours(i, 1), s["ids"]),
        "neighbours d2": _timed(lambda i: neighbours(i, 2), s["ids"]),
        "shortest path": _timed(path, s["pairs"]),
        "region x confession": _timed(aggregate, list(range(30))),
        "search": _timed(search, s["search"]),
    }
    return times, build_s, mem


# ---- one size -----------------------------------------------------------------------------

def bench_size(nodes: int, seed: int, workdir: Path, *, profile: bool = False, baselines: bool = True,
               log: Callable[[str], None] = print) -> dict[str, Any]:
    from ingest.bulk import load_graph
    from kb.store.embedded import EmbeddedStore
    from kb.synth import synthesize

    inputs, data = workdir / f"{nodes}" / "inputs", workdir / f"{nodes}" / "kb"
    shutil.rmtree(workdir / f"{nodes}", ignore_errors=True)
    r: dict[str, Any] = {"size": nodes, "load_average": os.getloadavg()[0]}
    t0 = time.perf_counter()
    manifest = synthesize(nodes, seed, inputs)
    r["synth_s"] = time.perf_counter() - t0
    r["manifest"] = {k: manifest[k] for k in ("nodes", "relationships", "degree")}
    log(f"[{nodes}] synthesised {manifest['nodes']} nodes, {manifest['relationships']} relationships "
        f"in {r['synth_s']:.1f}s")

    gc.collect()
    _reset_peak()
    store = EmbeddedStore(data)
    c0, t0 = time.process_time(), time.perf_counter()
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    loaded = load(store, inputs)
    if profiler:
        profiler.disable()
    r["load_s"], r["load_cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
    r["load"] = loaded
    r["peak_load_mb"] = _rss_peak_mb()
    counts = store.counts()
    r["graph"] = {"nodes": counts[0], "relationships": counts[1]}
    if profiler:
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats("tottime").print_stats(15)
        r["profile"] = buf.getvalue()
    log(f"[{nodes}] loaded {counts[0]} nodes, {counts[1]} relationships in {r['load_s']:.1f}s "
        f"(load average {os.getloadavg()[0]:.1f})")

    t0 = time.perf_counter()
    again = load(store, inputs)
    r["reload_s"] = time.perf_counter() - t0
    r["reload"] = again
    assert again["rejected"] == 0 and not again["errors"], again
    t0 = time.perf_counter()
    reapplied = load_graph(store, inputs / "30-graph.jsonl", reapply=True)
    r["reapply_s"] = time.perf_counter() - t0
    r["reapply_records"] = reapplied.report.nodes + reapplied.report.relations
    after = store.counts()
    r["reload_identical_counts"] = after == counts
    log(f"[{nodes}] re-load {r['reload_s']:.1f}s, re-apply {r['reapply_s']:.1f}s, counts unchanged: {after == counts}")

    s = sample(store, seed)
    r["plans"] = plans(store, s)
    r["queries"] = {k: {"n": len(v), "p50": _pct(v, 50), "p99": _pct(v, 99)} for k, v in store_queries(store, s).items()}
    r["peak_mb"] = _rss_peak_mb()
    log(f"[{nodes}] queries: " + ", ".join(f"{k} p50 {v['p50']:.1f} p99 {v['p99']:.1f} ms" for k, v in r["queries"].items()))
    if baselines and nodes <= NETWORKX_MAX_NODES:
        nx_times, build_s, nx_mb = networkx_queries(store, s)
        r["networkx"] = {k: {"n": len(v), "p50": _pct(v, 50), "p99": _pct(v, 99)} for k, v in nx_times.items()}
        r["networkx_build_s"], r["networkx_mb"] = build_s, nx_mb
        log(f"[{nodes}] networkx: built in {build_s:.1f}s, +{nx_mb:.0f} MB")
    t0 = time.perf_counter()
    store.close()
    r["close_s"] = time.perf_counter() - t0
    r["disk_mb"] = _du(data) / 1e6
    r["inputs_mb"] = _du(inputs) / 1e6
    if baselines:
        naive_dir = workdir / f"{nodes}" / "naive"
        with EmbeddedStore(naive_dir) as naive:
            base = load(naive, _base_inputs(inputs, workdir / f"{nodes}" / "naive-inputs"), skip_documents=True)
            assert not base["errors"]
            r["naive"] = naive_load(naive, inputs)
        shutil.rmtree(naive_dir, ignore_errors=True)
        log(f"[{nodes}] naive: {r['naive']['nodes']} nodes in {r['naive']['nodes_s']:.1f}s, "
            f"{r['naive']['rels']} relationships in {r['naive']['rels_s']:.1f}s")
    return r


def _base_inputs(inputs: Path, out: Path) -> Path:
    """The inputs without the main graph file (what the naive baseline's rows rest on)."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(inputs, out, ignore=shutil.ignore_patterns("30-graph.jsonl", "40-documents"))
    return out


# ---- the table ----------------------------------------------------------------------------

def rows_for_table(results: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    def rate(n, s):
        return n / s if s else float("nan")

    def k(x):
        return f"{x / 1000:.1f}k" if x == x else "-"

    out: list[tuple[str, list[str]]] = []
    add = lambda name, f: out.append((name, [f(r) for r in results]))  # noqa: E731
    add("nodes / relationships in the store", lambda r: f"{r['graph']['nodes']:,} / {r['graph']['relationships']:,}")
    add("load, all inputs (s)", lambda r: f"{r['load_s']:.1f} (cpu {r['load_cpu_s']:.1f})")
    add("bulk nodes/s (node chunks)", lambda r: k(rate(*r["load"]["node_chunks"])))
    add("bulk rels/s (relationship chunks)", lambda r: k(rate(*r["load"]["rel_chunks"])))
    add("bulk records/s, graph files end to end", lambda r: k(rate(
        r["load"]["steps"]["graph"]["nodes"] + r["load"]["steps"]["graph"]["rels"], r["load"]["steps"]["graph"]["s"])))
    add("  naive, one MERGE per row: nodes/s", lambda r: k(rate(r["naive"]["nodes"], r["naive"]["nodes_s"])) if "naive" in r else "-")
    add("  naive: rels/s", lambda r: k(rate(r["naive"]["rels"], r["naive"]["rels_s"])) if "naive" in r else "-")
    add("  bulk / naive (nodes, rels)", lambda r: (
        f"{rate(*r['load']['node_chunks']) / rate(r['naive']['nodes'], r['naive']['nodes_s']):.0f}x, "
        f"{rate(*r['load']['rel_chunks']) / rate(r['naive']['rels'], r['naive']['rels_s']):.0f}x") if "naive" in r else "-")
    add("registries (s)", lambda r: f"{r['load']['steps'].get('registry', {}).get('s', 0):.1f}")
    add("documents, 3 letters (s)", lambda r: f"{r['load']['steps'].get('documents', {}).get('s', 0):.1f}")
    add("load time: parse / endpoint check / write (s)",
        lambda r: f"{r['load']['parse_s']:.1f} / {r['load']['check_s']:.1f} / {r['load']['write_s']:.1f}")
    add("re-load, unchanged (s): all / graph files", lambda r: f"{r['reload_s']:.2f} / {r['reload']['steps']['graph']['s']:.2f}")
    add("re-apply graph file, MERGE all (s)", lambda r: f"{r['reapply_s']:.1f} ({k(rate(r['reapply_records'], r['reapply_s']))}/s)")
    for q in ("entity", "neighbours d1", "neighbours d2", "shortest path", "region x confession", "search"):
        add(f"{q} p50 / p99 (ms)", lambda r, q=q: f"{r['queries'][q]['p50']:.1f} / {r['queries'][q]['p99']:.1f}")
        add(f"  networkx p50 / p99, store/networkx", lambda r, q=q: (
            f"{r['networkx'][q]['p50']:.2f} / {r['networkx'][q]['p99']:.2f}, "
            f"{r['queries'][q]['p50'] / max(r['networkx'][q]['p50'], 1e-3):.1f}x") if "networkx" in r else "-")
    add("peak memory: load / with queries (MB)", lambda r: f"{r['peak_load_mb']:.0f} / {r['peak_mb']:.0f}")
    add("  networkx graph in memory (MB, build s)",
        lambda r: f"{r['networkx_mb']:.0f} ({r['networkx_build_s']:.1f}s)" if "networkx" in r
        else f"skipped above {NETWORKX_MAX_NODES:,} nodes")
    add("disk: store / inputs (MB)", lambda r: f"{r['disk_mb']:.0f} / {r['inputs_mb']:.0f}")
    add("load average at start", lambda r: f"{r['load_average']:.1f}")
    return out


def plans(store: Store, s: dict[str, Any]) -> dict[str, list[str]]:
    """EXPLAIN of the access patterns the API's queries (kb.queries) use, on sampled ids: the
    operators in order, with estimated rows (a scan of a whole label shows as a large estimate)."""
    from kb.schema import label_of

    node_id, other = s["ids"][0], s["ids"][1]
    label = label_of(node_id)
    ids = [i for i in s["ids"][:100] if label_of(i) == label]
    texts = {
        "entity by id": (f"MATCH (n:{label} {{id: $id}}) RETURN n", {"id": node_id}),
        "expand a frontier (neighbours)": (
            f"UNWIND $ids AS i MATCH (x:{label} {{id: i}})-[r]-(m) RETURN x.id AS src, type(r) AS type, m.id AS dst",
            {"ids": ids}),
        "relationships among ids": (
            f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})-[r]->(b) WHERE b.id IN $ids RETURN a.id, type(r), b.id",
            {"ids": ids}),
        "shortest path": (
            f"MATCH (a:{label} {{id: $a}}), (b:{label_of(other)} {{id: $b}}) "
            "MATCH p = shortestPath((a)-[*..4]-(b)) RETURN p", {"a": node_id, "b": other}),
        "region x confession": (AGGREGATE, {}),
        "label-less id lookup (avoid)": ("MATCH (n {id: $id}) RETURN n", {"id": node_id}),
    }
    out = {}
    for name, (text, params) in texts.items():
        try:
            rows = store.rows("EXPLAIN " + text, params)
            out[name] = [f"{r.get('operation')} (~{r.get('estimated_rows')})" for r in rows
                         if not str(r.get("operation", "")).startswith("OptimizerPass")]
        except Exception as exc:  # noqa: BLE001 - a plan that cannot be shown is reported, not fatal
            out[name] = [f"no plan: {exc}"]
    return out
