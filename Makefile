# Two commands on a fresh machine:
#   make run    install, ingest reference data and the sample corpus, serve API and views on 127.0.0.1:8000
#   make test   install (with Debian's chromium for the view tests) and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KB := $(VENV)/bin/kb
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run ingest serve test test-bolt browser bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

ingest: install
	$(KB) ingest reference
	$(KB) ingest ingest/samples/*.txt
	$(KB) stats

run: ingest
	$(KB) serve --host $(HOST) --port $(PORT)

browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends chromium; }

test: install browser
	$(PY) -m pytest -q
	$(MAKE) test-bolt

# The Neo4j store against a real Bolt server (FalkorDB) in a private network namespace: driver plumbing,
# migration, and the server stopped and started under the API and under kb ingest.
test-bolt: install
	bash scripts/test-in-netns.sh "$(PY) -m pytest -q tests/test_neo4j_store.py tests/test_migrate.py tests/test_store_down.py"

# Load throughput, re-load, query latencies, memory and disk at each size, against baselines in the same run.
bench: install
	$(KB) bench --sizes $(or $(SIZES),10000,100000)

clean:
	rm -rf $(VENV) .venv-falkordb kbdata test-artifacts
