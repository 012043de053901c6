"""Bulk loading at small sizes: the synthetic generator, graph files, and a load killed mid-way.

The throughput figures are `kb bench`'s job (figures, not timed tests); these prove what must hold
at any size: the generated inputs go through the real ingest path with nothing rejected, the fast
paths write exactly what the general ones write, and a load killed with SIGKILL resumes to the same
graph as a load never interrupted.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from ingest.pipeline import ingest
from ingest.bulk import _Parser, bulk_node_row, graph_doc_id
from kb.export import write_json
from kb.schema import rel_type
from kb.store.embedded import EmbeddedStore
from kb.synth import ingest_steps, synthesize
from kb.writes import node_row, relation_row

ROOT = Path(__file__).resolve().parent.parent
KB = [sys.executable, "-m", "kb"]


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    synthesize(3000, 7, out)
    return out


def _load(store, synth: Path, *, skip=("documents",), chunk_lines=None) -> None:
    for kind, paths in ingest_steps(synth):
        if kind in skip:
            continue
        for outcome in ingest(store, kind, paths, chunk_lines=chunk_lines):
            assert outcome.ok, (outcome.path, outcome.error, outcome.rejected_rows[:5])


def _export(data_dir: Path, out: Path) -> list[str]:
    with EmbeddedStore(data_dir, read_only=True) as store:
        write_json(store, out)
    return sorted(out.read_text(encoding="utf-8").splitlines())


def test_synth_is_seeded_and_has_the_schemas_mix(tmp_path, synth):
    again = tmp_path / "again"
    manifest = synthesize(3000, 7, again)
    for f in ("10-regions.jsonl", "30-graph.jsonl", "20-registry/01-kz-almaty-city.csv"):
        assert (synth / f).read_bytes() == (again / f).read_bytes(), f
    assert synthesize(3000, 8, tmp_path / "other")["relationships"] != manifest["relationships"] or \
        (tmp_path / "other" / "30-graph.jsonl").read_bytes() != (synth / "30-graph.jsonl").read_bytes()
    labels = manifest["labels"]
    assert sum(labels.values()) == manifest["nodes"] >= 2900
    assert labels["Observation"] > labels["Event"] > labels["Person"] > labels["ReligiousAssociation"] > labels["Programme"]
    assert len(manifest["relationship_types"]) >= 17
    assert manifest["degree"]["max"] > 50 * manifest["degree"]["median"]  # hubs: power-law degrees
    assert manifest["steps"][0] == "kb ingest reference"


def test_synthetic_inputs_load_through_the_real_ingest_path(tmp_path, synth):
    with EmbeddedStore(tmp_path / "kb") as store:
        _load(store, synth, skip=())
        counts = {r["label"]: r["c"] for r in store.rows(
            "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS c")}
        manifest = json.loads((synth / "MANIFEST.json").read_text(encoding="utf-8"))
        for label, n in manifest["labels"].items():
            assert counts[label] >= n, label
        # every fact keeps where it came from: the file and its line
        row = store.rows("MATCH (e:Event)-[r:LOCATED_IN]->(:Region) RETURN e.sources AS ns, r.sources AS rs LIMIT 1")[0]
        for encoded in row["ns"] + row["rs"]:
            source = json.loads(encoded)
            assert source["doc"] == "doc:graph-30-graph" and source["line"] > 0 and source["method"] == "manual"


def test_bulk_rows_are_the_rows_kb_writes_makes(synth):
    """The bulk path's shortcuts (cached search keys, relationships without properties validated once
    per type and end labels) give the same rows as the general path, for every record."""
    parser = _Parser(synth / "30-graph.jsonl", "doc:graph-x", "manual")
    seen = set()
    for path in (synth / "10-regions.jsonl", synth / "30-graph.jsonl"):
        for number, line in enumerate(path.open("rb"), 1):
            rec = json.loads(line)
            if rec["type"] == "node":
                node = parser.node(number, rec)
                assert bulk_node_row(node, ["s"]) == node_row(node, ["s"])
            else:
                props = {k: v for k, v in rec["properties"].items() if k != "sources"}
                model = rel_type(rec["label"]).model_validate({**props, "start": rec["start"]["id"], "end": rec["end"]["id"]})
                assert parser.relation(number, rec) == relation_row(model, [parser.source(number)])
            seen.add(rec["type"])
    assert seen == {"node", "relationship"}


def test_create_path_writes_what_merge_writes(tmp_path, synth):
    """New nodes are CREATEd on stores with uniqueness constraints; the graph is the one MERGE makes."""
    exports = []
    for mode in ("create", "merge"):
        with EmbeddedStore(tmp_path / mode) as store:
            if mode == "merge":
                store.capabilities = replace(store.capabilities, constraint_ddl=False)
            _load(store, synth, chunk_lines=1000)
        exports.append(_export(tmp_path / mode, tmp_path / f"{mode}.jsonl"))
    assert exports[0] == exports[1]
    assert not any('"kb:probe"' in line for line in exports[0])


def test_reload_changes_nothing_and_reapply_is_idempotent(tmp_path, synth):
    from ingest.bulk import load_graph

    with EmbeddedStore(tmp_path / "kb") as store:
        _load(store, synth)
        before = _export_store(store, tmp_path / "a.jsonl")
        for outcome in ingest(store, "graph", [synth / "30-graph.jsonl"]):
            assert outcome.report.status == "unchanged"
        assert load_graph(store, synth / "30-graph.jsonl", reapply=True).report.status == "reapplied"
        assert _export_store(store, tmp_path / "b.jsonl") == before


def _export_store(store, out: Path) -> list[str]:
    write_json(store, out)
    return sorted(out.read_text(encoding="utf-8").splitlines())


def test_bad_lines_are_reported_and_the_rest_loads(tmp_path, synth):
    lines = [
        '{"type": "node", "id": "event:ok-1", "labels": ["Event"], "properties": {"name": "Семинар"}}',
        'not json',
        '{"type": "node", "id": "event:ok-1", "labels": ["Event"], "properties": {"name": "again"}}',
        '{"type": "node", "id": "event:x", "labels": ["Nope"], "properties": {"name": "x"}}',
        '{"type": "node", "id": "region:wrong-label", "labels": ["Event"], "properties": {"name": "x"}}',
        '{"type": "relationship", "label": "LOCATED_IN", "start": {"id": "event:ok-1"}, "end": {"id": "region:kz"}, "properties": {}}',
        '{"type": "relationship", "label": "LOCATED_IN", "start": {"id": "event:ok-1"}, "end": {"id": "region:nowhere"}, "properties": {}}',
        '{"type": "relationship", "label": "BELONGS_TO", "start": {"id": "event:ok-1"}, "end": {"id": "region:kz"}, "properties": {}}',
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with EmbeddedStore(tmp_path / "kb") as store:
        _load(store, synth, skip=("graph", "registry", "documents"))
        [outcome] = list(ingest(store, "graph", [path]))
        rejected = outcome.rejected_rows
        assert [r.split(": ", 1)[0] for r in rejected] == [f"{path}:{n}" for n in (2, 3, 4, 5, 7, 8)]
        assert "duplicate id event:ok-1" in rejected[1] and "unknown label 'Nope'" in rejected[2]
        assert "unknown entity region:nowhere" in rejected[4] and "BELONGS_TO cannot link" in rejected[5]
        assert outcome.report.nodes == 1 and outcome.report.relations == 1
        assert store.rows("MATCH (:Event {id: 'event:ok-1'})-[:LOCATED_IN]->(r) RETURN r.id AS id") == [{"id": "region:kz"}]


# ---- a load killed with SIGKILL resumes where it stopped -------------------------------------

def _cli(args: list[str], data_dir: Path, **kw) -> subprocess.Popen:
    env = {**os.environ, "KB_DATA_DIR": str(data_dir), "KB_STORE": "embedded"}
    return subprocess.Popen(KB + args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kw)


def _base(data_dir: Path, synth: Path) -> None:
    """Everything the main graph file rests on: reference data, regions, registries."""
    with EmbeddedStore(data_dir) as store:
        for kind, paths in ingest_steps(synth):
            paths = [p for p in paths if p.name != "30-graph.jsonl"]
            if kind != "documents" and paths:
                for outcome in ingest(store, kind, paths):
                    assert outcome.ok, (outcome.error, outcome.rejected_rows[:3])


def _kill_after(proc: subprocess.Popen, chunks: int) -> list[str]:
    """Read progress lines (one per committed chunk) and SIGKILL the loader after `chunks` of them."""
    seen = []
    for line in proc.stderr:
        if " lines" in line and "/" in line:
            seen.append(line.strip())
            if len(seen) == chunks:
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait()
    return seen


@pytest.mark.parametrize("change_file", [False, True], ids=["same-file", "file-changed-meanwhile"])
def test_load_killed_mid_way_resumes_to_the_same_graph(tmp_path, synth, change_file):
    graph = tmp_path / "30-graph.jsonl"
    graph.write_bytes((synth / "30-graph.jsonl").read_bytes())
    killed, straight = tmp_path / "killed", tmp_path / "straight"
    _base(killed, synth)
    proc = _cli(["ingest", "graph", str(graph), "--chunk-lines", "400"], killed)
    progress = _kill_after(proc, 3)
    assert proc.returncode == -signal.SIGKILL and len(progress) == 3, progress

    # what the killed run committed is there (the log is replayed), and says where to go on
    with EmbeddedStore(killed, read_only=True) as store:
        doc = store.rows("MATCH (d:Document {id: $id}) RETURN d.load_next AS next, d.content_hash AS hash",
                         {"id": graph_doc_id(graph)})[0]
        assert doc["next"] >= 3 and doc["hash"] == ""
        partial = store.rows("MATCH (n) RETURN count(n) AS c")[0]["c"]

    if change_file:  # a new version arrived meanwhile: what the partial load said is taken back
        lines = graph.read_text(encoding="utf-8").splitlines(keepends=True)
        graph.write_text("".join(lines[:-150]), encoding="utf-8")  # the last relationships are gone
    done = _cli(["ingest", "graph", str(graph), "--chunk-lines", "999"], killed)  # resumes in the first run's chunks
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    assert (" resumed, " in out) != change_file and ("chunks already loaded" in out) != change_file, out

    _base(straight, synth)
    plain = _cli(["ingest", "graph", str(graph)], straight)
    assert plain.communicate(timeout=300) and plain.returncode == 0
    a, b = _export(killed, tmp_path / "a.jsonl"), _export(straight, tmp_path / "b.jsonl")
    assert len(a) > partial and a == b


def test_neo4j_admin_export_reads_back_as_the_graph(tmp_path, synth):
    """Every node and relationship is in a per-label / per-type CSV whose typed header reads it back."""
    import csv

    from kb.export import ARRAY_DELIMITER, apoc_lines, write_neo4j_admin
    from kb.schema import relationship_id

    def parse(value: str, kind: str):
        if value == "":
            return None
        if kind.endswith("[]"):
            return [parse(v, kind[:-2]) for v in value.split(ARRAY_DELIMITER)]
        return {"long": int, "double": float, "boolean": lambda v: v == "true"}.get(kind, str)(value)

    with EmbeddedStore(tmp_path / "kb") as store:
        _load(store, synth)
        count = write_neo4j_admin(store, tmp_path / "admin", batch=700)
        expected = {}
        for line in apoc_lines(store):
            props = {k: v for k, v in line["properties"].items() if v != [] and k != "id"}
            expected[line["id"]] = props  # a relationship's id: its ends, type and identity keys
    got = {}
    for path in sorted((tmp_path / "admin").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            header = next(rows)
            for row in rows:
                props = {}
                for h, v in zip(header, row):
                    name, _, kind = h.partition(":")
                    if name and parse(v, kind) is not None:
                        props[name] = parse(v, kind)
                if path.name.startswith("nodes-"):
                    got[row[0]] = {k: v for k, v in props.items() if k != "id"}
                else:
                    got[relationship_id(row[0], row[2], row[1], props)] = props
    assert count == len(expected) == len(got) and got == expected
    script = (tmp_path / "admin" / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in script and "--nodes=nodes-Event.csv" in script
    assert "--relationships=rels-MENTIONS.csv" in script and "--array-delimiter=U+001F" in script
