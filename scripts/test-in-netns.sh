#!/usr/bin/env bash
# Run a command against a throwaway FalkorDB Bolt server, inside a private
# network namespace that has only loopback:
#
#   bash scripts/test-in-netns.sh ".venv/bin/python -m pytest tests/test_neo4j_store.py -q"
#
# Steps: (host side) make sure .venv-falkordb exists (scripts/falkordb-bolt.sh,
# needs PyPI the first time); then `unshare --net --pid --fork --kill-child`
# re-runs this script inside new net+pid namespaces, where it brings `lo` up,
# checks `lo` is the only interface, starts FalkorDB with Bolt on
# 127.0.0.1:$KB_BOLT_PORT (default 7687), waits until it accepts, exports
# NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD, runs the command with `bash -c`,
# stops the server and exits with the command's status (1 if the command
# succeeded but the server crashed meanwhile).
#
# Why namespaces: FalkorDB's Bolt listener binds all interfaces; in a fresh
# netns "all interfaces" is just loopback, so nothing outside can reach it and
# nothing inside can reach anything but 127.0.0.1. The pid namespace is the
# safety net: when its first process exits (or unshare is killed, via
# --kill-child) the kernel kills everything left in it, server included.
#
# Needs root (or CAP_SYS_ADMIN) for unshare. Env: KB_BOLT_PORT, KB_FALKORDB_VENV.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${KB_BOLT_PORT:-7687}"

if [[ $# -ne 1 ]]; then
  echo "usage: $0 \"<command>\"" >&2
  exit 2
fi

if [[ "${_KB_IN_NETNS:-}" != "1" ]]; then
  VENV="$(bash "$ROOT/scripts/falkordb-bolt.sh")"
  exec unshare --net --pid --fork --kill-child \
    env _KB_IN_NETNS=1 KB_FALKORDB_VENV="$VENV" bash "$ROOT/scripts/test-in-netns.sh" "$1"
fi

# ---- inside the private namespaces ----
cd "$ROOT"
PY="$KB_FALKORDB_VENV/bin/python"
ip link set lo up
"$PY" tests/bolt_server.py check-netns

WORKDIR="$(mktemp -d -t falkordb-bolt-XXXXXX)"
"$PY" tests/bolt_server.py serve --port "$PORT" --dir "$WORKDIR" >"$WORKDIR/server.log" 2>&1 &
SERVER_PID=$!

stop_server() {
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "test-in-netns.sh: FalkorDB died during the run; from its log:" >&2
    grep -E -A2 "ASSERTION FAILED|crashed by signal|panicked" "$WORKDIR/server.log" >&2 || tail -20 "$WORKDIR/server.log" >&2
  fi
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORKDIR"
}
trap stop_server EXIT

if ! "$PY" tests/bolt_server.py wait --port "$PORT" --timeout 30; then
  echo "test-in-netns.sh: FalkorDB Bolt did not come up; server log:" >&2
  cat "$WORKDIR/server.log" >&2
  exit 1
fi

export NEO4J_URI="bolt://127.0.0.1:$PORT"
export NEO4J_USER="falkordb"
export NEO4J_PASSWORD=""
export KB_NEO4J_BACKEND="falkordb"   # tests/test_neo4j_store.py: which server quirks to expect
export KB_BOLT_PLUMBING_ONLY=1       # tests/conftest.py: don't run the whole store conformance suite on FalkorDB

set +e
bash -c "$1"
STATUS=$?
set -e
if [[ $STATUS -eq 0 ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
  STATUS=1   # the server crashed (stop_server prints why): don't report success
fi
exit "$STATUS"
