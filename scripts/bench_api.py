"""Benchmark the HTTP API on a synthetic graph: p50/p99 latency and requests/s per endpoint.

    .venv/bin/python scripts/bench_api.py --nodes 100000 --seconds 10 --clients 16

1. Builds a graph of `--nodes` nodes in a temporary data directory through the store layer:
   the real reference data (regions, confessions, state bodies) plus synthetic associations,
   districts, bodies, councils, people, programmes and measures, events, observations,
   legal acts and documents, written as batched `UNWIND` statements from schema models
   (`kb.writes`). Degrees are power-law (Zipf): ~70% of associations are Islamic, a few
   regions, bodies and entities take most links, most nodes have one to three.
2. Serves it with the real app (`api.app.create_app`, uvicorn, uvloop/httptools when installed,
   structured request log on) in a separate process on 127.0.0.1, so the load generator does not
   share the server's GIL.
3. Drives each endpoint in turn for `--seconds` (after a short unmeasured warm-up) with
   `--clients` concurrent keep-alive connections (asyncio, raw HTTP/1.1: the client costs a few
   microseconds per request), over random entities, neighbourhoods and realistic searches (names,
   Kazakh inflected forms, abbreviations, Latin transliterations, single words).
4. Runs the same reads in-process against the store (one thread, no HTTP) as a baseline.

Prints one row per endpoint: requests, req/s, p50, p99 (ms), errors, and the in-process p50 and
ops/s with the ratio of HTTP to in-process throughput. With 16 clients in a closed loop the
latency includes queueing (Little's law: latency ≈ clients / throughput); `--clients 1` shows the
bare service time.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYLLABLES = ("ақ", "жан", "нұр", "бек", "қыз", "тал", "сай", "ай", "ел", "дос", "бақ", "бай", "тау", "көл", "шал",
             "мұр", "сәт", "ер", "дәу", "құл", "мар", "жол", "қаз", "ық", "сұл", "тан", "ба", "ра", "ли", "на")
SURNAMES = ("Ахметов", "Омаров", "Сейітов", "Нұрланов", "Жұмабаев", "Қасымов", "Әбенов", "Байұлы", "Серікұлы")
GIVEN = ("Асқар", "Ерлан", "Нұржан", "Айгүл", "Гүлнар", "Дәулет", "Сәуле", "Бауыржан", "Мәди", "Жанар")
KK_ENDINGS = ("ның", "нің", "на", "не", "да", "де", "дағы", "мен", "ға", "ге", "н", "сы")
METRICS = ("religious_associations", "events", "people_covered", "materials_published", "lecturers")


def _zipf(n: int, s: float = 1.1) -> list[float]:
    """Cumulative Zipf weights over n items (for random.choices)."""
    total, cum = 0.0, []
    for i in range(1, n + 1):
        total += 1 / i ** s
        cum.append(total)
    return cum


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


# -- the synthetic graph -----------------------------------------------------------------------

def build(data_dir: Path, nodes: int, seed: int, log: Callable[[str], None]) -> dict[str, Any]:
    from ingest.pipeline import ingest
    from ingest.reference import reference_files
    from kb import schema as S
    from kb.constraints import schema_statements
    from kb.store.embedded import EmbeddedStore
    from kb.writes import node_statements, relation_statements

    rng = random.Random(seed)
    started = time.perf_counter()
    store = EmbeddedStore(data_dir)
    for outcome in ingest(store, "reference", reference_files()):
        if not outcome.ok:
            raise SystemExit(f"reference data did not load: {outcome.error}")
    ref = {label: [r["id"] for r in store.rows(f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id")]
           for label in ("Region", "Confession", "StateBody")}
    have = sum(len(v) for v in ref.values()) + len(store.rows("MATCH (d:Document) RETURN d.id AS id"))
    src = [S.Source(doc="doc:synthetic", method="manual", quote="synthetic")]
    want = max(0, nodes - have)
    share = {"district": 0.006, "StateBody": 0.015, "Council": 0.005, "Person": 0.08, "Programme": 0.002,
             "Measure": 0.03, "Event": 0.08, "Observation": 0.2, "Document": 0.03, "LegalAct": 0.01}
    counts = {k: max(1, int(want * v)) for k, v in share.items()}
    counts["ReligiousAssociation"] = max(1, want - sum(counts.values()))
    new_nodes: list[Any] = []
    rels: list[Any] = []
    kz_regions = [r for r in ref["Region"] if r.startswith("region:kz-")]
    # districts under the real regions (Zipf by region: Almaty and Turkistan take most)
    districts = []
    for i, parent in enumerate(rng.choices(kz_regions, cum_weights=_zipf(len(kz_regions)), k=counts["district"])):
        rid = f"region:syn-district-{i}"
        name = f"{_word(rng)} ауданы"
        new_nodes.append(S.Region(id=rid, name=name, name_ru=name.replace("ауданы", "район"), kind="district",
                                  sources=src))
        rels.append(S.PartOf(start=rid, end=parent, sources=src))
        districts.append(rid)
    places = kz_regions + districts
    place_w = _zipf(len(places), 0.9)
    confessions = ref["Confession"]
    islam = "confession:islam" if "confession:islam" in confessions else confessions[0]
    # state bodies: regional departments under the real ministries and akimats
    bodies = list(ref["StateBody"])
    for i in range(counts["StateBody"]):
        bid = f"statebody:syn-body-{i}"
        place = rng.choices(places, cum_weights=place_w)[0]
        name = f"{_word(rng)} дін істері басқармасы"
        new_nodes.append(S.StateBody(id=bid, name=name, name_ru=f"Управление по делам религий {name.split()[0]}",
                                     aliases=[f"ДІБ-{i}"], kind="department", level="local", sources=src))
        rels.append(S.PartOf(start=bid, end=rng.choices(ref["StateBody"], cum_weights=_zipf(len(ref["StateBody"])))[0],
                             sources=src))
        rels.append(S.LocatedIn(start=bid, end=place, sources=src))
        bodies.append(bid)
    body_w = _zipf(len(bodies), 1.0)
    # associations: ~70% Islamic mosques, the rest churches and communities; a few central ones are hubs
    kinds = {islam: ("мешіті", "Мечеть"), "other": ("шіркеуі", "Церковь")}
    assoc = []
    n_assoc = counts["ReligiousAssociation"]
    for i in range(n_assoc):
        aid = f"association:syn-{i}"
        conf = islam if rng.random() < 0.7 else rng.choice(confessions)
        kk, ru = kinds[islam] if conf == islam else kinds["other"]
        word = _word(rng)
        name = f"«{word}» {kk}"
        new_nodes.append(S.ReligiousAssociation(
            id=aid, name=name, name_ru=f"{ru} «{word}»", aliases=[f"{word} {i}"], kind="mosque" if conf == islam else "church",
            registration_number=f"R{i:07d}", sources=src))
        rels.append(S.BelongsTo(start=aid, end=conf, sources=src))
        rels.append(S.LocatedIn(start=aid, end=rng.choices(places, cum_weights=place_w)[0], sources=src))
        if assoc and rng.random() < 0.3:
            rels.append(S.PartOf(start=aid, end=assoc[min(len(assoc) - 1, int(rng.paretovariate(1.3)) - 1)], sources=src))
        assoc.append(aid)
    councils = []
    for i in range(counts["Council"]):
        cid = f"council:syn-{i}"
        new_nodes.append(S.Council(id=cid, name=f"{_word(rng)} қоғамдық кеңесі", sources=src))
        rels.append(S.AttachedTo(start=cid, end=rng.choices(bodies, cum_weights=body_w)[0], sources=src))
        councils.append(cid)
    people = []
    orgs = bodies + assoc[: max(1, len(assoc) // 10)] + councils
    for i in range(counts["Person"]):
        pid = f"person:syn-{i}"
        new_nodes.append(S.Person(id=pid, name=f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}", sources=src))
        rels.append(S.HoldsPosition(start=pid, end=rng.choice(orgs), position="director", sources=src))
        if councils and rng.random() < 0.3:
            rels.append(S.MemberOf(start=pid, end=rng.choice(councils), sources=src))
        people.append(pid)
    programmes = []
    for i in range(counts["Programme"]):
        pid = f"programme:syn-{i}"
        start = rng.randint(2005, 2022)
        new_nodes.append(S.Programme(id=pid, name=f"{_word(rng)} бағдарламасы {start}-{start + 2}", kind="programme",
                                     period_start=start, period_end=start + 2, sources=src))
        rels.append(S.Developed(start=rng.choices(ref["StateBody"], cum_weights=_zipf(len(ref["StateBody"])))[0],
                                end=pid, sources=src))
        programmes.append((pid, start))
    for i in range(counts["Measure"]):
        mid = f"measure:syn-{i}"
        pid, start = rng.choice(programmes)
        years = [start, start + 1]
        new_nodes.append(S.Measure(id=mid, name=f"{_word(rng)} іс-шарасы", number=i, deadline=str(start + 1),
                                   funding_years=years, funding_amounts=[round(rng.uniform(1, 50), 1) for _ in years],
                                   funding_unit="million KZT", sources=src))
        rels.append(S.PartOf(start=mid, end=pid, sources=src))
        for b in set(rng.choices(bodies, cum_weights=body_w, k=rng.randint(1, 4))):
            rels.append(S.ResponsibleFor(start=b, end=mid, sources=src))
    events = []
    for i in range(counts["Event"]):
        eid = f"event:syn-{i}"
        new_nodes.append(S.Event(id=eid, name=f"{_word(rng)} семинары", kind="seminar",
                                 start_date=f"{rng.randint(2005, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                                 sources=src))
        rels.append(S.Organized(start=rng.choices(bodies, cum_weights=body_w)[0], end=eid, sources=src))
        rels.append(S.HeldAt(start=eid, end=rng.choices(places, cum_weights=place_w)[0], sources=src))
        events.append(eid)
    for i in range(counts["Observation"]):
        oid = f"observation:syn-{i}"
        year = rng.randint(1990, 2024)
        new_nodes.append(S.Observation(id=oid, name=f"observation {i}", metric=rng.choice(METRICS),
                                       value=float(rng.randint(1, 5000)), date=f"{year}-01-01", sources=src))
        rels.append(S.About(start=oid, end=rng.choice(confessions) if rng.random() < 0.5 else
                            rng.choices(places, cum_weights=place_w)[0], sources=src))
        rels.append(S.In(start=oid, end=rng.choices(places, cum_weights=place_w)[0], sources=src))
    acts = []
    for i in range(counts["LegalAct"]):
        lid = f"legalact:syn-{i}"
        new_nodes.append(S.LegalAct(id=lid, name=f"№ {i} қаулы", kind="resolution", number=str(i), sources=src))
        acts.append(lid)
    everything = assoc + bodies + people + events + councils + acts
    every_w = _zipf(len(everything), 0.8)
    for i in range(counts["Document"]):
        did = f"doc:syn-{i}"
        new_nodes.append(S.Document(id=did, name=f"Хат {i}", kind="letter", content_hash=f"{i:016x}", sources=src))
        targets = set(rng.choices(everything, cum_weights=every_w, k=rng.randint(3, 40)))
        for k, target in enumerate(sorted(targets)):
            rels.append(S.Mentions(start=did, end=target, span_start=k * 40, span_end=k * 40 + 20,
                                   quote=f"… {target} …", sources=src))
        if acts:
            rels.append(S.RefersTo(start=did, end=rng.choice(acts), sources=src))
    built = time.perf_counter()
    log(f"  models: {len(new_nodes):,} nodes, {len(rels):,} relationships in {built - started:.1f} s")
    statements = node_statements(new_nodes, "doc:synthetic") + relation_statements(rels, "doc:synthetic")
    for st in statements:
        store.write([st])
    store.run_schema(schema_statements())
    store.checkpoint()
    total_nodes = store.rows("MATCH (n) RETURN count(n) AS c")[0]["c"]
    total_rels = store.rows("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
    hubs = store.rows("MATCH (n) WITH n, COUNT { (n)--() } AS d ORDER BY d DESC LIMIT 3 RETURN n.id AS id, d")
    store.close()
    return {"nodes": total_nodes, "relationships": total_rels, "seconds": round(time.perf_counter() - started, 1),
            "hubs": [(h["id"], h["d"]) for h in hubs], "seed": seed}


# -- workloads -----------------------------------------------------------------------------------

def workloads(data_dir: Path, seed: int) -> dict[str, list[str]]:
    """Request paths per endpoint (and the matching in-process calls), sampled from the graph."""
    from kb.store.embedded import EmbeddedStore
    from kb.text import ascii_key

    rng = random.Random(seed + 1)
    with EmbeddedStore(data_dir, read_only=True) as store:
        rows = store.rows("MATCH (n) RETURN n.id AS id, n.name AS name, n.name_kk AS kk, n.aliases AS aliases")
        bodies = [r["id"] for r in store.rows("MATCH (b:StateBody) RETURN b.id AS id")]
    ids = [r["id"] for r in rows]
    named = [r for r in rows if not r["id"].startswith(("observation:", "doc:"))]
    q = urllib.parse.quote

    def search_term() -> str:
        r = rng.choice(named)
        name = r["kk"] or r["name"]
        words = name.replace("«", "").replace("»", "").split()
        kind = rng.random()
        if kind < 0.3:
            return name  # as written
        if kind < 0.55 and words:  # Kazakh inflection of the last word
            return " ".join(words[:-1] + [words[-1] + rng.choice(KK_ENDINGS)])
        if kind < 0.7:
            return ascii_key(name)  # Latin transliteration
        if kind < 0.85 and r["aliases"]:
            return rng.choice(r["aliases"])  # abbreviation / alias
        return rng.choice(words) if words else name  # one word: many hits, ranked

    def valid(term: str) -> bool:
        return 0 < len(term) <= 200 and any(ch.isalnum() for ch in term)

    def terms(k: int) -> Iterator[str]:
        while k:
            term = search_term()
            if valid(term):
                k -= 1
                yield term

    def pairs(k: int) -> Iterator[tuple[str, str]]:
        while k:
            a, b = rng.choice(bodies), rng.choice(bodies)
            if a != b:
                k -= 1
                yield a, b

    n = 4000
    return {
        "entity": [f"/v1/entities/{q(rng.choice(ids), safe=':')}" for _ in range(n)],
        "neighbors d1": [f"/v1/entities/{q(rng.choice(ids), safe=':')}/neighbors?depth=1&limit=100" for _ in range(n)],
        "neighbors d2 limit 100": [f"/v1/entities/{q(rng.choice(ids), safe=':')}/neighbors?depth=2&limit=100"
                                   for _ in range(n)],
        "search": [f"/v1/search?q={q(t)}&limit=20" for t in terms(n)],
        "shortest path": [f"/v1/paths?from={q(rng.choice(ids))}&to={q(rng.choice(bodies))}&max_length=4"
                          for _ in range(n)],
        "common neighbours": [f"/v1/common-neighbors?a={q(a)}&b={q(b)}&limit=50" for a, b in pairs(n)],
    }


def in_process(path: str) -> Callable[[Any], Any]:
    """The store-level call an HTTP path makes (for the baseline)."""
    from kb import queries

    parsed = urllib.parse.urlparse(path)
    params = dict(urllib.parse.parse_qsl(parsed.query))
    parts = [urllib.parse.unquote(p) for p in parsed.path.split("/")]
    if parts[2] == "entities" and len(parts) == 4:
        return lambda s: queries.entity(s, parts[3])
    if parts[2] == "entities":
        return lambda s: queries.neighbours(s, parts[3], depth=int(params["depth"]), limit=int(params["limit"]))
    if parts[2] == "search":
        return lambda s: queries.search(s, params["q"], limit=int(params["limit"]), with_total=True)
    if parts[2] == "paths":
        return lambda s: queries.shortest_path(s, params["from"], params["to"], max_length=int(params["max_length"]))
    return lambda s: queries.common_neighbours(s, params["a"], params["b"], limit=int(params["limit"]))


# -- the load generator ------------------------------------------------------------------------------

_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.I)


async def _client(port: int, paths: list[str], start: int, deadline: float, measure_from: float,
                  latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = start
    try:
        while True:
            now = time.perf_counter()
            if now >= deadline:
                return
            path = paths[i % len(paths)]
            i += 7
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: bench\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            m = _LENGTH.search(head)
            if m:
                await reader.readexactly(int(m.group(1)))
            done = time.perf_counter()
            if now >= measure_from:
                latencies.append(done - now)
                if head[9:12] != b"200":
                    errors.append(int(head[9:12]))
    finally:
        writer.close()


def drive(port: int, paths: list[str], clients: int, seconds: float, warmup: float) -> dict[str, Any]:
    async def run() -> tuple[list[float], list[int], float]:
        latencies: list[float] = []
        errors: list[int] = []
        t0 = time.perf_counter()
        measure_from = t0 + warmup
        deadline = measure_from + seconds
        await asyncio.gather(*(_client(port, paths, k, deadline, measure_from, latencies, errors)
                               for k in range(clients)))
        return latencies, errors, time.perf_counter() - measure_from

    try:
        import uvloop

        latencies, errors, elapsed = uvloop.run(run())
    except ImportError:
        latencies, errors, elapsed = asyncio.run(run())
    return _summary(latencies, elapsed, errors)


def _summary(latencies: list[float], elapsed: float, errors: list[int] | None = None) -> dict[str, Any]:
    latencies = sorted(latencies)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")  # noqa: E731
    return {"requests": len(latencies), "rps": len(latencies) / elapsed if elapsed else 0.0,
            "p50_ms": pick(0.50), "p99_ms": pick(0.99), "mean_ms": statistics.fmean(latencies) * 1000 if latencies else 0,
            "errors": len(errors or []), "error_codes": sorted(set(errors or []))}


def baseline(data_dir: Path, work: dict[str, list[str]], seconds: float) -> dict[str, dict[str, Any]]:
    """The same reads, in this process, straight on the store: one thread, no HTTP, no JSON."""
    from kb import queries
    from kb.store.embedded import EmbeddedStore

    out = {}
    with EmbeddedStore(data_dir, read_only=True) as store:
        queries.configure_cache(store, freshness_check_s=1.0)
        queries.warm(store)
        for name, paths in work.items():
            calls = [in_process(p) for p in paths]
            for call in calls[: min(200, len(calls))]:  # warm, as the HTTP phase is
                call(store)
            latencies: list[float] = []
            t0 = time.perf_counter()
            i = 0
            while time.perf_counter() - t0 < seconds:
                start = time.perf_counter()
                calls[i % len(calls)](store)
                latencies.append(time.perf_counter() - start)
                i += 7
            out[name] = _summary(latencies, time.perf_counter() - t0)
    return out


# -- the server process --------------------------------------------------------------------------

def serve(data_dir: Path, port: int) -> None:
    import uvicorn

    from api.app import create_app
    from kb import queries
    from kb.settings import Settings
    from kb.store.embedded import EmbeddedStore

    store = EmbeddedStore(data_dir)
    app = create_app(store, Settings(KB_DATA_DIR=str(data_dir)))
    queries.warm(app.state.read_store)  # the search index, before the port opens
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} within {timeout:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=10.0, help="measured seconds per endpoint")
    ap.add_argument("--warmup", type=float, default=None, help="unmeasured seconds per endpoint (default: 10%%)")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data-dir", type=Path, help="keep the graph here (reused when it exists) instead of a temp dir")
    ap.add_argument("--endpoints", help="comma-separated subset of: entity, neighbors d1, neighbors d2 limit 100, "
                                        "search, shortest path, common neighbours")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        return serve(args.serve, args.port)

    log = lambda msg: print(msg, flush=True)  # noqa: E731
    tmp = None
    if args.data_dir:
        data_dir = args.data_dir
    else:
        tmp = Path(tempfile.mkdtemp(prefix="kb-bench-"))
        data_dir = tmp / "kb"
    proc = None
    try:
        if (data_dir / "graph.kgl").exists():
            graph = {"reused": str(data_dir)}
            log(f"reusing the graph in {data_dir}")
        else:
            log(f"building a synthetic graph of {args.nodes:,} nodes in {data_dir} ...")
            graph = build(data_dir, args.nodes, args.seed, log)
            log(f"  {graph['nodes']:,} nodes, {graph['relationships']:,} relationships in {graph['seconds']} s; "
                f"biggest hubs: {', '.join(f'{i} ({d:,})' for i, d in graph['hubs'])}")
        work = workloads(data_dir, args.seed)
        if args.endpoints:
            chosen = [e.strip() for e in args.endpoints.split(",")]
            work = {k: v for k, v in work.items() if k in chosen}
        port = _free_port()
        server_log = (tmp or data_dir) / "server.log"
        log(f"starting the server on 127.0.0.1:{port} (request log: {server_log}) ...")
        t0 = time.perf_counter()
        with server_log.open("w") as err:
            proc = subprocess.Popen([sys.executable, __file__, "--serve", str(data_dir), "--port", str(port)],
                                    cwd=ROOT, stdout=err, stderr=err, start_new_session=True)
        _wait(f"http://127.0.0.1:{port}/v1/health", 300, proc)
        log(f"  ready in {time.perf_counter() - t0:.1f} s (store opened, search index built)")
        warmup = args.warmup if args.warmup is not None else max(0.5, args.seconds * 0.1)
        results = {}
        for name, paths in work.items():
            results[name] = drive(port, paths, args.clients, args.seconds, warmup)
            r = results[name]
            log(f"  {name:24s} {r['rps']:8.0f} req/s  p50 {r['p50_ms']:7.2f} ms  p99 {r['p99_ms']:7.2f} ms"
                + (f"  errors {r['errors']} {r['error_codes']}" if r["errors"] else ""))
        log("in-process baseline (same reads, one thread, on the store) ...")
        base = baseline(data_dir, work, min(args.seconds, 2.0))
        _table(results, base, args, graph)
        if args.json:
            args.json.write_text(json.dumps({"graph": graph, "clients": args.clients, "seconds": args.seconds,
                                             "http": results, "in_process": base}, indent=2))
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _table(results: dict, base: dict, args: argparse.Namespace, graph: dict) -> None:
    print()
    print(f"{args.clients} clients, {args.seconds:g} s per endpoint, keep-alive, 127.0.0.1; graph: "
          + (f"{graph['nodes']:,} nodes, {graph['relationships']:,} relationships" if "nodes" in graph else str(graph))
          + f"; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other processes share the cores)")
    head = (f"| {'endpoint':24s} | {'requests':>8s} | {'req/s':>7s} | {'p50 ms':>7s} | {'p99 ms':>7s} | {'errors':>6s} "
            f"| {'in-process p50 ms':>17s} | {'in-process ops/s':>16s} | {'HTTP/in-process':>15s} |")
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for name, r in results.items():
        b = base.get(name, {})
        ratio = r["rps"] / b["rps"] if b.get("rps") else float("nan")
        print(f"| {name:24s} | {r['requests']:8d} | {r['rps']:7.0f} | {r['p50_ms']:7.2f} | {r['p99_ms']:7.2f} | "
              f"{r['errors']:6d} | {b.get('p50_ms', float('nan')):17.3f} | {b.get('rps', float('nan')):16.0f} | "
              f"{ratio:15.2f} |")


if __name__ == "__main__":
    main()
