"""kill -9 the real `kb ingest` at random points: the store stays consistent (no half-loaded
document), and running the same command again ends with exactly what an uninterrupted run has."""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb import export
from kb.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "ingest/samples"


def _kb(data: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "KB_DATA_DIR": str(data)}
    return subprocess.Popen([sys.executable, "-m", "kb", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _export(data: Path) -> list[str]:
    with EmbeddedStore(data, read_only=True) as store:
        return sorted(json.dumps(x, ensure_ascii=False, sort_keys=True) for x in export.apoc_lines(store))


def _mentions_per_document(data: Path) -> dict[str, int]:
    with EmbeddedStore(data, read_only=True) as store:
        rows = store.rows("MATCH (d:Document) OPTIONAL MATCH (d)-[m:MENTIONS]->() RETURN d.id AS d, count(m) AS n")
    return {r["d"]: r["n"] for r in rows}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    """Ten documents: the news item and the letter under several names (each a document of its own)."""
    folder = tmp_path_factory.mktemp("inputs")
    paths = []
    for i in range(5):
        for sample in ("000_e3b51febfdd13c19.txt", "002_045d31dbc8fbceb6.txt"):
            target = folder / f"copy{i}_{sample}"
            shutil.copy(SAMPLES / sample, target)
            paths.append(str(target))
    return paths


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory, inputs) -> tuple[list[str], dict[str, int]]:
    data = tmp_path_factory.mktemp("uninterrupted")
    for args in (("ingest", "reference"), ("ingest", *inputs)):
        assert _kb(data, *args).wait(timeout=300) == 0
    return _export(data), _mentions_per_document(data)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_minus_nine_then_rerun(tmp_path, inputs, uninterrupted, seed):
    expected_export, expected_mentions = uninterrupted
    data = tmp_path / "kb"
    assert _kb(data, "ingest", "reference").wait(timeout=120) == 0
    proc = _kb(data, "ingest", *inputs)
    time.sleep(random.Random(seed).uniform(1.0, 4.0))  # import, gazetteer, then somewhere in the batch
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # consistent: every document present is whole
    for doc, count in _mentions_per_document(data).items():
        assert count == expected_mentions[doc], (doc, count)
    # the same command again completes with exactly the uninterrupted result
    rerun = _kb(data, "ingest", *inputs)
    assert rerun.wait(timeout=300) == 0, rerun.stderr.read()
    assert _export(data) == expected_export


def test_three_runs_give_the_same_export_byte_for_byte(tmp_path, inputs, uninterrupted):
    data = tmp_path / "kb"
    assert _kb(data, "ingest", "reference").wait(timeout=120) == 0
    for _ in range(3):
        assert _kb(data, "ingest", *inputs[:4]).wait(timeout=300) == 0
        first = _export(data) if _ == 0 else first
    assert _export(data) == first
