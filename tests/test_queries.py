"""Conformance: every query the application and cypher/ use, on every reachable store, with real values."""
from __future__ import annotations

from pathlib import Path

import pytest

from kb import queries
from ingest.normalise import normalise
from kb.cli import _strip_comments
from kb.text import fold

ROOT = Path(__file__).resolve().parent.parent
MOJ = "statebody:kz-ministry-of-justice"


def test_entity_has_names_aliases_and_sources(store):
    node = queries.entity(store, MOJ)
    props = node["properties"]
    assert node["labels"] == ["StateBody"]
    assert props["name_kk"] and "Әділетмині" in props["aliases"]
    assert any('"method":"reference"' in s for s in props["sources"])


def test_unknown_entity(store):
    with pytest.raises(queries.NotFound):
        queries.entity(store, "statebody:no-such-body")
    with pytest.raises(queries.NotFound):
        queries.entity(store, "nolabel:x")


@pytest.mark.parametrize("q", ["Әділетмині", "Минюст", "adilet", "Әділет министрлігі"])
def test_search_finds_the_ministry_of_justice_by_any_name(store, q):
    hits = queries.search(store, q)
    assert MOJ in [h["node"]["id"] for h in hits[:3]]


def test_search_ranks_exact_names_first(store):
    hits = queries.search(store, "Алматы", label="Region")
    assert hits[0]["node"]["id"] == "region:kz-almaty-city"
    assert hits[0]["score"] == 3


def test_entities_are_paged_with_a_total(store):
    page, total = queries.entities(store, "Region", limit=5, offset=0)
    assert total == 52 and len(page) == 5  # 22 Kazakh regions and cities + 30 countries
    assert [n["id"] for n in page] == sorted(n["id"] for n in page)


def test_neighbours_depth_one(store):
    hood = queries.neighbours(store, "region:kz", types=["PART_OF"], direction="in", limit=100)
    ids = {n["id"] for n in hood["nodes"]}
    assert {"region:kz-almaty-city", "region:kz-astana-city", "region:kz-abai-region"} <= ids
    assert hood["total"] == len(ids) == 20
    assert {(r["start"], r["type"], r["end"]) for r in hood["relationships"]} >= {
        ("region:kz-almaty-city", "PART_OF", "region:kz")}


def test_neighbours_are_capped_and_say_how_many_were_left_out(store):
    hood = queries.neighbours(store, "region:kz", types=["PART_OF"], direction="in", limit=5, offset=5)
    assert len(hood["nodes"]) == 5 and hood["total"] == 20 and hood["omitted"] == 10


def test_neighbours_depth_two_with_label_filter(store):
    hood = queries.neighbours(store, "council:kz-religious-associations-liaison-council", depth=2,
                              labels=["StateBody"], types=["ATTACHED_TO", "PART_OF"])
    ids = {n["id"] for n in hood["nodes"]}
    assert "statebody:kz-government" in ids and MOJ in ids
    assert all(n["labels"] == ["StateBody"] for n in hood["nodes"])


def test_neighbours_reject_unknown_filters(store):
    with pytest.raises(ValueError, match="unknown relationship type"):
        queries.neighbours(store, "region:kz", types=["NOPE"])
    with pytest.raises(ValueError, match="depth"):
        queries.neighbours(store, "region:kz", depth=7)


def test_shortest_path(store):
    path = queries.shortest_path(store, "association:kz-almaty-central-mosque", "region:kz", max_length=4)
    ids = [n["id"] for n in path["nodes"]]
    assert ids[0] == "association:kz-almaty-central-mosque" and ids[-1] == "region:kz"
    assert len(path["relationships"]) == len(ids) - 1 <= 3
    assert all(r["start"] in ids and r["end"] in ids for r in path["relationships"])


def test_subgraph_is_induced(store):
    sub = queries.subgraph(store, ["region:kz", "region:kz-almaty-city", "confession:islam"])
    assert len(sub["nodes"]) == 3
    assert {(r["start"], r["type"], r["end"]) for r in sub["relationships"]} == {
        ("region:kz-almaty-city", "PART_OF", "region:kz")}


def test_stats_count_labels_and_types(store):
    s = queries.stats(store)
    assert s["nodes"]["Region"] == 52 and s["nodes"]["Document"] == 7
    assert s["relationships"]["MENTIONS"] > 100 and s["relationships"]["PART_OF"] > 40


def test_provenance_quotes_come_from_the_document(store):
    prov = queries.provenance(store, MOJ)
    assert prov["sources"][0]["method"] == "reference"
    quotes = [m for m in prov["mentions"] if m["doc"] == "doc:001-3e82bdd0ac94ffa1"]
    assert quotes
    raw = (ROOT / "ingest/samples/001_3e82bdd0ac94ffa1.txt").read_text(encoding="utf-8")
    clean = normalise(raw).text
    for m in quotes:
        assert m["quote"] in clean
        assert clean[m["start"]:m["end"]] in m["quote"]
        # the raw span holds the same words, PDF artifacts aside
        assert fold(raw[m["raw_start"]:m["raw_end"]]).replace(" ", "") == fold(clean[m["start"]:m["end"]]).replace(" ", "")


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "cypher").glob("*.cypher") if p.name != "schema.cypher"))
def test_study_scripts_run(store, script):
    text = _strip_comments((ROOT / "cypher" / script).read_text(encoding="utf-8"))
    for statement in filter(str.strip, text.split(";")):
        store.rows(statement)


def test_study_script_values(store):
    rows = store.rows(_strip_comments((ROOT / "cypher/bodies_most_mentioned.cypher").read_text()).rstrip(";\n"))
    assert rows[0]["body"] == "statebody:kz-government"
    assert rows[0]["documents"] == 2


def test_relationships_come_back_with_their_ends_ids(store):
    rows = store.rows("MATCH (a:Region {id: 'region:kz-almaty-city'})-[r:PART_OF]->(b) RETURN a, r, b")
    assert rows[0]["r"]["start"] == "region:kz-almaty-city" and rows[0]["r"]["end"] == "region:kz"
    assert rows[0]["r"]["type"] == "PART_OF" and rows[0]["b"]["labels"] == ["Region"]
