"""HTTP conventions over a real server: ETags and 304, cache headers, CORS, API keys for reads,
request-body limits, structured request logs, problem details, health when the store is down."""
from __future__ import annotations

import json
import logging
from contextlib import contextmanager

import httpx
import pytest

from api.app import create_app
from kb.settings import Settings
from kb.store import StoreUnavailable
from tests.conftest import LiveServer

PROBLEM = "application/problem+json"


@contextmanager
def serve(store, **env):
    settings = Settings(**env)
    with LiveServer(create_app(store, settings)) as server, \
            httpx.Client(base_url=server.url + "/v1", timeout=30) as client:
        yield client


def test_etag_and_conditional_get(api):
    first = api.get("/entities/region:kz")
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == "no-cache"
    again = api.get("/entities/region:kz", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert api.get("/entities/region:kz", headers={"If-None-Match": 'W/"other", ' + etag}).status_code == 304
    assert api.get("/entities/region:kz", headers={"If-None-Match": 'W/"other"'}).status_code == 200
    assert api.get("/entities/region:kz-almaty-city").headers["etag"] != etag
    # errors and writes carry none
    assert "etag" not in api.get("/entities/region:nowhere").headers
    assert "etag" not in api.post("/subgraph", json={"ids": ["region:kz"]}).headers


def test_problem_details_for_unknown_routes_and_methods(api):
    resp = api.get("/no-such-route")
    assert resp.status_code == 404 and resp.headers["content-type"].startswith(PROBLEM)
    assert resp.json()["instance"] == "/v1/no-such-route"
    resp = api.delete("/entities/region:kz")
    assert resp.status_code == 405 and resp.headers["content-type"].startswith(PROBLEM)


def test_request_ids_are_echoed(api):
    assert api.get("/health", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    generated = api.get("/health", headers={"X-Request-ID": "bad id with spaces"}).headers["x-request-id"]
    other = api.get("/health").headers["x-request-id"]
    assert " " not in generated and generated != other and generated.split("-")[0] == other.split("-")[0]


def test_structured_request_log_never_holds_keys(store):
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    handler = Keep()
    logger = logging.getLogger("kb.api.access")
    logger.addHandler(handler)
    try:
        with serve(store, KB_READ_API_KEY="read-secret-1") as client:
            client.get("/entities/region:kz", headers={"X-API-Key": "read-secret-1", "X-Request-ID": "r1"})
            client.get("/search", params={"q": "Алматы", "api_key": "query-secret-2"},
                       headers={"Authorization": "Bearer read-secret-1"})
            client.get("/entities/region:kz", headers={"X-API-Key": "wrong-secret-3"})
    finally:
        logger.removeHandler(handler)
    records = [json.loads(x) for x in lines]
    first = next(r for r in records if r["request_id"] == "r1")
    assert first["method"] == "GET" and first["path"] == "/v1/entities/region:kz" and first["status"] == 200
    assert isinstance(first["duration_ms"], float)
    assert any(r["status"] == 401 for r in records)
    text = "\n".join(lines)
    assert "read-secret-1" not in text and "query-secret-2" not in text and "wrong-secret-3" not in text
    assert "Алматы" in text  # the query string is kept, secrets redacted


def test_reads_can_require_a_key(store):
    with serve(store, KB_READ_API_KEY="r-key", KB_API_KEY="w-key") as client:
        resp = client.get("/entities/region:kz")
        assert resp.status_code == 401 and resp.headers["content-type"].startswith(PROBLEM)
        assert "need an API key" in resp.json()["detail"] and resp.headers["www-authenticate"].startswith("Bearer")
        assert client.get("/entities/region:kz", headers={"X-API-Key": "nope"}).status_code == 401
        assert client.get("/entities/region:kz", headers={"X-API-Key": "r-key"}).status_code == 200
        assert client.get("/entities/region:kz", headers={"Authorization": "Bearer r-key"}).status_code == 200
        assert client.get("/entities/region:kz", headers={"X-API-Key": "w-key"}).status_code == 200  # the write key reads
        assert client.get("/entities/region:kz", headers={"X-API-Key": "r-kéy".encode()}).status_code == 401  # non-ASCII: no crash
        ok = client.get("/entities/region:kz", headers={"X-API-Key": "r-key"})
        assert ok.headers["cache-control"] == "private, no-cache"
        assert client.get("/health").status_code == 200  # health stays open
        assert client.get("/../openapi.json").status_code == 200


def test_cors_is_closed_by_default_and_configurable(api, store):
    preflight = {"Origin": "https://research.example", "Access-Control-Request-Method": "GET"}
    assert "access-control-allow-origin" not in api.get("/health", headers={"Origin": "https://research.example"}).headers
    with serve(store, KB_CORS_ORIGINS="https://research.example, https://other.example") as client:
        resp = client.options("/entities/region:kz", headers=preflight)
        assert resp.status_code == 200 and resp.headers["access-control-allow-origin"] == "https://research.example"
        got = client.get("/entities/region:kz", headers={"Origin": "https://research.example"})
        assert got.headers["access-control-allow-origin"] == "https://research.example"
        assert "etag" in got.headers["access-control-expose-headers"].lower()
        assert "access-control-allow-origin" not in client.get(
            "/health", headers={"Origin": "https://evil.example"}).headers


def test_oversized_bodies_are_413(store):
    with serve(store, KB_MAX_BODY_KB="1") as client:
        big = {"query": "RETURN 1 AS x //" + "x" * 4000}
        resp = client.post("/cypher", json=big)
        assert resp.status_code == 413 and resp.headers["content-type"].startswith(PROBLEM)
        assert "larger than the limit of 1,024 bytes" in resp.json()["detail"]

        def chunks():  # no Content-Length: the limit applies while reading
            yield b'{"query": "RETURN 1 AS x //'
            for _ in range(10):
                yield b"x" * 500
            yield b'"}'

        resp = client.post("/cypher", content=chunks(), headers={"content-type": "application/json"})
        assert resp.status_code == 413
        assert client.post("/cypher", json={"query": "RETURN 1 AS x"}).status_code == 200


class DownStore:
    """A store that cannot answer: every read and ping fails as the real ones do when down."""

    name = "embedded"

    def read(self, *a, **kw):
        raise StoreUnavailable("embedded store at /nowhere does not answer: gone")

    def rows(self, *a, **kw):
        return self.read()

    def ping(self):
        raise StoreUnavailable("embedded store at /nowhere does not answer: gone")

    def write(self, *a, **kw):
        raise StoreUnavailable("gone")

    run_schema = write

    def checkpoint(self):
        pass

    def close(self):
        pass


def test_health_and_reads_say_503_when_the_store_is_down():
    with serve(DownStore()) as client:
        resp = client.get("/health")
        assert resp.status_code == 503 and resp.headers["retry-after"] == "5"
        assert "does not answer" in resp.json()["detail"] and resp.headers["content-type"].startswith(PROBLEM)
        assert client.get("/entities/region:kz").status_code == 503
        assert client.get("/search", params={"q": "x"}).status_code == 503


def test_openapi_lists_every_endpoint_with_examples(api):
    spec = api.get("/../openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/v1/health", "/v1/stats", "/v1/schema", "/v1/entities", "/v1/entities/{node_id}", "/v1/search",
        "/v1/entities/{node_id}/neighbors", "/v1/entities/{node_id}/provenance", "/v1/entities/{node_id}/measures",
        "/v1/paths", "/v1/subgraph", "/v1/common-neighbors", "/v1/relationships/provenance",
        "/v1/programmes/{node_id}/measures", "/v1/observations", "/v1/observations/metrics",
        "/v1/documents/{node_id}/facts", "/v1/analytics", "/v1/analytics/{node_id}", "/v1/cypher", "/v1/export",
        "/v1/ingest/document", "/v1/ingest/registry",
    } <= paths
    search = spec["paths"]["/v1/search"]["get"]["parameters"]
    assert any(p["name"] == "q" and p["schema"].get("examples") or p.get("examples") for p in search)
    assert {"ApiKey", "Bearer"} <= set(spec["components"]["securitySchemes"])
    assert api.get("/../docs").status_code == 200


@pytest.mark.parametrize("path", ["/entities/region:kz", "/search?q=Алматы", "/entities/region:kz/neighbors?depth=2"])
def test_reads_are_valid_utf8_json(api, path):
    resp = api.get(path)
    assert resp.headers["content-type"] == "application/json"
    json.loads(resp.content.decode("utf-8"))
