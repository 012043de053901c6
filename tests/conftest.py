"""Shared fixtures: real stores loaded with the real sample corpus, and a real HTTP server."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from ingest.pipeline import ingest
from ingest.reference import reference_files
from kb.store import Store
from kb.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "ingest" / "samples").glob("*.txt"))
STORES = ["embedded"] + (["neo4j"] if os.environ.get("NEO4J_URI") and not os.environ.get("KB_BOLT_PLUMBING_ONLY") else [])


def load_samples(store: Store) -> None:
    for kind, paths in (("reference", reference_files()), ("documents", SAMPLES)):
        for outcome in ingest(store, kind, paths):
            assert outcome.ok, outcome.error


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """A data directory holding reference data and the three sample documents."""
    path = tmp_path_factory.mktemp("sample-kb")
    with EmbeddedStore(path) as store:
        load_samples(store)
    return path


@pytest.fixture
def fresh_dir(sample_dir, tmp_path) -> Path:
    """A private copy of the sample data directory, for tests that write."""
    target = tmp_path / "kb"
    shutil.copytree(sample_dir, target, ignore=shutil.ignore_patterns("*.lock*"))
    return target


def _neo4j_store() -> Store:
    from kb.store.neo4j_store import Neo4jStore

    store = Neo4jStore(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                       os.environ.get("NEO4J_PASSWORD", "neo4j"), os.environ.get("NEO4J_DATABASE"))
    from kb.store import Statement

    store.write([Statement("MATCH (n) DETACH DELETE n")])
    load_samples(store)
    return store


@pytest.fixture(scope="session", params=STORES)
def store(request, tmp_path_factory, sample_dir) -> Store:
    """Every store the suite can reach, each loaded with the sample corpus (conformance runs over all)."""
    if request.param == "neo4j":
        s = _neo4j_store()
    else:
        path = tmp_path_factory.mktemp("conformance")
        shutil.copytree(sample_dir, path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.lock*"))
        s = EmbeddedStore(path)
    yield s
    s.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """uvicorn serving the app on 127.0.0.1 in a background thread."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def api(store):
    """A real HTTP server over the sample store; yields an httpx client bound to it."""
    import httpx

    from api.app import create_app

    with LiveServer(create_app(store)) as server, httpx.Client(base_url=server.url + "/v1", timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def prepared():
    """The three samples read, normalised, with abbreviations and known names found: {"000": Prepared, ...}."""
    from ingest.prepare import prepare, reference_gazetteer

    gazetteer = reference_gazetteer()
    return {p.name.split("_")[0]: prepare(p, gazetteer) for p in SAMPLES}


@pytest.fixture(scope="session")
def gold():
    """The hand-made expectations for the samples: {"000": dict, ...} (tests/data/gold/*.yaml)."""
    import yaml

    return {p.name.split("_")[0]: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "tests/data/gold").glob("*.yaml"))}
