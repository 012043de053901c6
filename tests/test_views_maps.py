"""The programme map, confession landscape, path and structure views: their read queries on every store, the
pages as HTML, the API routes, `kb view …`, and each page served by the real API and driven in Debian's
headless chromium with networking off (drawn nodes counted against the graph, a real click on a node and its
provenance read from the panel, the API link followed, filters, exports, a screenshot in test-artifacts/).
"""
from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kb import queries, view_queries
from kb.schema import NODE_TYPES
from tests.test_views import ARTIFACTS, _Resources, _screen_xy, _squash, browser, offline_page  # noqa: F401
from viz.views import (
    confession_landscape_html,
    path_html,
    programme_map_html,
    structure_html,
)

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME_QUERY = ("MATCH (p:Programme {period_start: 2007, period_end: 2009, kind: 'programme'})<-[:PART_OF]-(:Measure) "
                   "RETURN DISTINCT p.id AS id")
MOSQUE, MOJ, COMMITTEE = ("association:kz-almaty-central-mosque", "statebody:kz-ministry-of-justice",
                          "statebody:kz-committee-religious-affairs")
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def programme_id(store) -> str:
    rows = store.rows(PROGRAMME_QUERY)
    assert len(rows) == 1, rows
    return rows[0]["id"]


@pytest.fixture(scope="module")
def measures(store, programme_id) -> dict:
    return queries.programme_measures(store, programme_id)


# --- read queries (on every store the suite reaches) ---------------------------------------------


def test_landscape_query(store):
    data = view_queries.confession_landscape(store)
    ids = {n["id"] for n in data["confessions"]}
    assert len(ids) == 26 and "confession:islam" in ids
    assert {a["id"] for a in data["associations"]} >= {MOSQUE, "association:kz-muslims-spiritual-administration"}
    regions = {r["id"] for r in data["regions"]}
    assert {"region:kz", "region:kz-almaty-city", "region:kz-oskemen"} <= regions
    # the regions above the ones involved come along, with their PART_OF
    assert any(r["type"] == "PART_OF" and r["start"] == "region:kz-oskemen" for r in data["relationships"])
    assert {"BELONGS_TO", "LOCATED_IN", "SUBTYPE_OF", "PART_OF"} == {r["type"] for r in data["relationships"]}
    islam = next(s for s in data["series"] if s["subject"] == "confession:islam")
    assert [(p["date"], p["value"]) for p in islam["points"]] == [("1990-01-01", 46.0), ("2007-01-01", 2144.0)]
    obs = data["observation_nodes"][islam["points"][1]["id"]]
    assert any("2144" in json.loads(s).get("quote", "") for s in obs["properties"]["sources"])


def test_structure_query(store):
    everything = view_queries.structure(store)
    types = {r["type"] for r in everything["relationships"]}
    assert types == {"PART_OF", "ATTACHED_TO", "HOLDS_POSITION"}
    labels = {lab for n in everything["nodes"] for lab in n["labels"]}
    assert labels <= set(view_queries.STRUCTURE_LABELS) and "Region" not in labels and "Measure" not in labels
    attached = [r for r in everything["relationships"] if r["type"] == "ATTACHED_TO"]
    assert len(attached) == 19
    around = view_queries.structure(store, root=COMMITTEE)
    ids = {n["id"] for n in around["nodes"]}
    # the ministries it has been part of (six, over time) and the government above them; nothing unrelated
    assert {"statebody:kz-ministry-of-justice", "statebody:kz-ministry-of-culture-and-information",
            "statebody:kz-government"} <= ids
    assert "statebody:kz-almaty-city-akimat" not in ids and "council:kz-assembly-of-people" not in ids
    with pytest.raises(queries.NotFound):
        view_queries.structure(store, root="statebody:nowhere")


# --- pages as HTML ----------------------------------------------------------------------------------


def test_programme_map_html(store, programme_id, measures):
    html = programme_map_html(store, programme_id, lang="kk")
    res = _Resources()
    res.feed(html)
    assert [u for _, u in res.urls if not u.startswith("data:")] == []
    data = _page_data(html)
    measure_ids = {m["measure"]["id"] for m in measures["measures"]}
    body_ids = {b["id"] for m in measures["measures"] for b in m["bodies"]}
    assert len(measure_ids) == 23
    assert set(data["nodes"]) == {programme_id} | measure_ids | body_ids
    # four directions, each in the legend with its number of measures
    directions = {m["measure"]["properties"]["direction"] for m in measures["measures"]}
    assert len(directions) == 4
    for d in directions:
        n = sum(1 for m in measures["measures"] if m["measure"]["properties"]["direction"] == d)
        assert re.search(rf'data-key="{re.escape(d)}".*?<span class="count">{n}</span>', html, re.S)
    # funding per year on the measure → programme edges; the year slider offers the programme's years
    assert data["years"] == [2007, 2008, 2009]
    funded = {e["from"]: data["series"]["edges"][k] for k, e in data["edges"].items() if k in data["series"]["edges"]}
    assert sum(v for s in funded.values() for v in s.values()) == pytest.approx(sum(measures["totals"].values()))
    assert "Бағдарлама картасы" in html and "Бағыттар" in html  # page text in Kazakh
    with pytest.raises(ValueError):
        programme_map_html(store, MOJ)


def test_landscape_html(store):
    data = _page_data(confession_landscape_html(store, lang="ru", year=1990))
    assert data["initial_year"] == 1990 and 1990 in data["years"] and 2007 in data["years"]
    assert data["series"]["nodes"]["confession:islam"] == {"1990": 46.0, "2007": 2144.0}
    islam = data["nodes"]["confession:islam"]
    assert islam["display"] == "Ислам"
    assert [o["value"] for o in islam["observations"]] == [46.0, 2144.0]
    assert any("2144" in (s.get("quote") or "") for o in islam["observations"] for s in o["sources"])
    # associations carry the year they appear from (founded / registered), for the slider
    assert data["nodes"][MOSQUE]["years"] == [1999, None]


def test_path_and_structure_html(store):
    path = queries.shortest_path(store, MOSQUE, MOJ)
    data = _page_data(path_html(store, MOSQUE, MOJ))
    assert list(data["nodes"]) == [n["id"] for n in path["nodes"]]
    assert len(data["edges"]) == len(path["relationships"])
    none = path_html(store, MOSQUE, "region:kz-almaty-city", max_length=1)  # a direct LOCATED_IN: found
    assert "shortest path of 1 relationship" in none
    lonely = _page_data(path_html(store, "confession:bahai", "statebody:kz-senate", max_length=1))
    assert lonely["edges"] == {} and len(lonely["nodes"]) == 2

    data = _page_data(structure_html(store, COMMITTEE, lang="en"))
    assert data["centre"] == COMMITTEE
    years = {(e["to"], tuple(e["years"] or ())) for e in data["edges"].values() if e["from"] == COMMITTEE}
    assert ("statebody:kz-ministry-of-religious-affairs-and-civil-society", (2016, 2018)) in years


def _page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kb-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


# --- API routes -----------------------------------------------------------------------------------


def _problem(resp, status: int, part: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert part in resp.json()["detail"]


def test_view_routes(api, programme_id):
    for path, params, needle in (
        (f"/views/programme/{programme_id}", {"lang": "kk", "year": 2008}, programme_id),
        ("/views/confessions", {"lang": "ru", "year": 2007}, "confession:islam"),
        ("/views/path", {"from": MOSQUE, "to": MOJ}, MOSQUE),
        ("/views/structure", {}, COMMITTEE),
        ("/views/structure", {"root": COMMITTEE, "year": 2017}, COMMITTEE),
        ("/views/neighbourhood/region:kz", {"depth": 2, "lang": "kk", "limit": 50}, "region:kz"),
    ):
        resp = api.get(path, params=params)
        assert resp.status_code == 200, (path, resp.text[:300])
        assert resp.headers["content-type"].startswith("text/html") and needle in resp.text
    _problem(api.get("/views/programme/programme:nope"), 404, "programme:nope")
    _problem(api.get(f"/views/programme/{MOJ}"), 400, "is not a programme")
    _problem(api.get("/views/path", params={"from": MOSQUE, "to": "region:nowhere"}), 404, "region:nowhere")
    _problem(api.get("/views/path", params={"from": MOSQUE}), 400, "to")
    _problem(api.get("/views/structure", params={"root": "council:nowhere"}), 404, "council:nowhere")
    _problem(api.get("/views/confessions", params={"lang": "de"}), 400, "lang")
    paths = api.get("/../openapi.json").json()["paths"]
    assert {"/v1/views/programme/{programme_id}", "/v1/views/confessions", "/v1/views/path",
            "/v1/views/structure", "/v1/views/neighbourhood/{node_id}"} <= set(paths)


# --- kb view … -------------------------------------------------------------------------------------


def _view_cli(args: list[str], data_dir: Path, main: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "KB_DATA_DIR": str(data_dir), "KB_STORE": "embedded", "COLUMNS": "200"}
    code = "from kb.cli import app; app()" if main else "from viz.cli import view_app; view_app()"
    prefix = ["view"] if main else []
    return subprocess.run([sys.executable, "-c", code, *prefix, *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def test_view_commands(sample_dir, tmp_path, programme_id):
    runs = {
        "programme": ["programme", programme_id, "--lang", "kk", "--year", "2009"],
        "confessions": ["confessions", "--year", "1990"],
        "path": ["path", MOSQUE, MOJ, "--max-length", "4"],
        "structure": ["structure", "--root", "statebody:kz-government"],
        "neighbourhood": ["neighbourhood", "region:kz", "--depth", "2", "--label", "Region"],
        "legacy": ["region:kz", "--lang", "ru"],  # `kb view ID -o FILE`, as before there were several views
    }
    for name, args in runs.items():
        out = tmp_path / f"{name}.html"
        done = _view_cli([*args, "-o", str(out), "--api", "http://127.0.0.1:8000/v1"], sample_dir)
        assert done.returncode == 0, (name, done.stderr)
        assert f"wrote {out}" in done.stdout and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        assert '"api":"http://127.0.0.1:8000/v1"' in out.read_text(encoding="utf-8")
    bad = _view_cli(["programme", MOJ, "-o", str(tmp_path / "x.html")], sample_dir)
    assert bad.returncode == 2 and "is not a programme" in bad.stderr
    missing = _view_cli(["path", MOSQUE, "region:nowhere", "-o", str(tmp_path / "y.html")], sample_dir)
    assert missing.returncode == 2 and "no entity with id 'region:nowhere'" in missing.stderr
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "y.html").exists()


def test_kb_view_is_mounted(sample_dir, tmp_path, programme_id):
    """`kb view programme …` through the main CLI, once kb/cli.py mounts viz.cli.view_app."""
    helped = _view_cli(["--help"], sample_dir, main=True)
    if "programme" not in helped.stdout:
        pytest.skip("kb/cli.py does not mount viz.cli.view_app yet (`app.add_typer(view_app, name='view')`)")
    out = tmp_path / "p.html"
    done = _view_cli(["programme", programme_id, "-o", str(out)], sample_dir, main=True)
    assert done.returncode == 0, done.stderr
    legacy = _view_cli(["region:kz", "-o", str(tmp_path / "n.html"), "--depth", "2"], sample_dir, main=True)
    assert legacy.returncode == 0, legacy.stderr


# --- in chromium, served by the API ------------------------------------------------------------------


def _base(api) -> str:
    """The live server's /v1, without a trailing slash."""
    return str(api.base_url).rstrip("/")


def _open(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function("window.kbView !== undefined && window.kbView.nodeCount > 0", timeout=30_000)


def _click_node(page, node_id: str) -> None:
    page.evaluate("id => window.kbView.network.moveTo({position: window.kbView.network.getPositions([id])[id], scale: 1.0})",
                  node_id)
    page.wait_for_timeout(200)
    xy = _screen_xy(page, node_id)
    page.mouse.click(xy["x"], xy["y"])
    page.wait_for_function("id => document.getElementById('kb-panel').dataset.id === id", arg=node_id, timeout=5_000)


def _follow_api_link(page, api) -> dict:
    href = page.locator("#kb-panel [data-testid=api-link]").first.get_attribute("href")
    assert href.startswith("/v1/")
    resp = page.request.get(_base(api) + href.removeprefix("/v1"))
    assert resp.status == 200, href
    return resp.json()


def _screenshot(page, name: str) -> Path:
    box = page.get_by_test_id("graph").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] - 5)  # off every node: no tooltip in the picture
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    return path


def _drawn(page) -> int:
    return page.evaluate("window.kbView.drawnNodeCount()")


@pytest.mark.browser
def test_programme_map_in_chromium(offline_page, api, store, programme_id, measures):
    page, blocked, errors = offline_page
    _open(page, f"{_base(api)}/views/programme/{programme_id}?lang=en")
    bodies = {b["id"] for m in measures["measures"] for b in m["bodies"]}
    assert _drawn(page) == 1 + len(measures["measures"]) + len(bodies)
    sub = queries.subgraph(store, [programme_id, *(m["measure"]["id"] for m in measures["measures"]), *bodies])
    assert page.evaluate("window.kbView.edgeCount") == len({(r["start"], r["type"], r["end"]) for r in sub["relationships"]})
    # colour by direction: measures of one direction share a colour, four colours in all
    colours = page.evaluate("""() => { const out = {}; window.kbView.network.body.data.nodes.get({filter: n => n.kbLabel === 'Measure'})
        .forEach(n => { out[n.id] = n.color.background; }); return out; }""")
    by_dir: dict[str, set[str]] = {}
    for m in measures["measures"]:
        by_dir.setdefault(m["measure"]["properties"]["direction"], set()).add(colours[m["measure"]["id"]])
    assert all(len(c) == 1 for c in by_dir.values()) and len({c for s in by_dir.values() for c in s}) == 4
    # edge width by funding: the best-funded measure has the widest edge; in 2007 only measure 18 has any
    widths = _measure_edge_widths(page, programme_id)
    richest = max(measures["measures"], key=lambda m: sum(m["funding"].values()))["measure"]["id"]
    assert widths[richest] == max(widths.values()) > min(widths.values())
    page.evaluate("window.kbView.setYear(2007)")
    widths07 = _measure_edge_widths(page, programme_id)
    funded07 = [m["measure"]["id"] for m in measures["measures"] if m["funding"].get(2007)]
    assert [k for k, w in widths07.items() if w > 1.5] == funded07 and len(funded07) == 1
    assert page.locator("#kb-year-out").inner_text() == "2007"
    page.evaluate("window.kbView.setYear(null)")

    # a real click on measure 18: its properties, its quote from the programme's table, the API link
    m18 = next(m for m in measures["measures"] if m["measure"]["properties"]["number"] == 18)
    _click_node(page, m18["measure"]["id"])
    text = _squash(page.get_by_test_id("panel").inner_text())
    quote = json.loads(m18["measure"]["properties"]["sources"][0])["quote"]
    assert _squash(quote)[:50] in text and "funding_amounts" in text
    assert _follow_api_link(page, api)["id"] == m18["measure"]["id"]
    # an edge: RESPONSIBLE_FOR with where it was read
    eid = page.evaluate("""() => window.kbView.network.body.data.edges.getIds({filter: e => e.kbType === 'RESPONSIBLE_FOR'})[0]""")
    page.evaluate("id => window.kbView.showEdge(id)", eid)
    assert "RESPONSIBLE_FOR" in page.get_by_test_id("panel").inner_text()
    assert page.locator("#kb-panel [data-testid=source]").count() >= 1

    # the picture for the README (docs/programme-map.png): the whole map, measure 18's panel open
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.locator("#kb-filters summary").click()  # fold the filters: room for the panel
    page.evaluate("() => { window.kbView.clearSelection(); window.kbView.network.fit(); }")
    page.evaluate("id => window.kbView.showNode(id)", m18["measure"]["id"])
    _screenshot(page, "programme-map.png")
    assert blocked == [], blocked
    assert errors == [], errors


def _measure_edge_widths(page, programme_id: str) -> dict[str, float]:
    return page.evaluate("""pid => { const out = {}; window.kbView.network.body.data.edges
        .get({filter: e => e.kbType === 'PART_OF' && e.to === pid}).forEach(e => { out[e.from] = e.width; }); return out; }""",
                         programme_id)


@pytest.mark.browser
def test_confession_landscape_in_chromium(offline_page, api, store):
    page, blocked, errors = offline_page
    _open(page, f"{_base(api)}/views/confessions?lang=en")
    data = view_queries.confession_landscape(store)
    assert _drawn(page) == len(data["confessions"]) + len(data["associations"]) + len(data["regions"])
    size = "id => window.kbView.network.body.data.nodes.get(id).size"
    label = "id => window.kbView.network.body.data.nodes.get(id).label"
    latest = page.evaluate(size, "confession:islam")
    assert "2\u00a0144" in page.evaluate(label, "confession:islam")
    assert latest > page.evaluate(size, "confession:protestantism") > page.evaluate(size, "confession:buddhism")
    # the year slider: in 1990 Islam counted 46, and the mosque founded in 1999 was not there yet
    page.evaluate("window.kbView.setYear(1990)")
    assert page.evaluate(size, "confession:islam") < latest
    assert page.evaluate(label, "confession:islam").endswith("· 46")
    visible = set(page.evaluate("window.kbView.visibleNodeIds()"))
    assert MOSQUE not in visible and "association:kz-muslims-spiritual-administration" in visible
    # the slider itself, moved like a user moves it
    page.locator("#kb-year").fill(str(page.evaluate("window.kbView.years.length")))
    assert page.locator("#kb-year-out").inner_text() == "all years" and MOSQUE in page.evaluate("window.kbView.visibleNodeIds()")

    _click_node(page, "confession:islam")
    panel = page.get_by_test_id("panel")
    assert panel.get_by_test_id("observations").count() == 1
    text = _squash(panel.inner_text())
    assert "2\u00a0144" in panel.get_by_test_id("observations").inner_text()
    assert "46-дан 2144-ке" in text  # the count and the sentence it was read from
    assert _follow_api_link(page, api)["id"] == "confession:islam"
    page.evaluate("() => window.kbView.network.fit()")
    _screenshot(page, "confession-landscape.png")
    assert blocked == [] and errors == [], (blocked, errors)


@pytest.mark.browser
def test_path_in_chromium(offline_page, api, store):
    page, blocked, errors = offline_page
    _open(page, f"{_base(api)}/views/path?from={MOSQUE}&to={MOJ}&lang=kk")
    path = queries.shortest_path(store, MOSQUE, MOJ)
    assert _drawn(page) == len(path["nodes"]) and page.evaluate("window.kbView.edgeCount") == len(path["relationships"])
    middle = path["nodes"][1]["id"]
    _click_node(page, middle)
    assert middle in page.get_by_test_id("panel").inner_text()
    mention = next(r for r in path["relationships"] if r["type"] == "MENTIONS")
    eid = page.evaluate("() => window.kbView.network.body.data.edges.getIds({filter: e => e.kbType === 'MENTIONS'})[0]")
    page.evaluate("id => window.kbView.showEdge(id)", eid)
    assert _squash(mention["properties"]["quote"])[:40] in _squash(page.get_by_test_id("panel").inner_text())
    assert "Жол:" in page.get_by_test_id("title").inner_text()
    page.evaluate("() => window.kbView.network.fit()")
    _click_node(page, MOSQUE)
    page.evaluate("() => window.kbView.network.fit()")
    _screenshot(page, "path.png")
    assert blocked == [] and errors == [], (blocked, errors)


@pytest.mark.browser
def test_structure_in_chromium(offline_page, api, store):
    page, blocked, errors = offline_page
    _open(page, f"{_base(api)}/views/structure?lang=en")
    data = view_queries.structure(store)
    assert _drawn(page) == len(data["nodes"])
    # the year slider follows the committee's moves between ministries
    page.evaluate("window.kbView.setYear(2017)")
    parents = page.evaluate("""id => window.kbView.network.body.data.edges
        .get({filter: e => e.from === id && e.kbType === 'PART_OF' && !e.hidden}).map(e => e.to)""", COMMITTEE)
    assert parents == ["statebody:kz-ministry-of-religious-affairs-and-civil-society"]
    page.evaluate("window.kbView.setYear(null)")
    council = "council:kz-religious-associations-liaison-council"
    _click_node(page, council)
    text = _squash(page.get_by_test_id("panel").inner_text())
    assert council in text and "Quoted in this view" not in text  # no document in this view: sources only
    assert page.locator("#kb-panel [data-testid=source]").count() >= 1
    assert _follow_api_link(page, api)["id"] == council
    # min degree: hide everything with fewer than 2 connections (the centre-less view keeps none exempt)
    before = len(page.evaluate("window.kbView.visibleNodeIds()"))
    page.evaluate("window.kbView.setMinDegree(2)")
    after = page.evaluate("window.kbView.visibleNodeIds()")
    assert 0 < len(after) < before and "statebody:kz-government" in after
    page.evaluate("window.kbView.setMinDegree(0)")
    page.evaluate("() => { window.kbView.clearSelection(); window.kbView.network.fit(); }")
    _screenshot(page, "structure.png")
    assert blocked == [] and errors == [], (blocked, errors)


@pytest.mark.browser
def test_exports_png_and_graphml(offline_page, api, programme_id, tmp_path):
    page, blocked, errors = offline_page
    _open(page, f"{_base(api)}/views/programme/{programme_id}")
    url = page.evaluate("window.kbView.exportPNG()")
    assert url.startswith("data:image/png;base64,")
    png = base64.b64decode(url.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    with page.expect_download() as dl:
        page.get_by_test_id("export-png").click()
    assert dl.value.suggested_filename.endswith(".png")
    saved = tmp_path / "view.png"
    dl.value.save_as(saved)
    assert saved.read_bytes()[:4] == b"\x89PNG"

    # GraphML of what is visible: all of it, then only the State bodies hidden
    def graphml_via_button() -> tuple[ET.Element, Path]:
        with page.expect_download() as d:
            page.get_by_test_id("export-graphml").click()
        assert d.value.suggested_filename.endswith(".graphml")
        path = tmp_path / d.value.suggested_filename
        d.value.save_as(path)
        return ET.parse(path).getroot(), path

    root, _ = graphml_via_button()
    nodes = root.findall(f"{GRAPHML_NS}graph/{GRAPHML_NS}node")
    edges = root.findall(f"{GRAPHML_NS}graph/{GRAPHML_NS}edge")
    assert len(nodes) == page.evaluate("window.kbView.nodeCount") and len(edges) == page.evaluate("window.kbView.edgeCount")
    assert {d.text for n in nodes for d in n if d.get("key") == "label"} == {"Programme", "Measure", "StateBody"}
    page.locator("#kb-legend input[data-label=StateBody]").uncheck()
    root, path = graphml_via_button()
    visible = len(page.evaluate("window.kbView.visibleNodeIds()"))
    assert len(root.findall(f"{GRAPHML_NS}graph/{GRAPHML_NS}node")) == visible == 24  # the programme and its measures
    assert not any(e.get("source").startswith("statebody:") for e in root.iter(f"{GRAPHML_NS}edge"))
    import networkx as nx  # and it is GraphML other tools read

    g = nx.read_graphml(path)
    assert g.number_of_nodes() == 24 and g.number_of_edges() == 23
    assert g.nodes[programme_id]["label"] == "Programme"
    assert blocked == [] and errors == [], (blocked, errors)


def test_every_label_has_a_name_in_every_language():
    from viz.i18n import LABELS, LANGS, RELS, STRINGS, label_name, rel_name, t
    from kb.schema import REL_TYPES

    assert set(LABELS) == set(NODE_TYPES) and set(RELS) == set(REL_TYPES)
    for lang in LANGS:
        for label in NODE_TYPES:
            assert label_name(label, lang) and label_name(label, lang, plural=True)
        for rt in REL_TYPES:
            assert rel_name(rt, lang)
        for key in STRINGS:
            assert t(key, lang)
    assert label_name("Nope", "kk") == "Nope" and t("no-such-key", "ru") == "no-such-key"
