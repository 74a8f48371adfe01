# Everything a fresh machine needs, behind the README's two commands: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOME := .archbot-demo
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: install demo test lint format eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	ARCHBOT_HOME=$(DEMO_HOME) $(BIN)/archbot ingest examples/corpus
	ARCHBOT_HOME=$(DEMO_HOME) $(BIN)/archbot ask "are we still on rabbitmq for events?"
	ARCHBOT_HOME=$(DEMO_HOME) $(BIN)/archbot ask "how long do we keep application logs?"
	ARCHBOT_HOME=$(DEMO_HOME) $(BIN)/archbot ask "what is our policy on tabs versus spaces in the cafeteria menu?"
	ARCHBOT_HOME=$(DEMO_HOME) $(BIN)/archbot review examples/corpus/design/payments-event-pipeline.md

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/pytest -q
	$(MAKE) eval

eval: $(STAMP)
	bash scripts/eval-gate.sh

bench: $(STAMP)
	$(BIN)/python -m bench.ingest_bench
	$(BIN)/python -m bench.formats_bench
	$(BIN)/python -m bench.ask_bench
	$(BIN)/python -m bench.scale_bench --sizes 10000,100000
	$(BIN)/python -m bench.retrieval_bench
	$(BIN)/python bench/review_quality.py
	$(BIN)/python -m bench.review_heldout
	$(BIN)/python -m bench.slack_burst
	$(BIN)/python -m bench.sync_bench
	$(BIN)/python -m bench.sparse_sync_bench

clean:
	rm -rf $(VENV) $(DEMO_HOME) .pytest_cache .ruff_cache
