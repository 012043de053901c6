"""Read-only Cypher cannot write: attacks through the real HTTP API are all refused, the store's
checksum is unchanged, and a long query is cut at the time limit."""
from __future__ import annotations

import hashlib
import json

import pytest

from kb import export
from kb.readonly import WriteRefused, check_read_only
from kb.store import ReadOnlyViolation, StoreError

ATTACKS = [
    "CREATE (n:Region {id: 'region:evil', name: 'x'})",
    "MERGE (n:Region {id: 'region:evil'})",
    "MATCH (n:Region {id: 'region:kz'}) SET n.name = 'evil'",
    "MATCH (n:Region {id: 'region:kz'}) SET n += {name: 'evil'}",
    "MATCH (n:Region {id: 'region:kz'}) SET n:Evil",
    "MATCH (n:Region {id: 'region:kz'}) REMOVE n.name",
    "MATCH (n:Region {id: 'region:kz'}) REMOVE n:Region",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH ()-[r]->() DELETE r",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "LOAD CSV WITH HEADERS FROM 'http://127.0.0.1/x.csv' AS row CREATE (:X)",
    "CALL apoc.create.node(['Evil'], {})",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "CALL apoc.cypher.runWrite('CREATE (:Evil)', {})",
    "CALL db.createLabel('Evil')",
    "CALL dbms.security.createUser('x', 'y', false)",
    "CALL { CREATE (:Evil) } IN TRANSACTIONS",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
    "FOREACH (x IN range(1, 3) | CREATE (:Evil))",
    "UNWIND range(1, 3) AS x CREATE (:Evil {n: x})",
    "MATCH (n) /* harmless? */ DETACH /* no */ DELETE n",
    "MATCH (n) // comment\nDETACH DELETE n",
    "match (n) detach delete n",
    "MaTcH (n) DeTaCh DeLeTe n",
    "MATCH (n) ＤＥＴＡＣＨ ＤＥＬＥＴＥ n",  # full-width letters fold to DETACH DELETE
    "MATCH (n) DET\u200bACH DELETE n",  # a zero-width space inside a keyword
    "MATCH (n) WITH n CREATE (m:Evil)",
    "RETURN 1; CREATE (:Evil)",
    "CREATE INDEX evil FOR (n:Region) ON (n.evil)",
    "DROP CONSTRAINT region_id",
    "CREATE CONSTRAINT evil FOR (n:Region) REQUIRE n.evil IS UNIQUE",
    "CALL db.index.fulltext.createNodeIndex('evil', ['Region'], ['name'])",
    "USE system CREATE DATABASE evil",
    "GRANT ALL ON DATABASE * TO reader",
]


def _checksum(store) -> str:
    lines = sorted(json.dumps(x, ensure_ascii=False, sort_keys=True) for x in export.apoc_lines(store))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_there_are_enough_attacks():
    assert len(ATTACKS) >= 30


@pytest.mark.parametrize("query", ATTACKS)
def test_the_guard_refuses(query):
    with pytest.raises(WriteRefused):
        check_read_only(query)


def test_attacks_over_http_change_nothing(api, store):
    before = _checksum(store)
    for query in ATTACKS:
        resp = api.post("/cypher", json={"query": query})
        assert resp.status_code == 403, (query, resp.status_code, resp.text)
        assert resp.headers["content-type"].startswith("application/problem+json")
    # parameters carry values, never code
    resp = api.post("/cypher", json={"query": "MATCH (n:Region {id: $id}) RETURN n.name AS name",
                                     "params": {"id": "region:kz'}) DETACH DELETE n //"}})
    assert resp.status_code == 200 and resp.json()["rows"] == []
    assert _checksum(store) == before


@pytest.mark.parametrize("query", [q for q in ATTACKS if not q.startswith(("CALL", "USE", "GRANT", "LOAD", "RETURN 1;"))][:12])
def test_the_store_itself_refuses_writes_on_the_read_path(store, query):
    """Even past the guard, reads run in the store's read-only mode."""
    before = _checksum(store)
    with pytest.raises(StoreError):
        store.read(query)
    assert _checksum(store) == before


def test_long_queries_are_cut_at_the_time_limit(api):
    resp = api.post("/cypher", json={"query": "UNWIND range(1, 3000) AS x UNWIND range(1, 3000) AS y "
                                              "WITH x, y WHERE (x * y) % 7 = 3 RETURN count(*) AS c"})
    assert resp.status_code == 408, resp.text
    assert "time limit" in resp.json()["detail"]
