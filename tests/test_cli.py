"""The `kb` command as a user runs it: real processes, real files, clear errors and exit codes."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
KB = [sys.executable, "-m", "kb"]


def kb(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KB_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    return subprocess.run([*KB, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_ingest_everything_then_again_changes_nothing(tmp_path):
    data = tmp_path / "kb"
    first = kb("ingest", "reference", data_dir=data)
    assert first.returncode == 0, first.stderr
    assert "doc:reference-regions: new, 22 nodes" in first.stdout
    samples = sorted(str(p) for p in (ROOT / "ingest/samples").glob("*.txt"))
    assert kb("ingest", *samples, data_dir=data).returncode == 0
    before = kb("export", "--format", "json", "-o", str(tmp_path / "a.jsonl"), data_dir=data)
    again = kb("ingest", *samples, data_dir=data)
    assert again.stdout.count(": unchanged") == 3
    kb("export", "--format", "json", "-o", str(tmp_path / "b.jsonl"), data_dir=data)
    assert before.returncode == 0
    assert (tmp_path / "a.jsonl").read_text() == (tmp_path / "b.jsonl").read_text()


def test_bad_inputs_exit_non_zero_and_keep_what_was_loaded(sample_dir, tmp_path):
    data = tmp_path / "kb"
    shutil.copytree(sample_dir, data, ignore=shutil.ignore_patterns("*.lock*"))
    stats_before = kb("stats", data_dir=data).stdout
    (tmp_path / "cp1251.txt").write_bytes("Діни бірлестіктер".encode("cp1251") + b"\x98")  # 0x98: no cp1251 character
    (tmp_path / "empty.txt").write_bytes(b"")
    result = kb("ingest", str(tmp_path / "missing.txt"), str(tmp_path / "cp1251.txt"), str(tmp_path / "empty.txt"),
                data_dir=data)
    assert result.returncode == 1
    assert f"{tmp_path / 'missing.txt'}: no such file" in result.stderr
    assert "cp1251.txt: not valid UTF-8 at byte 2" in result.stderr
    assert "empty.txt: empty file" in result.stderr
    assert kb("stats", data_dir=data).stdout == stats_before


def test_registry_with_broken_rows(sample_dir, tmp_path):
    data = tmp_path / "kb"
    shutil.copytree(sample_dir, data, ignore=shutil.ignore_patterns("*.lock*"))
    path = tmp_path / "reg.csv"
    path.write_text("name,confession,region\nOK mosque,Ислам,Алматы\nBad,Nope,Алматы\n", encoding="utf-8")
    result = kb("ingest", "registry", str(path), data_dir=data)
    assert result.returncode == 1
    assert f"{path}:3: unknown confession 'Nope'" in " ".join(result.stderr.split())
    assert "1 nodes" in result.stdout


def test_unwritable_store_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = kb("ingest", "reference", data_dir=blocker / "kb")
    assert result.returncode == 2
    assert "cannot create data directory" in result.stderr


def test_exports(sample_dir, tmp_path):
    lines = [json.loads(x) for x in (tmp_path / "g.jsonl").open()] if kb(
        "export", "-f", "json", "-o", str(tmp_path / "g.jsonl"), data_dir=sample_dir).returncode == 0 else []
    node = next(x for x in lines if x["type"] == "node" and x["id"] == "region:kz")
    assert node["labels"] == ["Region"] and node["properties"]["name"]
    rel = next(x for x in lines if x["type"] == "relationship" and x["label"] == "PART_OF")
    assert set(rel["start"]) == {"id", "labels"} and rel["end"]["labels"]

    assert kb("export", "-f", "graphml", "-o", str(tmp_path / "g.graphml"), data_dir=sample_dir).returncode == 0
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.number_of_nodes() == sum(1 for x in lines if x["type"] == "node")

    assert kb("export", "-f", "csv", "-o", str(tmp_path / "csv"), data_dir=sample_dir).returncode == 0
    header = next(csv.reader((tmp_path / "csv/nodes.csv").open()))
    assert header[:2] == ["id:ID", ":LABEL"] and "aliases:string[]" in header
    rel_header = next(csv.reader((tmp_path / "csv/relationships.csv").open()))
    assert rel_header[:3] == [":START_ID", ":END_ID", ":TYPE"]

    bad = kb("export", "-f", "xml", "-o", str(tmp_path / "x"), data_dir=sample_dir)
    assert bad.returncode == 2 and "unknown format 'xml'" in bad.stderr


def test_cypher_scripts_run_from_the_cli(sample_dir):
    result = kb("cypher", "cypher/bodies_most_mentioned.cypher", "--json", data_dir=sample_dir)
    assert result.returncode == 0, result.stderr
    assert "statebody:kz-government" in result.stdout
    missing = kb("cypher", "cypher/nope.cypher", data_dir=sample_dir)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_schema_command_prints_the_constraints(tmp_path):
    result = kb("schema", data_dir=tmp_path)
    assert result.stdout == (ROOT / "cypher/schema.cypher").read_text(encoding="utf-8")
