"""`kb migrate`: a copy between stores is whole, verified, and round-trips to an identical export.

The embedded <-> embedded and export-file cases run everywhere; the Bolt round trip needs a server:

    bash scripts/test-in-netns.sh ".venv/bin/python -m pytest -q tests/test_neo4j_store.py tests/test_migrate.py"

(FalkorDB there: no constraint DDL, so the target gets an index per id instead, and string parameters
are escaped for its Bolt listener; see `kb.store.base.Capabilities`.)
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kb import migrate as mg
from kb.export import write_json
from kb.store import Statement
from kb.store.embedded import EmbeddedStore
from kb.synth import ingest_steps, synthesize

ROOT = Path(__file__).resolve().parent.parent
URI = os.environ.get("NEO4J_URI", "")


@pytest.fixture(scope="module")
def source_dir(tmp_path_factory, sample_dir) -> Path:
    """The sample corpus plus a small synthetic graph: every label and relationship type, apostrophes
    (Baha'i), Cyrillic, lists, floats, booleans, empty lists."""
    from ingest.pipeline import ingest

    target = tmp_path_factory.mktemp("migrate-src")
    shutil.copytree(sample_dir, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.lock*"))
    synth = tmp_path_factory.mktemp("migrate-synth")
    synthesize(1500, 11, synth)
    with EmbeddedStore(target) as store:
        for kind, paths in ingest_steps(synth):
            if kind not in ("reference", "documents"):
                for outcome in ingest(store, kind, paths):
                    assert outcome.ok, (outcome.error, outcome.rejected_rows[:3])
    return target


def _export(data_dir: Path, out: Path) -> bytes:
    with EmbeddedStore(data_dir, read_only=True) as store:
        write_json(store, out)
    return out.read_bytes()


def _kb(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KB_DATA_DIR": str(data_dir), "KB_STORE": "embedded"}
    return subprocess.run([sys.executable, "-m", "kb", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


def test_embedded_to_embedded_is_verified_and_identical(tmp_path, source_dir):
    run = _kb(["migrate", "--to", str(tmp_path / "copy"), "--deep"], source_dir)
    assert run.returncode == 0, run.stderr
    assert "verified (every property)" in run.stdout
    assert _export(tmp_path / "copy", tmp_path / "b.jsonl") == _export(source_dir, tmp_path / "a.jsonl")


def test_an_export_restores_as_it_was(tmp_path, source_dir):
    original = _export(source_dir, tmp_path / "a.jsonl")
    run = _kb(["migrate", "--from", str(tmp_path / "a.jsonl"), "--to", f"embedded:{tmp_path / 'restored'}"], source_dir)
    assert run.returncode == 0, run.stderr
    assert _export(tmp_path / "restored", tmp_path / "b.jsonl") == original


def test_a_target_that_holds_data_is_refused_unless_replaced(tmp_path, source_dir):
    target = tmp_path / "busy"
    with EmbeddedStore(target) as store:
        store.write([Statement("CREATE (:Region {id: 'region:zz', name: 'Elsewhere'})")])
    refused = _kb(["migrate", "--to", str(target)], source_dir)
    assert refused.returncode == 2 and "the target is not empty" in refused.stderr
    assert _kb(["migrate", "--to", str(target), "--replace"], source_dir).returncode == 0
    assert _export(target, tmp_path / "b.jsonl") == _export(source_dir, tmp_path / "a.jsonl")
    same = _kb(["migrate", "--to", "embedded"], source_dir)
    assert same.returncode == 2 and "the same store" in same.stderr


def test_a_copy_that_differs_is_not_verified(tmp_path, source_dir):
    with EmbeddedStore(source_dir, read_only=True) as src, EmbeddedStore(tmp_path / "t") as target:
        report = mg.copy_graph(mg.StoreSource(src), target)
        assert report.verified
        target.write([Statement("MATCH (n:Event) WITH n LIMIT 1 DETACH DELETE n"),
                      Statement("MATCH (n:Region {id: 'region:kz'}) SET n.name = 'changed'")])
        shallow = mg.fingerprint(mg.StoreSource(src)).differences(mg.fingerprint(mg.StoreSource(target)))
        assert any(d.startswith("label Event:") for d in shallow) and not any("Region" in d for d in shallow)
        deep = mg.fingerprint(mg.StoreSource(src), deep=True).differences(mg.fingerprint(mg.StoreSource(target), deep=True))
        assert any(d.startswith("label Region: same count") for d in deep)


# ---- through a Bolt server ----------------------------------------------------------------

_spec = importlib.util.spec_from_file_location("kb_tests_bolt_server_m", Path(__file__).with_name("bolt_server.py"))
bolt_server = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bolt_server)


@pytest.mark.neo4j
@pytest.mark.skipif(not URI, reason="NEO4J_URI not set (see scripts/test-in-netns.sh)")
@pytest.mark.skipif(bool(URI) and urlsplit(URI).hostname not in {"127.0.0.1", "localhost", "::1"}
                    and os.environ.get("KB_NEO4J_TESTS_MAY_WIPE") != "1",
                    reason="replaces the database; set KB_NEO4J_TESTS_MAY_WIPE=1 for a non-loopback NEO4J_URI")
def test_round_trip_through_bolt_gives_an_identical_export(tmp_path, source_dir):
    """embedded -> Bolt store (the CLI, as a user runs it) -> embedded: the same export, byte for byte."""
    from kb.store.neo4j_store import Neo4jStore

    host, port = urlsplit(URI).hostname, urlsplit(URI).port or 7687
    there = _kb(["migrate", "--to", URI, "--replace", "--deep"], source_dir)
    bolt_server.absorb_stale_handshake(host, port)  # FalkorDB: see tests/bolt_server.py
    assert there.returncode == 0, there.stdout + there.stderr
    neo = Neo4jStore(URI, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
                     os.environ.get("NEO4J_DATABASE") or None)
    try:
        with EmbeddedStore(tmp_path / "back") as back:
            report = mg.copy_graph(mg.StoreSource(neo), back, deep=True)
            assert report.verified, report.differences
        assert report.nodes > 1000 and report.relationships > 3000
        neo.write([Statement("MATCH (n) DETACH DELETE n")])
    finally:
        neo.close()
        bolt_server.absorb_stale_handshake(host, port)
    assert _export(tmp_path / "back", tmp_path / "b.jsonl") == _export(source_dir, tmp_path / "a.jsonl")
