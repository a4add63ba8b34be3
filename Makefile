# Two commands for a fresh machine with Python 3.11:
#   make lab    set everything up in .venv and open the course in JupyterLab
#   make test   set everything up in .venv and run every test (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: lab test setup lint slides site guide assignments progress-reset clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -r requirements.txt -r requirements-dev.txt
	# JupyterHub's proxy (tests/test_hub.py) is an npm package, kept inside .venv.
	npm install --prefix $(VENV)/node --no-fund --no-audit configurable-http-proxy@4.6.3
	touch $@

setup: $(VENV)/.installed

# JupyterLab refuses to run as root unless told; learners are rarely root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: setup
	$(BIN)/jupyter lab $(ROOT_FLAG) lessons/01_layers_and_nodes.ipynb

lint: setup
	$(BIN)/ruff check .

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg tests lessons

# Instructor kit: outputs go to build/ (git-ignored).
slides: setup
	$(BIN)/python docs/build_slides.py

site: setup
	$(BIN)/python docs/build_site.py

guide: setup
	$(BIN)/python docs/build_instructor_guide.py

# Graded versions of the lessons: an nbgrader course directory in build/nbgrader/
# (source/ with solutions and hidden tests, release/ as handed out).
assignments: setup
	$(BIN)/python docs/build_assignments.py

progress-reset: setup
	$(BIN)/python -c "from nnlib.exercises import record; record.reset(); print('progress reset:', record.progress_file())"

clean:
	rm -rf $(VENV) build *.egg-info
