"""The benchmark command runs end to end (tiny graph, short phases), so it does not rot."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_api_runs_and_every_request_succeeds(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts/bench_api.py"), "--nodes", "3000", "--seconds", "0.5", "--warmup", "0.2",
         "--clients", "4", "--endpoints", "entity,neighbors d2 limit 100,search", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(out.read_text())
    assert result["graph"]["nodes"] >= 3000 and result["graph"]["relationships"] > result["graph"]["nodes"]
    assert set(result["http"]) == {"entity", "neighbors d2 limit 100", "search"}
    for name, r in result["http"].items():
        assert r["requests"] > 0 and r["errors"] == 0, (name, r)
        assert result["in_process"][name]["requests"] > 0
    assert "| entity " in proc.stdout and "p99 ms" in proc.stdout


def test_bench_api_mixed_load_with_an_ingest_has_no_errors(tmp_path):
    """The load check, bounded: 200 clients send mixed reads to a tiny graph while the sample
    documents go through the ingest API; no request fails, no 5xx, every upload is loaded."""
    out = tmp_path / "load.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts/bench_api.py"), "--mixed", "--nodes", "3000", "--clients", "200",
         "--seconds", "3", "--quiet-seconds", "1.5", "--warmup", "0.5", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-5000:]
    result = json.loads(out.read_text())
    kinds = {"entity", "neighbors d1", "neighbors d2 limit 100", "search", "shortest path", "common neighbours"}
    assert result["ok"] and result["warm-up"]["errors"] == 0
    for phase in ("quiet", "ingest"):
        assert set(result[phase]) == kinds | {"all"}, phase  # every read was in the mix (and no failed connect)
        for kind, r in result[phase].items():
            assert r["requests"] > 0 and r["errors"] == 0 and r["server_errors"] == 0, (phase, kind, r)
            assert math.isfinite(r["p99_ms"]) and r["p99_ms"] >= r["p50_ms"] > 0, (phase, kind, r)
    uploads = result["uploads"]
    assert [u["file"] for u in uploads] == sorted(p.name for p in (ROOT / "ingest/samples").glob("*.txt"))
    for u in uploads:
        assert u["http"] == 200 and u["status"] == "new" and u["document"], u  # a fresh copy each run
    assert result["ingest_phase_s"] >= uploads[-1]["finished_s"]  # the reads went on until the ingest was done
    assert set(result["ratios"]) == kinds | {"all"}
    assert proc.stdout.rstrip().splitlines()[-1].startswith("OK: 0 errors, 0 5xx, 3/3 uploads")
