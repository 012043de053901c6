"""Every /v1 endpoint over a real HTTP server and the real sample store, errors included."""
from __future__ import annotations

import pytest

from kb import queries

PROBLEM = "application/problem+json"


def _problem(resp, status: int, detail_part: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    body = resp.json()
    assert body["status"] == status and detail_part in body["detail"]


def test_health(api):
    assert api.get("/health").json() == {"status": "ok", "store": "embedded"}


def test_entity(api):
    body = api.get("/entities/statebody:kz-ministry-of-justice").json()
    assert body["label"] == "StateBody"
    assert "Әділетмині" in body["aliases"] and body["name_kk"]
    assert body["sources"][0]["method"] == "reference"
    assert "search_keys" not in body


def test_unknown_entity_is_a_404_problem(api):
    _problem(api.get("/entities/statebody:no-such-body"), 404, "no entity with id 'statebody:no-such-body'")
    _problem(api.get("/entities/garbage"), 404, "unknown id prefix")


def test_list_entities(api):
    body = api.get("/entities", params={"label": "Region", "limit": 3}).json()
    assert body["total"] == 52 and len(body["items"]) == 3  # 22 Kazakh regions and cities + 30 countries
    _problem(api.get("/entities", params={"label": "Nope"}), 400, "unknown label 'Nope'")


def test_search(api):
    body = api.get("/search", params={"q": "Минюст"}).json()
    assert body["hits"][0]["entity"]["id"] == "statebody:kz-ministry-of-justice"
    _problem(api.get("/search", params={"q": ""}), 400, "q")


def test_neighbours(api):
    body = api.get("/entities/region:kz/neighbors",
                   params={"type": "PART_OF", "direction": "in", "limit": 5}).json()
    assert body["total"] == 20 and len(body["nodes"]) == 5 and body["omitted"] == 15
    assert all(r["type"] == "PART_OF" and r["end"] == "region:kz" for r in body["relationships"])
    _problem(api.get("/entities/region:kz/neighbors", params={"depth": 9}), 400, "depth")
    _problem(api.get("/entities/region:kz/neighbors", params={"type": "LIKES"}), 400, "unknown relationship type")


def test_paths(api):
    body = api.get("/paths", params={"from": "association:kz-almaty-central-mosque", "to": "region:kz"}).json()
    assert body[0]["nodes"][0]["id"] == "association:kz-almaty-central-mosque"
    assert body[0]["nodes"][-1]["id"] == "region:kz" and body[0]["length"] == len(body[0]["relationships"])
    _problem(api.get("/paths", params={"from": "region:kz", "to": "region:nowhere"}), 404, "region:nowhere")


def test_subgraph(api):
    body = api.post("/subgraph", json={"ids": ["region:kz", "region:kz-almaty-city"]}).json()
    assert len(body["nodes"]) == 2 and body["relationships"][0]["type"] == "PART_OF"
    _problem(api.post("/subgraph", json={"ids": []}), 400, "ids")


def test_stats(api, store):
    assert api.get("/stats").json() == queries.stats(store)


def test_provenance(api):
    body = api.get("/entities/statebody:kz-ministry-of-justice/provenance").json()
    assert any(m["doc"] == "doc:001-3e82bdd0ac94ffa1" and m["quote"] for m in body["mentions"])


def test_schema_legend(api):
    body = api.get("/schema").json()
    assert {x["label"] for x in body["labels"]} >= {"Region", "StateBody", "Measure"}
    assert all(x["color"].startswith("#") for x in body["labels"])


def test_cypher_reads_with_parameters(api):
    body = api.post("/cypher", json={
        "query": "MATCH (r:Region)-[:PART_OF]->(:Region {id: $id}) RETURN count(r) AS n", "params": {"id": "region:kz"},
    }).json()
    assert body == {"columns": ["n"], "rows": [{"n": 20}], "truncated": False}


def test_cypher_row_cap(api, store):
    from kb.settings import get_settings

    cap = get_settings().cypher_row_cap
    body = api.post("/cypher", json={"query": f"UNWIND range(1, {cap + 10}) AS x RETURN x"}).json()
    assert len(body["rows"]) == cap and body["truncated"] is True


@pytest.mark.parametrize("query", [
    "CREATE (n:Region {id: 'region:evil', name: 'evil'})",
    "MATCH (n:Region {id: 'region:kz'}) SET n.name = 'evil'",
    "MATCH (n) DETACH DELETE n",
    "MERGE (n:Region {id: 'region:evil'})",
    "MATCH (n:Region) REMOVE n.name",
    "CALL apoc.create.node(['X'], {})",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "MATCH (n) /* hidden */ DETACH /* */ DELETE n",
])
def test_cypher_refuses_writes_and_nothing_changes(api, store, query):
    before = queries.stats(store)
    _problem(api.post("/cypher", json={"query": query}), 403, "not allowed")
    assert queries.stats(store) == before


def test_cypher_syntax_error_is_a_400(api):
    _problem(api.post("/cypher", json={"query": "MATCH (n RETURN n"}), 400, "syntax")


def test_view_is_served(api):
    resp = api.get("/views/neighbourhood/region:kz-almaty-city")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    assert "region:kz-almaty-city" in resp.text
    _problem(api.get("/views/neighbourhood/region:nowhere"), 404, "region:nowhere")


def test_openapi_docs(api):
    spec = api.get("/../openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert {"/v1/health", "/v1/entities/{node_id}", "/v1/search", "/v1/cypher", "/v1/paths"} <= set(paths)


def test_analytics_of_a_neighbourhood(api):
    body = api.get("/analytics/statebody:kz-government", params={"depth": 1, "type": "PART_OF"}).json()
    assert body["degree"][0]["id"] == "statebody:kz-government"
    assert body["components"][0][0].startswith("statebody:") and len(body["components"]) == 1
    # a star: every ministry PART_OF the Government; two of them twice (2006-2010 and from 2023)
    assert body["nodes"] == body["relationships"] + 1 - 2
