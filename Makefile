# Set-up is part of every target: a fresh clone needs nothing but python3 (≥ 3.11).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test browser dashboard bench bench-run sample notebooks lab clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## the main job on the bundled sample region
run: $(STAMP)
	$(BIN)/reliefkit run data/sample --year 2026 --out reports

## headless Chromium, its driver and a CJK font for tests/browser (apt-get, only what is missing)
browser:
	bash scripts/install-browser.sh

## the whole test suite
test: $(STAMP) browser
	$(BIN)/python -m pytest

## benchmarks (print figures; not part of the tests)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_foundation.py

## the run benchmark: all districts + region × 3 notebooks, 1 and 2 jobs
bench-run: $(STAMP)
	$(BIN)/python benchmarks/bench_run.py

## re-execute the committed notebooks on data/sample and re-save them (deterministic, paired)
notebooks: $(STAMP)
	$(BIN)/python -m reliefkit.run.refresh refresh

## the office's dashboard (Voilà) on the sample region: http://127.0.0.1:8866/
dashboard: $(STAMP)
	$(BIN)/reliefkit dashboard data/sample --year 2026

## JupyterLab on the notebooks, with this venv's kernel (the one that has reliefkit): no browser
## opened, the URL (with its token) printed; bound to 127.0.0.1 unless LAB_IP is given (LAB_IP=0.0.0.0
## on a server), port LAB_PORT; --allow-root when run as root (a container, a server)
LAB_IP   ?= 127.0.0.1
LAB_PORT ?= 8888
lab: $(STAMP)
	@echo "JupyterLab on http://$(LAB_IP):$(LAB_PORT)/lab - open the URL with its token printed below; Ctrl-C stops it"
	JUPYTER_PREFER_ENV_PATH=1 $(BIN)/jupyter lab --notebook-dir=notebooks --no-browser \
	  --ServerApp.ip=$(LAB_IP) --ServerApp.port=$(LAB_PORT) --ServerApp.port_retries=0 \
	  $$(test "$$(id -u)" = 0 && echo --allow-root)

## regenerate the bundled sample region (deterministic)
sample: $(STAMP)
	$(BIN)/reliefkit sample-data data/sample --seed 2026

clean:
	rm -rf $(VENV) reports .pytest_cache
