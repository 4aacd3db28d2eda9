# Two commands set everything up on a machine that has only Python and pip:
#   make lab    — create .venv, install augviz with the notebook extras, open JupyterLab
#                 (as root — Docker, cloud VMs — it adds --allow-root; more Jupyter options
#                 through JUPYTER_ARGS, e.g. make lab JUPYTER_ARGS="--no-browser --ip=0.0.0.0")
#   make test   — create .venv, install the dev extras, run the whole suite
#   make app    — serve the Recipe Builder as a Voila app; make bench — speed benchmarks
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# extra options for `jupyter lab`
JUPYTER_ARGS ?=
# Jupyter refuses to run as root unless told; root is the normal user in containers
ROOT_ARGS := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.PHONY: lab test test-fast bench app lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip

$(VENV)/.lab-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[notebook,audio]'
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.lab-installed

$(VENV)/.bench-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@ $(VENV)/.dev-installed $(VENV)/.lab-installed

lab: $(VENV)/.lab-installed
	$(BIN)/jupyter lab --notebook-dir=notebooks --port=$(PORT) $(ROOT_ARGS) $(JUPYTER_ARGS)

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

test-fast: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -m "not browser and not slow" -q

# the Builder alone; the "augviz" template is Voila's lab one without CDN requests (offline)
app: $(VENV)/.lab-installed
	JUPYTER_PATH=augviz/widgets$${JUPYTER_PATH:+:$$JUPYTER_PATH} $(BIN)/voila notebooks/app.ipynb \
		--template=augviz --port=$(PORT) --no-browser --Voila.ip=127.0.0.1

bench: $(VENV)/.bench-installed
	$(BIN)/python benchmarks/run_all.py

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check augviz tests benchmarks tools

clean:
	rm -rf $(VENV) .pytest_cache build dist
