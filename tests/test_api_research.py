"""The research questions over HTTP: every endpoint against the real sample store, with real values."""
from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET
import zipfile

import pytest

from kb import queries

PROBLEM = "application/problem+json"
MOJ = "statebody:kz-ministry-of-justice"
MCI = "statebody:kz-ministry-of-culture-and-information"
CRA = "statebody:kz-committee-religious-affairs"
DOC_001 = "doc:001-3e82bdd0ac94ffa1"


def _problem(resp, status: int, detail_part: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    body = resp.json()
    assert body["status"] == status and detail_part in body["detail"], body


@pytest.fixture(scope="module")
def programme_id(store) -> str:
    rows = store.rows("MATCH (p:Programme {period_start: 2007, period_end: 2009, kind: 'programme'})<-[:PART_OF]-(:Measure) "
                      "RETURN DISTINCT p.id AS id")
    assert len(rows) == 1
    return rows[0]["id"]


# -- entities ---------------------------------------------------------------------------------

def test_entity_has_names_in_three_languages_aliases_and_decoded_sources(api):
    body = api.get(f"/entities/{MOJ}").json()
    assert body["name_kk"] == "Қазақстан Республикасының Әділет министрлігі"
    assert body["name_ru"].startswith("Министерство юстиции")
    assert body["name_en"] and {"Минюст", "Әділетмині"} <= set(body["aliases"])
    assert body["sources"][0]["doc"] == "doc:reference-state-bodies" and body["sources"][0]["method"] == "reference"


def test_list_filters_on_properties(api):
    body = api.get("/entities", params={"label": "Region", "filter": "kind=city"}).json()
    assert body["total"] == 4
    assert [x["id"] for x in body["items"]] == ["region:kz-almaty-city", "region:kz-astana-city",
                                               "region:kz-oskemen", "region:kz-shymkent-city"]
    # `:` is `=`; several filters all hold; list properties test membership; numbers compare as numbers
    body = api.get("/entities", params={"label": "Region", "filter": ["kind:city", "iso_code=KZ-75"]}).json()
    assert [x["id"] for x in body["items"]] == ["region:kz-almaty-city"]
    body = api.get("/entities", params={"label": "StateBody", "filter": "aliases=Минюст"}).json()
    assert [x["id"] for x in body["items"]] == [MOJ]
    body = api.get("/entities", params={"label": "Programme", "filter": ["period_start>=2007", "period_end<=2009"]}).json()
    assert body["total"] >= 1 and all(2007 <= x["period_start"] and x["period_end"] <= 2009 for x in body["items"])
    body = api.get("/entities", params={"label": "Measure", "filter": "funding_years=2008", "limit": 100}).json()
    assert body["total"] == 6 and all(2008 in x["funding_years"] for x in body["items"])


def test_list_filter_errors_are_400(api):
    _problem(api.get("/entities", params={"label": "Region", "filter": "colour=red"}), 400, "no filterable property 'colour'")
    _problem(api.get("/entities", params={"label": "Programme", "filter": "period_start>=soon"}), 400, "takes int")
    _problem(api.get("/entities", params={"label": "Region", "filter": "kind~city"}), 400, "property OP value")
    _problem(api.get("/entities", params={"label": "Region", "filter": "aliases>x"}), 400, "membership")


# -- search -----------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["Әділетмині", "әділет министрлігінің", "Әділет министрлігі", "Минюст", "adilet",
                               "Министерством юстиции", "Ädilet ministrligi", "ministry of justice"])
def test_search_understands_inflection_abbreviations_and_transliteration(api, q):
    body = api.get("/search", params={"q": q}).json()
    assert body["hits"], q
    assert body["hits"][0]["entity"]["id"] == MOJ, [h["entity"]["id"] for h in body["hits"][:5]]


def test_search_highlights_the_matched_name(api):
    body = api.get("/search", params={"q": "әділет министрлігінің"}).json()
    top = body["hits"][0]
    assert top["score"] == 3  # the whole name, up to inflection
    hl = top["highlight"]
    assert hl["field"] in ("name_kk", "aliases")
    assert [hl["text"][s:e] for s, e in hl["spans"]] == ["Әділет", "министрлігі"]
    assert "<mark>Әділет</mark> <mark>министрлігі</mark>" in hl["marked"]
    abbr = api.get("/search", params={"q": "Минюст"}).json()["hits"][0]
    assert abbr["highlight"] == {"field": "aliases", "text": "Минюст", "spans": [[0, 6]], "marked": "<mark>Минюст</mark>"}


def test_search_ranks_exact_then_prefix_then_words_and_pages(api):
    body = api.get("/search", params={"q": "Алматы", "label": "Region"}).json()
    assert body["hits"][0]["entity"]["id"] == "region:kz-almaty-city" and body["hits"][0]["score"] == 3
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)
    assert "region:kz-almaty-region" in [h["entity"]["id"] for h in body["hits"]]
    assert all(h["entity"]["label"] == "Region" for h in body["hits"])
    page2 = api.get("/search", params={"q": "Алматы", "label": "Region", "limit": 1, "offset": 1}).json()
    assert page2["total"] == body["total"] and page2["hits"][0]["entity"]["id"] == body["hits"][1]["entity"]["id"]


def test_search_errors(api):
    _problem(api.get("/search", params={"q": "  ...  "}), 400, "no letters")
    _problem(api.get("/search", params={"q": "x", "label": "Nope"}), 400, "unknown label")


def _zzyzx(store):
    from kb.schema import ReligiousAssociation, Source
    from kb.writes import node_statements

    node = ReligiousAssociation(id="association:test-zzyzx-mosque", name="Zzyzx Mosque",
                                sources=[Source(method="manual")])
    store.write(node_statements([node], "doc:test"))


def _drop_zzyzx(store):
    from kb.store import Statement

    store.write([Statement("MATCH (n:ReligiousAssociation {id: 'association:test-zzyzx-mosque'}) DETACH DELETE n")])


def test_search_sees_writes_by_others_once_the_index_is_rebuilt(store):
    """A write seen by the store's counts (anyone's) rebuilds the index in the background; searches
    meanwhile get the old index, never a wait; a deleted node drops out at once."""
    queries.search(store, "Минюст")
    assert queries.search(store, "Zzyzx Mosque") == []
    _zzyzx(store)
    try:
        deadline = time.monotonic() + 30
        while not (hits := queries.search(store, "zzyzx")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert hits and hits[0]["node"]["id"] == "association:test-zzyzx-mosque"
    finally:
        _drop_zzyzx(store)
    assert queries.search(store, "zzyzx") == []


def test_the_writer_reads_its_own_write(store):
    """`invalidate` (the API calls it before answering an upload) rebuilds the index there and then."""
    queries.search(store, "Минюст")
    _zzyzx(store)
    try:
        queries.invalidate(store)
        assert queries.search(store, "zzyzx")[0]["node"]["id"] == "association:test-zzyzx-mosque"
    finally:
        _drop_zzyzx(store)
        queries.invalidate(store)
    assert queries.search(store, "zzyzx") == []


# -- relationships ----------------------------------------------------------------------------

def test_neighbours_depth_two_with_filters_and_paging(api):
    params = {"depth": 2, "label": "StateBody", "type": ["ATTACHED_TO", "PART_OF"], "limit": 3}
    body = api.get("/entities/council:kz-religious-associations-liaison-council/neighbors", params=params).json()
    assert body["total"] > 3 and len(body["nodes"]) == 3 and body["omitted"] == body["total"] - 3
    assert all(n["label"] == "StateBody" for n in body["nodes"])
    ids = [n["id"] for n in body["nodes"]]
    assert ids == sorted(ids)
    rest = api.get("/entities/council:kz-religious-associations-liaison-council/neighbors",
                   params={**params, "offset": 3, "limit": 1000}).json()
    assert len(ids) + len(rest["nodes"]) == body["total"] and not set(ids) & {n["id"] for n in rest["nodes"]}
    assert MOJ in ids + [n["id"] for n in rest["nodes"]]


def test_neighbours_match_a_variable_length_query(api, store):
    """The breadth-first neighbourhood equals Cypher's own `*1..2` answer."""
    body = api.get("/entities/region:kz-almaty-city/neighbors", params={"depth": 2, "limit": 1000}).json()
    rows = store.rows("MATCH (c:Region {id: 'region:kz-almaty-city'})-[*1..2]-(m) WHERE m.id <> c.id "
                      "RETURN collect(DISTINCT m.id) AS ids")
    assert sorted(n["id"] for n in body["nodes"]) == sorted(rows[0]["ids"]) and body["total"] == len(rows[0]["ids"])


@pytest.mark.parametrize("as_of, parents", [
    ("2008", {MOJ}),
    ("2010-12-31", {MOJ}),  # valid_to "2010": the whole of 2010
    ("2012", set()),  # between two reorganisations
    ("2015-03-01", {"statebody:kz-ministry-of-culture-and-sports"}),
    ("2016", {"statebody:kz-ministry-of-culture-and-sports", "statebody:kz-ministry-of-religious-affairs-and-civil-society"}),
    ("2024", {MCI}),
])
def test_neighbours_as_of_a_date(api, as_of, parents):
    body = api.get(f"/entities/{CRA}/neighbors",
                   params={"type": "PART_OF", "direction": "out", "as_of": as_of}).json()
    assert {n["id"] for n in body["nodes"]} == parents and body["as_of"] == as_of
    assert all(r["type"] == "PART_OF" for r in body["relationships"])


def test_neighbours_as_of_is_validated(api):
    _problem(api.get(f"/entities/{CRA}/neighbors", params={"as_of": "last year"}), 400, "YYYY")


def test_shortest_and_all_paths(api):
    shortest = api.get("/paths", params={"from": CRA, "to": "statebody:kz-government"}).json()
    assert len(shortest) == 1 and shortest[0]["length"] == 2
    every = api.get("/paths", params={"from": CRA, "to": "statebody:kz-government", "all": "true",
                                      "max_length": 2, "limit": 50}).json()
    assert len(every) >= 5  # through each ministry the committee was part of
    lengths = [p["length"] for p in every]
    assert lengths == sorted(lengths) and lengths[0] == 2
    for p in every:
        ids = [n["id"] for n in p["nodes"]]
        assert ids[0] == CRA and ids[-1] == "statebody:kz-government" and len(set(ids)) == len(ids)
    middles = {p["nodes"][1]["id"] for p in every}
    assert {MOJ, MCI, "statebody:kz-ministry-of-culture-and-sports"} <= middles
    capped = api.get("/paths", params={"from": CRA, "to": "statebody:kz-government", "all": "true", "limit": 2}).json()
    assert len(capped) == 2
    _problem(api.get("/paths", params={"from": CRA, "to": CRA}), 400, "same entity")


def test_subgraph_is_induced_and_filtered(api):
    ids = [CRA, MOJ, MCI, "statebody:kz-government", "region:nowhere"]
    body = api.post("/subgraph", json={"ids": ids}).json()
    assert {n["id"] for n in body["nodes"]} == set(ids) - {"region:nowhere"}
    pairs = {(r["start"], r["type"], r["end"]) for r in body["relationships"]}
    assert (CRA, "PART_OF", MOJ) in pairs and (CRA, "PART_OF", MCI) in pairs
    assert all(r["start"] in ids and r["end"] in ids for r in body["relationships"])
    dated = api.post("/subgraph", json={"ids": ids, "type": ["PART_OF"], "as_of": "2008"}).json()
    assert (CRA, "PART_OF", MOJ) in {(r["start"], r["type"], r["end"]) for r in dated["relationships"]}
    assert (CRA, "PART_OF", MCI) not in {(r["start"], r["type"], r["end"]) for r in dated["relationships"]}


def test_common_neighbours_of_two_ministries(api, store):
    body = api.get("/common-neighbors", params={"a": MOJ, "b": MCI, "label": "Measure"}).json()
    expected = store.rows(
        f"MATCH (:StateBody {{id: '{MOJ}'}})-[:RESPONSIBLE_FOR]->(m:Measure)<-[:RESPONSIBLE_FOR]-"
        f"(:StateBody {{id: '{MCI}'}}) RETURN collect(DISTINCT m.id) AS ids")[0]["ids"]
    assert len(expected) >= 5
    assert sorted(n["id"] for n in body["nodes"]) == sorted(expected) and body["total"] == len(expected)
    assert all({r["start"], r["end"]} & {MOJ, MCI} for r in body["relationships"])
    committee = api.get("/common-neighbors", params={"a": MOJ, "b": MCI, "label": "StateBody"}).json()
    assert CRA in {n["id"] for n in committee["nodes"]}
    _problem(api.get("/common-neighbors", params={"a": MOJ, "b": MOJ}), 400, "same entity")
    _problem(api.get("/common-neighbors", params={"a": MOJ, "b": "statebody:nothing"}), 404, "statebody:nothing")


# -- programmes ---------------------------------------------------------------------------------

def test_programme_measures_with_bodies_deadlines_and_funding(api, programme_id):
    body = api.get(f"/programmes/{programme_id}/measures").json()
    assert body["programme"]["period_start"] == 2007 and len(body["measures"]) == 23
    first = body["measures"][0]
    assert first["measure"]["number"] == 1 and first["measure"]["deadline"] == "Жыл сайын 20 қаңтарға және 20 шілдеге"
    assert [b["id"] for b in first["bodies"]] == [
        MOJ, MCI, "statebody:kz-ministry-of-education-and-science", "statebody:kz-ministry-of-foreign-affairs",
        "statebody:kz-ministry-of-internal-affairs"]
    assert first["bodies"][0]["lead"] is True and not any(b["lead"] for b in first["bodies"][1:])
    assert len(body["measures"][1]["bodies"]) == 16  # every regional akimat
    assert body["totals"] == {"2007": 68.1, "2008": 31.604, "2009": 78.0}
    per_year: dict[str, float] = {}
    for m in body["measures"]:
        for year, amount in m["funding"].items():
            per_year[year] = per_year.get(year, 0) + amount
    assert per_year == pytest.approx(body["totals"])
    _problem(api.get(f"/programmes/{MOJ}/measures"), 400, "not a programme")


def test_body_measures_and_funding_share_add_up(api, programme_id):
    body = api.get(f"/entities/{MOJ}/measures").json()
    assert len(body["measures"]) == 20 and sum(m["lead"] for m in body["measures"]) == 1
    assert {m["programme"] for m in body["measures"]} == {programme_id}
    for m in body["measures"]:
        assert m["share"] == pytest.approx({y: a / m["bodies"] for y, a in m["funding"].items()}, abs=1e-5)
    assert body["totals"]["share"]["2007"] == pytest.approx(68.1)  # the 2007 money is all in measures MoJ shares alone
    assert body["programmes"][0]["measures"] == 20
    # every body's shares of every measure add up to the programme's totals
    totals = api.get(f"/programmes/{programme_id}/measures").json()
    bodies = {b["id"] for m in totals["measures"] for b in m["bodies"]}
    summed: dict[str, float] = {}
    for b in bodies:
        for year, share in api.get(f"/entities/{b}/measures").json()["totals"]["share"].items():
            summed[year] = summed.get(year, 0.0) + share
    assert summed == pytest.approx(totals["totals"], abs=1e-4)
    _problem(api.get("/entities/region:kz/measures"), 400, "only StateBody")


# -- statistics ---------------------------------------------------------------------------------

def test_religious_associations_of_islam_over_time(api):
    series = api.get("/observations", params={"metric": "religious_associations", "subject": "confession:islam"}).json()
    assert len(series) == 1 and series[0]["region"] == "region:kz"
    assert [(p["date"], p["value"]) for p in series[0]["points"]] == [("1990-01-01", 46.0), ("2007-01-01", 2144.0)]
    later = api.get("/observations", params={"metric": "religious_associations", "subject": "confession:islam",
                                             "from": "2000"}).json()
    assert [p["value"] for p in later[0]["points"]] == [2144.0]
    upto = api.get("/observations", params={"metric": "religious_associations", "to": "1990"}).json()
    assert {s["subject"]: [p["value"] for p in s["points"]] for s in upto}["region:kz"] == [671.0]
    _problem(api.get("/observations", params={"from": "yesterday"}), 400, "YYYY")


def test_observation_metrics(api):
    metrics = {m["metric"]: m for m in api.get("/observations/metrics").json()}
    assert metrics["religious_associations"]["first"] == "1990-01-01"
    assert metrics["religious_associations"]["observations"] >= 10


# -- provenance -----------------------------------------------------------------------------------

def test_relationship_provenance(api):
    body = api.get("/relationships/provenance", params={"start": "region:kz-almaty-city", "end": "region:kz",
                                                        "type": "PART_OF"}).json()
    assert body["relationships"][0]["sources"][0]["doc"] == "doc:reference-regions"
    assert {"id": "doc:reference-regions", "name": body["documents"][0]["name"]} in body["documents"]
    mention = api.get("/relationships/provenance", params={"start": DOC_001, "end": MOJ, "type": "MENTIONS"}).json()
    assert mention["relationships"] and all(r["properties"]["quote"] for r in mention["relationships"])
    assert DOC_001 in [d["id"] for d in mention["documents"]]
    _problem(api.get("/relationships/provenance", params={"start": MOJ, "end": "region:kz-almaty-city"}), 404,
             "no relationship")


def test_document_facts(api):
    body = api.get(f"/documents/{DOC_001}/facts", params={"limit": 5}).json()
    assert body["document"]["id"] == DOC_001
    for section in ("nodes", "relationships", "mentions"):
        assert body[section]["total"] > 5 and len(body[section]["items"]) == 5
    node = body["nodes"]["items"][0]
    assert node["sources"] and all(s["doc"] == DOC_001 for s in node["sources"])
    assert all(s["doc"] == DOC_001 for r in body["relationships"]["items"] for s in r["sources"])
    assert all(m["quote"] for m in body["mentions"]["items"])
    mentioned = {m["id"] for m in api.get(f"/documents/{DOC_001}/facts", params={"limit": 1000}).json()["mentions"]["items"]}
    assert MOJ in mentioned
    _problem(api.get(f"/documents/{MOJ}/facts"), 400, "not a document")


# -- analytics ----------------------------------------------------------------------------------------

def test_analytics_of_a_chosen_subgraph(api):
    body = api.post("/analytics", json={"label": ["StateBody"], "type": ["PART_OF"], "top": 3}).json()
    assert body["degree"][0]["id"] == "statebody:kz-government"
    assert body["components"][0][0].startswith("statebody:") and body["truncated"] is False
    assert body["nodes"] == 45
    by_ids = api.post("/analytics", json={"ids": [CRA, MOJ, MCI, "statebody:kz-government"]}).json()
    assert by_ids["nodes"] == 4 and len(by_ids["components"]) == 1
    _problem(api.post("/analytics", json={"top": 3}), 400, "ids or labels")


# -- cypher and exports -----------------------------------------------------------------------------

def test_cypher_as_csv(api):
    resp = api.post("/cypher", params={"format": "csv"}, json={
        "query": "MATCH (r:Region)-[:PART_OF]->(:Region {id: $id}) RETURN r.id AS id, r.kind AS kind ORDER BY id LIMIT 3",
        "params": {"id": "region:kz"}})
    assert resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.text)))
    assert rows[0] == ["id", "kind"] and len(rows) == 4 and rows[1][0] == "region:kz-abai-region"


def test_cypher_as_graphml(api):
    resp = api.post("/cypher", params={"format": "graphml"}, json={
        "query": "MATCH (a:Region)-[r:PART_OF]->(b:Region {id: 'region:kz'}) RETURN a, r, b LIMIT 4"})
    assert resp.headers["content-type"].startswith("application/graphml+xml")
    root = ET.fromstring(resp.text)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == 5 and len(root.findall(".//g:edge", ns)) == 4
    _problem(api.post("/cypher", params={"format": "graphml"}, json={"query": "RETURN 1 AS x"}), 400, "GraphML")


def test_cypher_errors_from_the_engine_are_400(api):
    _problem(api.post("/cypher", json={"query": "RETURN 1 / 0 AS x"}), 400, "division by zero")
    _problem(api.post("/cypher", json={"query": "RETURN range(1, $n) AS r", "params": {"n": "a"}}), 400, "the query failed")


def test_export_json_lines_streams_the_whole_graph(api, store):
    resp = api.get("/export", params={"format": "json"})
    assert resp.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(x) for x in resp.text.splitlines()]
    stats = queries.stats(store)
    assert sum(1 for x in lines if x["type"] == "node") == sum(stats["nodes"].values())
    assert sum(1 for x in lines if x["type"] == "relationship") == sum(stats["relationships"].values())
    assert {"type", "id", "labels", "properties"} == set(lines[0])


def test_export_graphml_and_csv(api, store):
    graphml = api.get("/export", params={"format": "graphml"})
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(ET.fromstring(graphml.content).findall(".//g:node", ns)) == sum(queries.stats(store)["nodes"].values())
    zipped = api.get("/export", params={"format": "csv"})
    assert zipped.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as z:
        assert sorted(z.namelist()) == ["nodes.csv", "relationships.csv"]
        assert z.read("nodes.csv").decode().splitlines()[0].startswith("id:ID,:LABEL")


# -- the neighbourhood engine equals Cypher's variable-length answer ------------------------------

@pytest.mark.parametrize("hub_degree", [queries.HUB_DEGREE, 2])  # 2: every expansion through the hub cache
@pytest.mark.parametrize("centre, depth, direction, types", [
    (MOJ, 2, "both", None),
    (MOJ, 3, "both", None),
    ("region:kz", 2, "in", None),
    (CRA, 3, "out", ["PART_OF"]),
    (DOC_001, 2, "out", None),
    ("confession:islam", 2, "both", ["BELONGS_TO", "ABOUT", "SUBTYPE_OF"]),
])
def test_breadth_first_neighbourhood_equals_variable_length_match(store, monkeypatch, hub_degree, centre, depth,
                                                                  direction, types):
    monkeypatch.setattr(queries, "HUB_DEGREE", hub_degree)
    queries.invalidate(store)
    arrow = {"out": "-[{r}]->", "in": "<-[{r}]-", "both": "-[{r}]-"}[direction]
    rel = "r:" + "|".join(types) if types else "r"
    rows = store.rows(f"MATCH (c {{id: $id}}){arrow.format(r=rel + f'*1..{depth}')}(m) WHERE m.id <> $id "
                      "RETURN collect(DISTINCT m.id) AS ids", {"id": centre})
    expected = sorted(rows[0]["ids"])
    hood = queries.neighbours(store, centre, depth=depth, direction=direction, types=types, limit=5000)
    assert [n["id"] for n in hood["nodes"]] == expected and hood["total"] == len(expected)
    page = queries.neighbours(store, centre, depth=depth, direction=direction, types=types, limit=7, offset=3)
    assert [n["id"] for n in page["nodes"]] == expected[3:10]
    assert page["omitted"] == max(0, len(expected) - 10)
    only = queries.neighbours(store, centre, depth=depth, direction=direction, types=types, labels=["StateBody"],
                              limit=5000)
    assert [n["id"] for n in only["nodes"]] == [i for i in expected if i.startswith("statebody:")]
    queries.invalidate(store)
