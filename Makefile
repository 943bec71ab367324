# rsw-eval: two commands set everything up (`make demo`, `make test`).
# Every target is idempotent: the virtualenv is created once and reinstalled
# only when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE := data/sample
SEED   := 20100401

.PHONY: help install demo test fuzz lint sample bench validate clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install rsw-eval with its test tools

demo: $(STAMP)  ## compare the sample's unit-model authority with its comparators; write the reports
	@mkdir -p reports/out
	$(BIN)/rsw-eval compare $(SAMPLE) --out reports/out/results.csv
	$(BIN)/rsw-eval report $(SAMPLE) --out reports/out
	@echo "results table: reports/out/results.csv; reports: reports/out/{forrester,munro,annual}.{html,pdf}"

test: $(STAMP)  ## run the whole suite (unit tests and docstring examples)
	$(BIN)/python -m pytest -q

FUZZ_SCALE ?= 50
fuzz: $(STAMP)  ## the fuzz suites long (each make-test budget x FUZZ_SCALE, fresh examples every run)
	RSW_FUZZ_SCALE=$(FUZZ_SCALE) $(BIN)/python -m pytest -q -p no:cacheprovider -m fuzz

lint: $(STAMP)  ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

sample: $(STAMP)  ## regenerate data/sample/ (byte-for-byte reproducible)
	$(BIN)/rsw-eval sample --out $(SAMPLE) --seed $(SEED)

validate: $(STAMP)  ## size and coverage simulations (minutes); writes docs/validation.md
	$(BIN)/python -m validation.run

bench: $(STAMP)  ## run the benchmarks in benchmarks/
	$(BIN)/python benchmarks/run.py

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache reports/out
