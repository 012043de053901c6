"""What the embedded store keeps through a crash, and what two processes opening it get."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from kb.store import Statement, StoreUnavailable
from kb.store.embedded import EmbeddedStore

WRITER = textwrap.dedent("""
    import sys, time
    from kb.store import Statement
    from kb.store.embedded import EmbeddedStore
    store = EmbeddedStore(sys.argv[1])
    for i in range(int(sys.argv[2])):
        store.write([Statement("CREATE (:Region {id: $id, name: $id})", {"id": f"region:r{i}"})])
    print("committed", flush=True)
    if sys.argv[3] == "checkpoint":
        store.checkpoint()
        print("checkpointed", flush=True)
    time.sleep(60)
""")


def _writer(path, count, mode="no-checkpoint") -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(count), mode],
                            stdout=subprocess.PIPE, text=True)
    expected = "checkpointed" if mode == "checkpoint" else "committed"
    for line in proc.stdout:
        if line.strip() == expected:
            return proc
    raise AssertionError(f"writer exited early with {proc.wait()}")


def test_sigkill_between_checkpoints_loses_no_committed_write(tmp_path):
    proc = _writer(tmp_path, 50)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with EmbeddedStore(tmp_path) as store:  # the writer open replays the log
        assert store.rows("MATCH (n:Region) RETURN count(n) AS c") == [{"c": 50}]


def test_a_second_writer_is_refused_with_the_holder(tmp_path):
    proc = _writer(tmp_path, 1, "checkpoint")
    try:
        with pytest.raises(StoreUnavailable, match=rf"open for writing by another process \(pid {proc.pid}\)"):
            EmbeddedStore(tmp_path)
        # a reader is never blocked: it sees the writer's last checkpoint
        with EmbeddedStore(tmp_path, read_only=True) as reader:
            assert reader.rows("MATCH (n:Region) RETURN count(n) AS c") == [{"c": 1}]
    finally:
        proc.kill()
        proc.wait()


def test_uncommitted_transaction_leaves_nothing(tmp_path):
    with EmbeddedStore(tmp_path) as store:
        with pytest.raises(Exception):
            store.write([Statement("CREATE (:Region {id: 'region:a', name: 'A'})"), Statement("THIS IS NOT CYPHER")])
        assert store.rows("MATCH (n) RETURN count(n) AS c") == [{"c": 0}]


def test_data_dir_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StoreUnavailable, match="cannot create data directory"):
        EmbeddedStore(blocker / "kb")


def test_read_only_open_of_a_missing_store(tmp_path):
    with pytest.raises(StoreUnavailable, match="run `kb ingest reference` first"):
        EmbeddedStore(tmp_path / "nothing", read_only=True)
