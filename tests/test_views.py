"""The neighbourhood view: a self-contained page, checked as HTML and in a real (offline) chromium.

The store is built the way a user builds one: `kb ingest reference` then `kb ingest` of the sample
documents, in subprocesses with KB_DATA_DIR pointing at a temporary directory.
"""
from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

from kb.queries import neighbours
from kb.schema import NODE_TYPES, REL_TYPES
from kb.store.embedded import EmbeddedStore
from viz.views import PHYSICS_MAX_NODES, neighbourhood_html, render_graph_html

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "ingest" / "samples").glob("*.txt"))
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CENTRE = "region:kz"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _kb(data_dir: Path, *args: str) -> None:
    env = {**os.environ, "KB_DATA_DIR": str(data_dir), "KB_STORE": "embedded"}
    done = subprocess.run([sys.executable, "-c", "from kb.cli import app; app()", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"kb {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("views-kb")
    _kb(data_dir, "ingest", "reference")
    _kb(data_dir, "ingest", *map(str, SAMPLES))
    return data_dir


@pytest.fixture(scope="module")
def kb_store(kb_dir):
    store = EmbeddedStore(kb_dir, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def hood(kb_store) -> dict:
    return neighbours(kb_store, CENTRE, limit=500)


@pytest.fixture(scope="module")
def page_html(kb_store) -> str:
    return neighbourhood_html(kb_store, CENTRE)


class _Resources(HTMLParser):
    """Every script src, link href, img/iframe src and inline style text of a page."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self._in_style = False
        self.legend_labels: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("src", "href", "data"):
            if a.get(key) is not None and tag in ("script", "link", "img", "iframe", "object", "embed", "source"):
                self.urls.append((tag, a[key]))
        if tag == "style":
            self._in_style = True
        if tag == "input" and a.get("data-testid") == "label-toggle":
            self.legend_labels.append(a["data-label"])

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


# --- HTML ---------------------------------------------------------------------------------------


def test_sample_store_has_a_connected_centre(hood):
    assert hood["nodes"], "region:kz has no neighbours in the sample store"
    assert any(r["type"] == "MENTIONS" for r in hood["relationships"])


def test_page_loads_nothing_remote(page_html):
    res = _Resources()
    res.feed(page_html)
    remote = [(t, u) for t, u in res.urls if re.match(r"\s*(https?:)?//", u, re.I)]
    assert remote == [], remote
    # the only URL-bearing tag is the empty data: favicon that stops the browser asking for /favicon.ico
    assert [u for _, u in res.urls if not u.startswith("data:")] == []
    for css in res.styles:
        assert not re.search(r"@import|url\(\s*['\"]?\s*(https?:)?//", css, re.I)
    assert not re.search(r"<script[^>]+src=", page_html, re.I)
    assert not re.search(r"<link[^>]+rel=[\"']?stylesheet", page_html, re.I)
    assert "vis.Network" in page_html and "cdnjs" not in page_html and "jsdelivr" not in page_html


def test_remote_tags_are_stripped():
    from viz.views import _offline

    page = ('<head><script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//cdn.example/x.css">'
            '<script>var ok = 1;</script><style>a{color:red}</style></head>')
    assert _offline(page) == "<head><script>var ok = 1;</script><style>a{color:red}</style></head>"
    with pytest.raises(RuntimeError):
        _offline("<style>@import url(https://fonts.example/f.css);</style>")


def test_legend_comes_from_schema(page_html, hood):
    res = _Resources()
    res.feed(page_html)
    present = {lab for n in [hood["centre"], *hood["nodes"]] for lab in n["labels"]}
    assert res.legend_labels == [lab for lab in NODE_TYPES if lab in present]
    for label in res.legend_labels:
        cls = NODE_TYPES[label]
        assert f'data-shape="{cls.shape}" data-color="{cls.color}"' in page_html
    types = {r["type"] for r in hood["relationships"]}
    for t in types:
        assert f'data-type="{t}"' in page_html and f'data-color="{REL_TYPES[t].color}"' in page_html


def test_header_counts_and_omitted(kb_store, hood):
    html = neighbourhood_html(kb_store, CENTRE)
    assert f"{len(hood['nodes'])} of {hood['total']} neighbours" in html
    assert 'data-testid="omitted"' not in html
    small = neighbourhood_html(kb_store, CENTRE, limit=5)
    assert f"5 of {hood['total']} neighbours" in small
    assert f"+{hood['total'] - 5} not shown" in small


def test_names_in_chosen_language(kb_store, hood):
    centre = hood["centre"]["properties"]
    assert centre["name_ru"] in neighbourhood_html(kb_store, CENTRE, lang="ru")
    kk = neighbourhood_html(kb_store, CENTRE, lang="kk")
    assert f"{centre['name_kk']}: көршілес түйіндер" in kk  # the title, in Kazakh
    assert "Шартты белгілер" in kk and "Өңір" in kk  # page strings and label names too
    assert f"Neighbourhood of {centre['name_en']}" in neighbourhood_html(kb_store, CENTRE, lang="en")
    with pytest.raises(ValueError):
        neighbourhood_html(kb_store, CENTRE, lang="de")


def test_large_graph_has_precomputed_layout_and_no_physics():
    label = next(iter(NODE_TYPES))
    cls = NODE_TYPES[label]
    n = PHYSICS_MAX_NODES + 20
    nodes = [{"id": f"{cls.prefix}:n{i}", "labels": [label], "properties": {"name": f"N{i}"}} for i in range(n)]
    rels = [{"type": "PART_OF", "start": nodes[i]["id"], "end": nodes[i // 2]["id"], "properties": {}}
            for i in range(1, n)]
    html = render_graph_html(nodes, rels, title="big", lang="en", note="synthetic")
    assert '"physics": {"enabled": false}' in html
    assert len(re.findall(r'"x": -?\d', html)) == n and len(re.findall(r'"y": -?\d', html)) == n
    small = render_graph_html(nodes[:10], rels[:9], title="small", lang="en")
    assert '"physics": {"enabled": true' in small


def test_untrusted_text_cannot_break_out(hood):
    evil = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    label = next(iter(NODE_TYPES))
    node = {"id": f"{NODE_TYPES[label].prefix}:evil", "labels": [label],
            "properties": {"name": evil, "sources": ['{"doc":null,"method":"manual","quote":"' + "</script>" + '"}']}}
    html = render_graph_html([node], [], title=evil, lang="en", note=evil)
    assert "<script>alert(1)" not in html and "<img src=x" not in html


# --- browser --------------------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory, page_html):
    """The page on a local http.server (127.0.0.1, ephemeral port) in a thread."""
    root = tmp_path_factory.mktemp("served")
    (root / "neighbourhood.html").write_text(page_html, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/neighbourhood.html"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def offline_page(browser):
    """A page whose every request off 127.0.0.1 (or file:/data:) is aborted and recorded, with console errors collected."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
    blocked: list[str] = []
    errors: list[str] = []

    def gate(route):
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("file", "data", "blob", "about") or parsed.hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("requestfailed", lambda req: errors.append(f"requestfailed: {req.url} {req.failure}")
            if urlparse(req.url).hostname == "127.0.0.1" else None)
    yield page, blocked, errors
    context.close()


def _screen_xy(page, node_id: str) -> dict:
    return page.evaluate(
        """id => {
            const net = window.kbView.network;
            const dom = net.canvasToDOM(net.getPositions([id])[id]);
            const box = net.body.container.getBoundingClientRect();
            return {x: box.left + dom.x, y: box.top + dom.y};
        }""",
        node_id,
    )


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.browser
def test_neighbourhood_in_offline_chromium(offline_page, served, hood):
    page, blocked, errors = offline_page
    page.goto(served, wait_until="load")
    page.wait_for_function("window.kbView !== undefined && window.kbView.nodeCount > 0", timeout=30_000)

    assert page.evaluate("window.kbView.nodeCount") == 1 + len(hood["nodes"])
    assert page.evaluate("typeof vis") == "object"
    assert page.get_by_test_id("legend").is_visible()
    assert page.get_by_test_id("panel").is_visible()
    assert f"{len(hood['nodes'])} of {hood['total']} neighbours" in page.get_by_test_id("note").inner_text()

    # a neighbour that a document mentions, so its panel has a provenance quote
    mentioned: dict[str, list[str]] = {}
    for r in hood["relationships"]:
        if r["type"] == "MENTIONS" and r["end"] != CENTRE:
            mentioned.setdefault(r["end"], []).append(r["properties"]["quote"])
    target = max(sorted(mentioned), key=lambda k: len(mentioned[k]))
    page.evaluate("id => window.kbView.network.moveTo({position: window.kbView.network.getPositions([id])[id], scale: 1.0})",
                  target)
    page.wait_for_timeout(300)
    xy = _screen_xy(page, target)
    page.mouse.click(xy["x"], xy["y"])
    panel = page.get_by_test_id("panel")
    page.wait_for_function("id => document.getElementById('kb-panel').dataset.id === id", arg=target, timeout=5_000)
    text = _squash(panel.inner_text())
    assert target in text
    assert any(_squash(q)[:60] in text for q in mentioned[target]), "no provenance quote in the panel"
    assert panel.get_by_test_id("api-link").first.get_attribute("href") == f"/v1/entities/{target}"

    # an edge: a MENTIONS edge's panel shows its quote
    eid = page.evaluate("""() => { const ds = window.kbView.network.body.data.edges;
        return ds.getIds({filter: e => e.kbType === 'MENTIONS'})[0]; }""")
    page.evaluate("id => window.kbView.showEdge(id)", eid)
    assert page.locator("#kb-panel [data-testid=quote]").count() >= 1

    # label checkboxes hide and show nodes through the DataSet
    doc_count = sum(1 for n in hood["nodes"] if "Document" in n["labels"])
    if doc_count:
        toggle = page.locator("#kb-legend input[data-label=Document]")
        toggle.uncheck()
        hidden = "() => window.kbView.network.body.data.nodes.get({filter: n => n.hidden}).length"
        assert page.evaluate(hidden) == doc_count
        toggle.check()
        assert page.evaluate(hidden) == 0

    # relationship type checkboxes hide and show edges; min degree hides the loosely connected
    mentions = sum(1 for e in page.evaluate("() => window.kbView.network.body.data.edges.get()") if e["kbType"] == "MENTIONS")
    hidden_edges = "() => window.kbView.network.body.data.edges.get({filter: e => e.hidden}).length"
    page.locator("#kb-legend input[data-type=MENTIONS]").uncheck()
    assert page.evaluate(hidden_edges) == mentions > 0
    page.locator("#kb-legend input[data-type=MENTIONS]").check()
    assert page.evaluate(hidden_edges) == 0
    assert page.evaluate("window.kbView.setMinDegree(2)") < 1 + len(hood["nodes"])
    assert CENTRE in page.evaluate("window.kbView.visibleNodeIds()")  # the centre always stays
    assert page.evaluate("window.kbView.setMinDegree(0)") == 1 + len(hood["nodes"])

    # search focuses and selects a node by name
    name = next(n["properties"]["name"] for n in hood["nodes"] if n["id"] == target)
    page.fill("#kb-search", name)
    page.press("#kb-search", "Enter")
    assert page.evaluate("() => window.kbView.network.getSelectedNodes()") == [target]

    # leave the centre's panel open for the screenshot, the whole graph in view
    page.wait_for_timeout(600)  # the focus animation
    page.evaluate("() => { window.kbView.network.unselectAll(); window.kbView.network.fit(); }")
    xy = _screen_xy(page, CENTRE)
    page.mouse.click(xy["x"], xy["y"])
    page.wait_for_function("id => document.getElementById('kb-panel').dataset.id === id", arg=CENTRE, timeout=5_000)
    box = page.get_by_test_id("graph").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] - 5)  # off every node: no hover tooltip in the picture
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "neighbourhood.png"))

    assert blocked == [], f"the page tried to reach the network: {blocked}"
    assert errors == [], errors


@pytest.mark.browser
def test_file_url_works_too(offline_page, page_html, tmp_path):
    page, blocked, errors = offline_page
    path = tmp_path / "view.html"
    path.write_text(page_html, encoding="utf-8")
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("window.kbView !== undefined", timeout=30_000)
    assert page.evaluate("document.querySelectorAll('script[src], link[rel=stylesheet]').length") == 0
    assert blocked == [] and errors == []
