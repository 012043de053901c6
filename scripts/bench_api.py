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

    .venv/bin/python scripts/bench_api.py --mixed --nodes 100000 --clients 200 --seconds 60

is a load check instead: the server (with a random `KB_API_KEY`; serving a copy of `--data-dir`,
which stays as built) gets one mix of all the reads above (weights in MIX) from `--clients`
connections without a break: a warm-up, a quiet phase (`--quiet-seconds`, the baseline), then
`--seconds` during which the sample documents (`ingest/samples/*.txt`) are uploaded one after
another through `POST /v1/ingest/document`; the load goes on until the last upload is answered.
Prints requests, req/s, p50, p99, errors and 5xx per endpoint kind and phase, the ratio of p99
and throughput with the ingest to quiet, and each upload's status and time. Exit status 1 when
any request failed (a status other than 2xx/304, a connection error, no answer within
REQUEST_TIMEOUT_S) or an upload was not answered 200 with a document status.
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
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

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
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[^\r]*chunked", re.I)
_CLOSE = re.compile(rb"\r\nconnection:\s*close", re.I)
# a request unanswered this long counts as an error: it detects a hang, not slowness (queueing
# behind 200 clients is expected and measured)
REQUEST_TIMEOUT_S = 300.0


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """One HTTP/1.1 response: status, body, and whether the server closes the connection after it."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    if m := _LENGTH.search(head):
        body = await reader.readexactly(int(m.group(1)))
    elif _CHUNKED.search(head):
        parts = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append((await reader.readexactly(size + 2))[:-2])
        await reader.readuntil(b"\r\n")  # the end of the (empty) trailer
        body = b"".join(parts)
    elif status in (204, 304) or status < 200:
        body = b""
    else:
        return status, await reader.read(), True  # delimited by the close
    return status, body, bool(_CLOSE.search(head))


class Tally:
    """What the requests of one endpoint kind did in one phase: latencies (s), the status codes
    that were not a success, and client-side failures (connection reset/refused, timeout, ...)."""

    __slots__ = ("latencies", "codes", "failures")

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.codes: list[int] = []
        self.failures: list[str] = []

    @classmethod
    def merged(cls, tallies: Iterable["Tally"]) -> "Tally":
        out = cls()
        for t in tallies:
            out.latencies += t.latencies
            out.codes += t.codes
            out.failures += t.failures
        return out


class Load:
    """State shared by the closed-loop clients. Measured phases are (name, start); the last one ends
    at `end`, or later while `hold` > 0 (an ingest still running), so the reads overlap all of it.
    A request counts in the phase it started in; before the first one (warm-up) only its errors count."""

    def __init__(self, phases: list[tuple[str, float]], end: float, timeout: float = REQUEST_TIMEOUT_S):
        self.phases = phases
        self.end = end
        self.timeout = timeout
        self.hold = 0
        self.stopped = end
        self.tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)

    def phase(self, t: float) -> str:
        name = "warm-up"
        for phase, start in self.phases:
            if t >= start:
                name = phase
        return name

    def over(self, now: float) -> bool:
        return now >= self.end and not self.hold

    def summary(self, phase: str, elapsed: float) -> dict[str, Any]:
        """Per endpoint kind and `all` of them together."""
        mine = {kind: t for (p, kind), t in sorted(self.tallies.items()) if p == phase}
        out = {kind: _summary(t.latencies, elapsed, t.codes, t.failures) for kind, t in mine.items()}
        t = Tally.merged(mine.values())
        out["all"] = _summary(t.latencies, elapsed, t.codes, t.failures)
        return out


async def _client(port: int, paths: list[tuple[str, str]], start: int, step: int, load: Load) -> None:
    """One keep-alive connection in a closed loop over (kind, path). A failed request is counted and
    the connection reopened; the request is not retried."""
    writer = None
    i = start
    try:
        while not load.over(time.perf_counter()):
            if writer is None:
                try:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                except OSError as exc:
                    load.tallies[(load.phase(time.perf_counter()), "connect")].failures.append(type(exc).__name__)
                    await asyncio.sleep(0.05)
                    continue
            kind, path = paths[i % len(paths)]
            i += step
            now = time.perf_counter()
            tally = load.tallies[(load.phase(now), kind)]
            try:
                async with asyncio.timeout(load.timeout):
                    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: bench\r\n\r\n".encode())
                    status, _, close = await _response(reader)
            except Exception as exc:  # noqa: BLE001 - every failure is counted, whatever it is
                tally.failures.append(type(exc).__name__)
                writer.close()
                writer = None
                continue
            if now >= load.phases[0][1]:
                tally.latencies.append(time.perf_counter() - now)
            if not (200 <= status < 300 or status == 304):
                tally.codes.append(status)
            if close:
                writer.close()
                writer = None
    finally:
        load.stopped = max(load.stopped, time.perf_counter())
        if writer is not None:
            writer.close()


def _run(coro: Any) -> Any:
    try:
        import uvloop

        return uvloop.run(coro)
    except ImportError:
        return asyncio.run(coro)


def drive(port: int, paths: list[str], clients: int, seconds: float, warmup: float) -> dict[str, Any]:
    """One endpoint's paths, `clients` connections, `seconds` measured after `warmup`."""
    async def run() -> Load:
        measure_from = time.perf_counter() + warmup
        load = Load([("measured", measure_from)], measure_from + seconds)
        await asyncio.gather(*(_client(port, [("", p) for p in paths], k, 7, load) for k in range(clients)))
        return load

    load = _run(run())
    t = Tally.merged(load.tallies.values())  # errors in the warm-up count too
    measured = Tally.merged(v for (p, _), v in load.tallies.items() if p == "measured")
    return _summary(measured.latencies, load.stopped - load.phases[0][1], t.codes, t.failures)


def _summary(latencies: list[float], elapsed: float, codes: list[int] | None = None,
             failures: list[str] | None = None) -> dict[str, Any]:
    latencies = sorted(latencies)
    codes, failures = codes or [], failures or []
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")  # noqa: E731
    return {"requests": len(latencies), "rps": len(latencies) / elapsed if elapsed else 0.0,
            "p50_ms": pick(0.50), "p99_ms": pick(0.99), "mean_ms": statistics.fmean(latencies) * 1000 if latencies else 0,
            "errors": len(codes) + len(failures), "server_errors": sum(c >= 500 for c in codes),
            "client_errors": len(failures), "error_codes": sorted(set(codes)),
            "client_error_kinds": sorted(set(failures))}


# -- the mixed load with an ingest -------------------------------------------------------------------

# mostly cheap reads (entity, search, one hop), fewer depth-2 neighbourhoods and paths
MIX = {"entity": 30, "search": 25, "neighbors d1": 20, "neighbors d2 limit 100": 10, "shortest path": 8,
       "common neighbours": 7}
SAMPLES = sorted((ROOT / "ingest" / "samples").glob("*.txt"))


def mixed(work: dict[str, list[str]], seed: int, n: int = 20_000) -> list[tuple[str, str]]:
    """One request sequence interleaving every endpoint's paths, drawn by MIX's weights."""
    rng = random.Random(seed + 2)
    kinds = [k for k in MIX if k in work]
    used = dict.fromkeys(kinds, 0)
    out = []
    for kind in rng.choices(kinds, weights=[MIX[k] for k in kinds], k=n):
        out.append((kind, work[kind][used[kind] % len(work[kind])]))
        used[kind] += 1
    return out


async def _upload(port: int, key: str, path: Path) -> tuple[int, dict[str, Any]]:
    """POST one document to /v1/ingest/document as multipart, on its own connection."""
    boundary = os.urandom(16).hex()
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            f"Content-Type: text/plain\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"POST /v1/ingest/document HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {key}\r\n"
                     f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n"
                     "Connection: close\r\n\r\n".encode() + body)
        status, raw, _ = await _response(reader)
    finally:
        writer.close()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, {"detail": raw[:200].decode("utf-8", "replace")}


def drive_mixed(port: int, paths: list[tuple[str, str]], clients: int, quiet: float, seconds: float, warmup: float,
                uploads: list[Path], key: str, log: Callable[[str], None],
                timeout: float = REQUEST_TIMEOUT_S) -> dict[str, Any]:
    """`clients` connections over the mixed paths without a break: `warmup`, then `quiet` seconds
    of reads alone (the baseline), then `seconds` while `uploads` go one after another through
    the ingest API (the load goes on until the last one is answered)."""
    async def ingest(load: Load, start: float) -> list[dict[str, Any]]:
        done = []
        try:
            await asyncio.sleep(max(0.0, start - time.perf_counter()))
            for path in uploads:
                t0 = time.perf_counter()
                try:
                    async with asyncio.timeout(timeout):
                        status, body = await _upload(port, key, path)
                    if status == 200:
                        up = {"http": status, "status": body.get("status"), "document": body.get("document"),
                              "nodes": body.get("nodes"), "relationships": body.get("relationships")}
                    else:  # a problem document: its `status` is the HTTP one
                        up = {"http": status, "status": None, "detail": body.get("detail")}
                except Exception as exc:  # noqa: BLE001 - reported as a failed upload
                    up = {"http": None, "status": None, "error": f"{type(exc).__name__}: {exc}"}
                t1 = time.perf_counter()
                done.append({"file": path.name, **up, "seconds": round(t1 - t0, 2),
                             "started_s": round(t0 - start, 2), "finished_s": round(t1 - start, 2)})
                log(f"    upload {path.name}: HTTP {up['http']} {up.get('status') or up.get('detail') or up.get('error')}"
                    f" in {t1 - t0:.1f} s (at {t1 - start:.1f} s of the ingest phase)")
        finally:
            load.hold -= 1
        return done

    async def run() -> tuple[Load, list[dict[str, Any]]]:
        t0 = time.perf_counter()
        quiet_from, ingest_from = t0 + warmup, t0 + warmup + quiet
        load = Load([("quiet", quiet_from), ("ingest", ingest_from)], ingest_from + seconds, timeout)
        load.hold = 1
        step = max(1, len(paths) // clients)
        done, *_ = await asyncio.gather(ingest(load, ingest_from),
                                        *(_client(port, paths, k * step, 1, load) for k in range(clients)))
        return load, done

    load, done = _run(run())
    quiet_from, ingest_from = (start for _, start in load.phases)
    ingest_s = load.stopped - ingest_from
    return {"quiet": load.summary("quiet", ingest_from - quiet_from),
            "ingest": load.summary("ingest", ingest_s),
            "warm-up": load.summary("warm-up", warmup)["all"],
            "uploads": done, "ingest_phase_s": round(ingest_s, 2)}


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
    if app.state.settings.api_key:  # and the uploads' gazetteer, so the quiet phase is quiet
        app.state.ingest_names.for_store(store)
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
    ap.add_argument("--seconds", type=float, default=10.0,
                    help="measured seconds per endpoint (--mixed: of the phase with the ingest)")
    ap.add_argument("--warmup", type=float, default=None, help="unmeasured seconds per endpoint (default: 10%%)")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data-dir", type=Path, help="keep the graph here (reused when it exists) instead of a temp dir; "
                                                  "--mixed serves a copy, so the graph stays as built")
    ap.add_argument("--endpoints", help="comma-separated subset of: entity, neighbors d1, neighbors d2 limit 100, "
                                        "search, shortest path, common neighbours")
    ap.add_argument("--mixed", action="store_true",
                    help="one load mixing every endpoint: a quiet phase, then --seconds while the sample documents "
                         "are uploaded through the ingest API; exit 1 on any error or 5xx")
    ap.add_argument("--quiet-seconds", type=float, default=None,
                    help="--mixed: measured seconds without the ingest, the baseline (default: a quarter of --seconds)")
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
    failed = False
    try:
        if (data_dir / "graph.kgl").exists():
            graph = {"reused": str(data_dir), **_counts(data_dir)}
            log(f"reusing the graph in {data_dir}: {graph['nodes']:,} nodes, {graph['relationships']:,} relationships")
        else:
            log(f"building a synthetic graph of {args.nodes:,} nodes in {data_dir} ...")
            graph = build(data_dir, args.nodes, args.seed, log)
            log(f"  {graph['nodes']:,} nodes, {graph['relationships']:,} relationships in {graph['seconds']} s; "
                f"biggest hubs: {', '.join(f'{i} ({d:,})' for i, d in graph['hubs'])}")
        work = workloads(data_dir, args.seed)
        if args.endpoints:
            chosen = [e.strip() for e in args.endpoints.split(",")]
            work = {k: v for k, v in work.items() if k in chosen}
        served, env = data_dir, dict(os.environ)
        if args.mixed:
            if tmp is None:  # the uploads change the graph: serve a copy, so every run uploads the same news
                tmp = Path(tempfile.mkdtemp(prefix="kb-bench-"))
                served = tmp / "kb"
                shutil.copytree(data_dir, served, ignore=shutil.ignore_patterns("server.log", "*.lock", "*.lock-owner"))
            env["KB_API_KEY"] = key = os.urandom(24).hex()  # through the environment: never on a command line
            env.pop("KB_READ_API_KEY", None)  # the reads go without a key
        port = _free_port()
        server_log = (tmp or data_dir) / "server.log"
        log(f"starting the server on 127.0.0.1:{port} (request log: {server_log}) ...")
        t0 = time.perf_counter()
        with server_log.open("w") as err:
            proc = subprocess.Popen([sys.executable, __file__, "--serve", str(served), "--port", str(port)],
                                    cwd=ROOT, stdout=err, stderr=err, start_new_session=True, env=env)
        _wait(f"http://127.0.0.1:{port}/v1/health", 300, proc)
        log(f"  ready in {time.perf_counter() - t0:.1f} s (store opened, search index built)")
        warmup = args.warmup if args.warmup is not None else max(0.5, args.seconds * 0.1)
        if args.mixed:
            quiet = args.quiet_seconds if args.quiet_seconds is not None else max(1.0, args.seconds / 4)
            log(f"mixed load, {args.clients} clients: {warmup:g} s warm-up, {quiet:g} s quiet, then {args.seconds:g} s "
                f"while {len(SAMPLES)} documents are uploaded ...")
            result = drive_mixed(port, mixed(work, args.seed), args.clients, quiet, args.seconds, warmup, SAMPLES,
                                 key, log)
            failed = _mixed_table(result, args, graph, quiet, server_log)
            if args.json:
                args.json.write_text(json.dumps({
                    "mode": "mixed", "graph": graph, "clients": args.clients, "seconds": args.seconds,
                    "quiet_seconds": quiet, "warmup_seconds": warmup, "weights": {k: MIX[k] for k in work},
                    **result, "ratios": _ratios(result), "ok": not failed}, indent=2))
            return
        results = {}
        for name, paths in work.items():
            results[name] = drive(port, paths, args.clients, args.seconds, warmup)
            r = results[name]
            log(f"  {name:24s} {r['rps']:8.0f} req/s  p50 {r['p50_ms']:7.2f} ms  p99 {r['p99_ms']:7.2f} ms"
                + (f"  errors {r['errors']} {r['error_codes'] + r['client_error_kinds']}" if r["errors"] else ""))
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
        if failed:
            sys.exit(1)


def _counts(data_dir: Path) -> dict[str, int]:
    from kb.store.embedded import EmbeddedStore

    with EmbeddedStore(data_dir, read_only=True) as store:
        return {"nodes": store.rows("MATCH (n) RETURN count(n) AS c")[0]["c"],
                "relationships": store.rows("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]}


def _graph_line(graph: dict) -> str:
    return (f"graph: {graph['nodes']:,} nodes, {graph['relationships']:,} relationships; {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f} (other processes share the cores)")


def _table(results: dict, base: dict, args: argparse.Namespace, graph: dict) -> None:
    print()
    print(f"{args.clients} clients, {args.seconds:g} s per endpoint, keep-alive, 127.0.0.1; " + _graph_line(graph))
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


def _ratios(result: dict) -> dict[str, dict[str, float]]:
    """With the ingest ÷ quiet: p99 and throughput, per endpoint kind and overall."""
    out = {}
    for kind, r in result["ingest"].items():
        q = result["quiet"].get(kind)
        if q and q["requests"] and r["requests"]:
            out[kind] = {"p99": r["p99_ms"] / q["p99_ms"], "rps": r["rps"] / q["rps"]}
    return out


def _mixed_table(result: dict, args: argparse.Namespace, graph: dict, quiet: float, server_log: Path) -> bool:
    """Print the phases side by side, the uploads, and a verdict; True when anything failed."""
    ratios = _ratios(result)
    print()
    print(f"{args.clients} clients, mixed reads, keep-alive, 127.0.0.1: {quiet:g} s quiet, then "
          f"{result['ingest_phase_s']:g} s with the ingest; " + _graph_line(graph))
    head = (f"| {'endpoint':24s} | {'phase':6s} | {'requests':>8s} | {'req/s':>7s} | {'p50 ms':>8s} | {'p99 ms':>8s} "
            f"| {'errors':>6s} | {'5xx':>4s} | {'p99 ÷ quiet':>11s} | {'req/s ÷ quiet':>13s} |")
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    kinds = [k for k in result["quiet"] if k != "all"]
    kinds += [k for k in result["ingest"] if k != "all" and k not in kinds] + ["all"]
    for kind in kinds:
        for phase in ("quiet", "ingest"):
            r = result[phase].get(kind)
            if r is None:
                continue
            ratio = ratios.get(kind) if phase == "ingest" else None
            print(f"| {kind:24s} | {phase:6s} | {r['requests']:8d} | {r['rps']:7.0f} | {r['p50_ms']:8.2f} | "
                  f"{r['p99_ms']:8.2f} | {r['errors']:6d} | {r['server_errors']:4d} | "
                  + (f"{ratio['p99']:11.2f} | {ratio['rps']:13.2f} |" if ratio else f"{'':11s} | {'':13s} |"))
    uploads = result["uploads"]
    print(f"ingest: {len(uploads)} documents through POST /v1/ingest/document: " + "; ".join(
        f"{u['file']} HTTP {u['http']} {u['status'] or u.get('detail') or u.get('error')} {u['seconds']:.1f} s"
        for u in uploads)
        + (f"; done at {uploads[-1]['finished_s']:.1f} s of the {result['ingest_phase_s']:g} s phase" if uploads else ""))
    errors = sum(result[p]["all"]["errors"] for p in ("quiet", "ingest")) + result["warm-up"]["errors"]
    server = sum(result[p]["all"]["server_errors"] for p in ("quiet", "ingest")) + result["warm-up"]["server_errors"]
    bad_uploads = [u["file"] for u in uploads if u["http"] != 200 or not u["status"]]
    if result["warm-up"]["errors"]:
        print(f"warm-up: {result['warm-up']['errors']} errors {result['warm-up']['error_codes']} "
              f"{result['warm-up']['client_error_kinds']}")
    failed = bool(errors or server or bad_uploads or len(uploads) != len(SAMPLES))
    if failed:
        _server_trouble(server_log, print)
    p99 = result["ingest"]["all"]["p99_ms"]
    print(("FAILED" if failed else "OK") + f": {errors} errors, {server} 5xx, "
          f"{len(uploads) - len(bad_uploads)}/{len(SAMPLES)} uploads answered 200 with a document status; "
          f"p99 with the ingest {p99:.1f} ms" + ("; exit status 1" if failed else ""))
    return failed


def _server_trouble(server_log: Path, log: Callable[[str], None], most: int = 40) -> None:
    """What the server logged besides successful requests: failed ones, tracebacks."""
    ok = re.compile(r'^\{"event":"request".*"status":(2\d\d|304),')
    lines = []
    with server_log.open(errors="replace") as f:
        for line in f:
            if not ok.match(line):
                lines.append(line.rstrip())
    if lines:
        log(f"the server's log ({server_log}), besides successful requests:")
        for line in lines[:most]:
            log("  " + line)


if __name__ == "__main__":
    main()
