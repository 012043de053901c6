"""Benchmark the graph views at real sizes: HTML build time and time until the page is stable in Chromium.

    .venv/bin/python scripts/bench_views.py [--sizes 500,2000,10000] [--repeat 3] [--baseline-sizes 500]

For each size, a synthetic neighbourhood (`viz.synthetic`, store-neutral dicts, no store needed) is rendered
with `viz.views.render_graph_html` and opened in Debian's headless chromium (through Playwright, networking
off: every request that is not to 127.0.0.1 is aborted and counted). Measured, from navigation start:

- ready: the view's script has built the network and drawn it once (`window.kbView` set);
- stable: no sampled node has moved for 10 animation frames (so a physics simulation, if any, is over);
- then, on the stable page: a click on a node until its panel shows (ms), and the min-degree filter (ms).

The baseline, measured in the same run on the same machine and graphs: pyvis's own page
(`Network(cdn_resources="in_line")`, its default options: physics on, barnesHut, stabilisation), timed to
the same "stable" criterion, capped at --cap seconds. pyvis's default `cdn_resources="local"` page is also
opened offline once, to show that it stays blank (vis-network never loads).

Prints a table (median of --repeat runs) and each size's ratio to the baseline.
"""
from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viz.synthetic import neighbourhood  # noqa: E402
from viz.views import render_graph_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
STABLE_FRAMES = 10

# Runs before the page's own scripts: samples node positions every animation frame once a network exists
# (ours: window.kbView.network; pyvis's template: the global `network`), records when it first existed and
# when it has been still for STABLE_FRAMES frames, in ms since navigation start.
PROBE = """
(() => {
  let last = null, still = 0, sample = null;
  function net() { return (window.kbView && window.kbView.network) || (typeof network !== 'undefined' ? network : null); }
  function tick() {
    const n = net();
    if (n && n.body) {
      if (window.__kbReadyAt === undefined) {
        window.__kbReadyAt = performance.now();
        n.on('stabilized', () => { if (window.__kbVisStableAt === undefined) window.__kbVisStableAt = performance.now(); });
      }
      if (!sample) { const ids = n.body.data.nodes.getIds(); sample = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 200)) === 0); }
      const pos = n.getPositions(sample);
      const flat = sample.map(id => pos[id] ? Math.round(pos[id].x * 2) + ',' + Math.round(pos[id].y * 2) : '').join(';');
      still = flat === last ? still + 1 : 0;
      last = flat;
      if (still >= STABLE_FRAMES && window.__kbStableAt === undefined) { window.__kbStableAt = performance.now(); return; }
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
""".replace("STABLE_FRAMES", str(STABLE_FRAMES))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def pyvis_baseline_html(graph: dict, cdn_resources: str = "in_line") -> str:
    """pyvis as its documentation shows it: a Network, add_node/add_edge, generate_html; default options."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources=cdn_resources)
    for n in graph["nodes"]:
        net.add_node(n["id"], label=n["properties"].get("name", n["id"]), title=n["id"])
    ids = set(net.node_ids)
    for r in graph["relationships"]:
        if r["start"] in ids and r["end"] in ids:
            net.add_edge(r["start"], r["end"], title=r["type"])
    return net.generate_html()


def measure(browser, url: str, cap_s: float, *, ours: bool) -> dict:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    blocked, errors = [], []

    def gate(route):
        u = urlparse(route.request.url)
        if u.scheme in ("data", "blob", "about") or u.hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    context.add_init_script(PROBE)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    out: dict = {"blocked": 0, "errors": 0}
    try:
        page.goto(url, wait_until="load", timeout=int(cap_s * 1000) + 30_000)
        try:
            page.wait_for_function("window.__kbStableAt !== undefined", timeout=int(cap_s * 1000), polling=100)
            out["stable"] = page.evaluate("window.__kbStableAt") / 1000
        except Exception:  # noqa: BLE001 - still moving at the cap
            out["stable"] = None
        out["ready"] = (page.evaluate("window.__kbReadyAt === undefined ? null : window.__kbReadyAt") or 0) / 1000 or None
        vis_stable = page.evaluate("window.__kbVisStableAt === undefined ? null : window.__kbVisStableAt")
        out["vis_stable"] = vis_stable / 1000 if vis_stable is not None else None
        if ours and out["stable"] is not None:
            out["drawn"] = page.evaluate("window.kbView.drawnNodeCount()")
            out["edges"] = page.evaluate("window.kbView.edgeCount")
            node = page.evaluate("window.kbView.visibleNodeIds()[1]")
            # a real click on the node; timed in the page, from pointerdown to the panel showing it
            xy = page.evaluate("""id => { const net = window.kbView.network;
                net.moveTo({position: net.getPositions([id])[id], scale: 1.0});
                const grid = document.getElementById('mynetwork'), panel = document.getElementById('kb-panel');
                grid.addEventListener('pointerdown', () => { window.__kbDown = performance.now(); }, true);
                new MutationObserver(() => { if (panel.dataset.id === id && window.__kbDown && window.__kbClickMs === undefined)
                    window.__kbClickMs = performance.now() - window.__kbDown; }).observe(panel, {childList: true});
                const p = net.canvasToDOM(net.getPositions([id])[id]), b = net.body.container.getBoundingClientRect();
                return {x: b.left + p.x, y: b.top + p.y}; }""", node)
            page.wait_for_timeout(200)
            page.mouse.click(xy["x"], xy["y"])
            page.wait_for_function("window.__kbClickMs !== undefined", timeout=10_000)
            out["click_ms"] = page.evaluate("window.__kbClickMs")
            out["redraw_ms"] = page.evaluate("""() => { const r = window.kbView.network.renderer, t = performance.now();
                for (let i = 0; i < 5; i++) r._redraw(); return (performance.now() - t) / 5; }""")
            out["filter_ms"] = page.evaluate("""() => { const t = performance.now(); window.kbView.setMinDegree(2);
                const d = performance.now() - t; window.kbView.setMinDegree(0); return d; }""")
        elif not ours:
            out["drawn"] = page.evaluate("typeof network === 'undefined' ? 0 : network.body.nodeIndices.length")
            out["vis_loaded"] = page.evaluate("typeof vis !== 'undefined'")
            if out["stable"] is None and out["drawn"]:  # at the cap: how much is still moving, over one second
                out["drift"] = page.evaluate("""async () => { const a = network.getPositions();
                    await new Promise(r => setTimeout(r, 1000)); const b = network.getPositions(); let mx = 0, moving = 0;
                    for (const k in a) { const d = Math.hypot(a[k].x - b[k].x, a[k].y - b[k].y); mx = Math.max(mx, d); if (d > 1) moving++; }
                    return {max: mx, moving: moving}; }""")
    finally:
        out["blocked"] = len(blocked)
        out["errors"] = len(errors)
        context.close()
    return out


def fmt(v, spec=".2f", missing="–") -> str:
    return missing if v is None else format(v, spec)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="500,2000,10000")
    ap.add_argument("--baseline-sizes", default="500", help="sizes to time pyvis's own page at (physics on)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cap", type=float, default=60.0, help="seconds to wait for a page to become stable")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    base_sizes = [int(s) for s in args.baseline_sizes.split(",") if s]
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-views-"))
    server, base = serve(tmp)
    rows, baseline = [], {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            graphs = {n: neighbourhood(n) for n in sorted(set(sizes) | set(base_sizes))}
            # pyvis's default page, offline: does vis-network load at all?
            (tmp / "pyvis-local.html").write_text(pyvis_baseline_html(graphs[min(graphs)], "local"), encoding="utf-8")
            local = measure(browser, f"{base}/pyvis-local.html", 5, ours=False)
            for n in base_sizes:
                g = graphs[n]
                t0 = time.perf_counter()
                html = pyvis_baseline_html(g)
                build = time.perf_counter() - t0
                (tmp / f"pyvis-{n}.html").write_text(html, encoding="utf-8")
                runs = [measure(browser, f"{base}/pyvis-{n}.html", args.cap, ours=False) for _ in range(args.repeat)]
                stable = [r["stable"] for r in runs]
                vis_stable = [r["vis_stable"] for r in runs]
                baseline[n] = {"build": build, "ready": statistics.median(r["ready"] or 0 for r in runs),
                               "stable": None if None in stable else statistics.median(stable),
                               "vis_stable": None if None in vis_stable else statistics.median(vis_stable),
                               "blocked": runs[0]["blocked"], "drawn": runs[0]["drawn"], "drift": runs[0].get("drift")}
            for n in sizes:
                g = graphs[n]
                builds = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    html = render_graph_html(g["nodes"], g["relationships"], title=f"Synthetic neighbourhood ({n:,} nodes)",
                                             centre=g["centre"], view="neighbourhood")
                    builds.append(time.perf_counter() - t0)
                (tmp / f"view-{n}.html").write_text(html, encoding="utf-8")
                runs = [measure(browser, f"{base}/view-{n}.html", args.cap, ours=True) for _ in range(args.repeat)]
                med = lambda k: statistics.median(r[k] for r in runs) if all(r.get(k) is not None for r in runs) else None  # noqa: E731
                rows.append({"n": n, "nodes": len(g["nodes"]), "drawn": runs[0].get("drawn"), "edges": runs[0].get("edges"),
                             "build": statistics.median(builds), "mb": len(html.encode()) / 1e6, "ready": med("ready"),
                             "stable": med("stable"), "click": med("click_ms"), "filter": med("filter_ms"),
                             "redraw": med("redraw_ms"),
                             "blocked": sum(r["blocked"] for r in runs), "errors": sum(r["errors"] for r in runs)})
        finally:
            browser.close()
            server.shutdown()

    print(f"\nchromium {CHROMIUM}, headless, networking off; median of {args.repeat} runs; "
          f"stable = no node moved for {STABLE_FRAMES} frames, seconds from navigation start\n")
    print("| page | nodes in graph | nodes drawn | edges drawn | build HTML (s) | page (MB) | ready (s) | stable (s) "
          "| click → panel (ms) | redraw (ms) | min-degree filter (ms) | external requests | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, b in baseline.items():
        stable = fmt(b["stable"], missing=f"> {args.cap:.0f} (cap)")
        if b["vis_stable"] is not None:
            stable += f" (vis 'stabilized' event: {b['vis_stable']:.2f})"
        if b["drift"]:
            stable += f": {b['drift']['moving']:,} nodes still moving, up to {b['drift']['max']:.0f} px/s"
        print(f"| pyvis's own page, physics on (baseline) | {n:,} | {b['drawn']:,} | | {b['build']:.2f} | | {fmt(b['ready'])} "
              f"| {stable} | | | | {b['blocked']} | |")
    for r in rows:
        print(f"| `render_graph_html` (kb view) | {r['nodes']:,} | {fmt(r['drawn'], ',')} | {fmt(r['edges'], ',')} | {r['build']:.2f} "
              f"| {r['mb']:.1f} | {fmt(r['ready'])} | {fmt(r['stable'])} | {fmt(r['click'], '.0f')} | {fmt(r['redraw'], '.0f')} "
              f"| {fmt(r['filter'], '.0f')} | {r['blocked']} | {r['errors']} |")
    print(f"\npyvis's default page (cdn_resources='local') offline: vis-network loaded: {local.get('vis_loaded')}, "
          f"nodes drawn: {local.get('drawn')}, requests blocked: {local['blocked']}, console errors: {local['errors']}")
    ref_n = 500 if 500 in baseline else (next(iter(baseline)) if baseline else None)
    if ref_n is not None:
        ref = baseline[ref_n]
        ref_s = ref["stable"] if ref["stable"] is not None else args.cap
        bound = "" if ref["stable"] is not None else "at least "
        print()
        for r in rows:
            if r["stable"]:
                print(f"{r['n']:>6,} nodes: stable in {r['stable']:.2f} s, {bound}{ref_s / r['stable']:.0f}× sooner than pyvis's own "
                      f"page at {ref_n:,} nodes ({fmt(ref['stable'], missing=f'still moving at {args.cap:.0f} s')}"
                      + (f"; vis 'stabilized' event at {ref['vis_stable']:.2f} s = {ref['vis_stable'] / r['stable']:.1f}×"
                         if ref["vis_stable"] else "") + ")")
    target = next((r for r in rows if r["n"] == 2000), None)
    if target and target["stable"] is not None:
        print(f"\ntarget: 2,000 nodes interactive in < 2 s: {target['stable']:.2f} s "
              f"({'met' if target['stable'] < 2 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
