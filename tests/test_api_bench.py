"""The benchmark command runs end to end (tiny graph, short phases), so it does not rot."""
from __future__ import annotations

import json
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
