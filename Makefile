# The README's commands. Each sets up what it needs on a fresh machine with only
# python3 and make: a virtual environment in .venv with the project installed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# the test files run in this many processes (pytest-xdist), a file's tests in one of them: CI has 2 cores
TEST_WORKERS ?= 2

.PHONY: demo test lab lint bench mutate browser servers clean

$(STAMP): pyproject.toml
	@echo "== Setting up $(VENV): kg and its ~150 dependencies (about 90 s the first time, seconds after)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --progress-bar on -e '.[dev]'
	touch $(STAMP)
	@echo "== $(VENV) is ready"

## demo: check and build the graph, print its statistics, answer headline questions, measure the network, publish the site
demo: $(STAMP)
	$(BIN)/kg build
	$(BIN)/kg stats
	@echo; echo "== Who met whom on 3 February 2026?"
	$(BIN)/kg query who-met-whom -p day=2026-02-03
	@echo; echo "== What happened in Washington (the White House included)?"
	$(BIN)/kg query events-at-place -p place=ent:washington-dc
	@echo; echo "== What happened from September 2025 to January 2026, each event once, as precisely as the articles say?"
	$(BIN)/kg query timeline -p from=2025-09-01 -p to=2026-01-31
	@echo; echo "== Who sanctioned whom?"
	$(BIN)/kg query who-sanctioned-whom
	@echo; echo "== Which facts rest on several articles, and how many report them as having happened?"
	$(BIN)/kg query facts-in-several-articles -p min=2
	@echo; echo "== What does each article say about the 3 February meeting?"
	$(BIN)/kg query fact-reports -p fact=fact:petro-trump-meeting-2026-02-03 --format md
	@echo; echo "== Where do the articles disagree?"
	$(BIN)/kg query contradictions
	@echo; echo "== Who is central in the actor network?"
	$(BIN)/kg analyze centrality --top 10
	@echo; echo "== Which actors cluster together?"
	$(BIN)/kg analyze communities --format md
	@echo; echo "== Trump and Petro, cooperation and conflict by month"
	$(BIN)/kg analyze timeline Trump Petro
	@echo; echo "== Interactive views (open them in a browser; they work offline)"
	$(BIN)/kg view network -o build/views/network.html
	$(BIN)/kg view ego Petro -o build/views/ego-petro.html
	$(BIN)/kg view timeline -o build/views/timeline.html
	@echo; echo "== The whole graph as a site: a page per actor, fact, article and question, the views, the charts, the notebooks run, and search; it opens from the file system, offline"
	$(BIN)/kg publish build/site

## test: lint, type-check and run every test (doctests included; the views in headless Chromium; the questions on Virtuoso)
test: $(STAMP) lint browser servers
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

## browser: Debian's chromium and chromium-driver for the view tests (installed when root; else they skip)
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "no Chromium and no root to install it: the browser tests will skip (and fail under CI=true)"; fi

## servers: Debian's Virtuoso Open Source for the engine-parity tests (installed when root; else they skip); the tests start private instances of their own
servers:
	@if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null; \
	else echo "no Virtuoso and no root to install it: the Virtuoso tests will skip (and fail under CI=true)"; fi

lint: $(STAMP)
	$(BIN)/ruff check kg tests
	$(BIN)/ruff format --check kg tests
	$(BIN)/mypy

## lab: JupyterLab on notebooks/, its Python kernel the one kg is installed in (LAB_ARGS, e.g. --no-browser --port=8899)
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

## bench: every scale target on synthetic corpora of 50, 500, 1,600 and 5,000 articles (up to 3.3M triples; about half an hour); tables in build/bench.md
bench: $(STAMP)
	$(BIN)/python tests/bench.py

## mutate: mutation testing of the core modules with mutmut, per module in build/mutate/: a seeded sample of SAMPLE mutants each (100; SAMPLE=0 for all), MODULES="dates network" for some, BUDGET seconds in all (3600); the table in build/mutate.md
mutate: $(STAMP)
	$(BIN)/python tests/mutate.py --budget $(or $(BUDGET),3600) --sample $(or $(SAMPLE),100) $(MODULES)

clean:
	rm -rf build $(VENV)
