# Set-up is part of every target: a fresh clone needs nothing but python3 (≥ 3.11).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench sample clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## the main job on the bundled sample region
run: $(STAMP)
	$(BIN)/reliefkit run data/sample --year 2026 --out reports

## the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

## benchmarks (print figures; not part of the tests)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_foundation.py

## regenerate the bundled sample region (deterministic)
sample: $(STAMP)
	$(BIN)/reliefkit sample-data data/sample --seed 2026

clean:
	rm -rf $(VENV) reports .pytest_cache
