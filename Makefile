# cashpilot: `make run` serves the dashboard on the demo company, `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# The dashboard listens on this machine only; `make run ADDRESS=0.0.0.0` exposes it (README: Deploying for a team).
ADDRESS ?= 127.0.0.1
export CASHPILOT_DB ?= data/cashpilot.duckdb

.PHONY: install run test test-fast test-deep lint bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(VENV)/bin/cashpilot demo --if-empty
	$(VENV)/bin/streamlit run serve.py --server.address $(ADDRESS) --server.port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(VENV)/bin/python -m forecasting.i18n.check

# Unit, CLI and AppTest tests on every core (at most 4 workers); then the browser tests one at a time, since
# each starts its own server and chromium and they would only fight for the CPU.
test: install lint
	$(VENV)/bin/pytest -m "not e2e" -n auto --maxprocesses 4
	$(VENV)/bin/pytest -m e2e

# the unit and CLI tests alone, on every core: no AppTest pages, no browser (CI runs `make test`, everything)
test-fast: install
	$(VENV)/bin/pytest -m "not e2e and not app" -n auto

# the property-based import suite with Hypothesis's "deep" profile (40x the examples, new ones each run): nightly
test-deep: install
	$(VENV)/bin/pytest tests/ingest/test_properties.py -p no:xdist --hypothesis-profile=deep

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
