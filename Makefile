# Two commands for a fresh machine with Python 3.11:
#   make lab    set up .venv with what a learner needs and open lesson 1 in JupyterLab
#   make test   set up .venv with the developer tools too and run every test (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: lab lab-args test setup learner-setup lint slides site guide assignments progress-reset clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

# JupyterLab settings shipped with the course (no news or update toast), installed where
# this venv's JupyterLab reads its overrides.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_SETTINGS): jupyter/lab/settings/overrides.json | $(BIN)/python
	mkdir -p $(dir $@)
	cp $< $@

# The learner's list (requirements.txt) and nnlib itself, editable: edits to nnlib/ show up
# in the lessons after a kernel restart.
$(VENV)/.learner: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -r requirements.txt -e .
	touch $@

# The developer's list (requirements-dev.txt = requirements.txt + test, lint, browser tools).
$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -r requirements-dev.txt -e .
	# JupyterHub's proxy (tests/test_hub.py) is an npm package, kept inside .venv.
	npm install --prefix $(VENV)/node --no-fund --no-audit configurable-http-proxy@4.6.3
	touch $(VENV)/.learner $@

learner-setup: $(VENV)/.learner $(LAB_SETTINGS)
setup: $(VENV)/.installed $(LAB_SETTINGS)

# How `make lab` starts JupyterLab, in one place (tests/test_lab.py and the browser test read
# it with `make -s lab-args`): serve the whole repository (README, nnlib, lessons) and open
# lesson 1, also through the URL printed when no browser opens. JupyterLab refuses to run as
# root unless told; learners are rarely root.
FIRST_LESSON := lessons/01_layers_and_nodes.ipynb
LAB_ARGS := --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/$(FIRST_LESSON) \
	$(if $(filter 0,$(shell id -u)),--allow-root)

lab-args:
	@echo $(LAB_ARGS)

lab: learner-setup
	@echo "Open the URL printed below (lesson 1) if no browser window opens; Ctrl+C stops JupyterLab."
	$(BIN)/jupyter lab $(LAB_ARGS)

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

progress-reset: learner-setup
	$(BIN)/python -c "from nnlib.exercises import record; record.reset(); print('progress reset:', record.progress_file())"

clean:
	rm -rf $(VENV) build *.egg-info
