# coursekit — the two commands a newcomer needs are `make lab` and `make test`.
# Everything is installed into .venv from PyPI; only Python 3.11 and make are required.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
# nbgrader and the notebook kernels call tools by name: put the venv first on PATH.
export PATH := $(BIN):$(PATH)

CHAPTER1 := chapters/01_why_retention_matters.ipynb
# the Chinese edition's Chapter 1, or while it is being translated, the folder of the Chinese cases built so far
CHAPTER1_ZH := $(if $(wildcard chapters-zh/01_why_retention_matters.ipynb),chapters-zh/01_why_retention_matters.ipynb,cases-zh)
# Jupyter refuses to run as root (e.g. in a container) unless told it is deliberate.
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)

# The course's JupyterLab settings (widget state saved with the notebook, no news pop-ups), installed as the
# venv's defaults; a student's lab also reads jupyter/student, which hides the teacher's nbgrader menus.
OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
STUDENT_CONFIG := $(CURDIR)/jupyter/student

# The Chinese edition's lab: JupyterLab's menus in Chinese (the language pack) from settings copied into build/.
LAB_ZH_SETTINGS := $(CURDIR)/build/lab-zh/settings

.PHONY: help lab lab-zh lab-teacher test release execute generate data bench clean grade site slides

help:
	@echo "make lab      - install everything into .venv and open the course in JupyterLab (as a student sees it)"
	@echo "make lab-zh   - the same for the Chinese edition (简体中文): its notebooks, and JupyterLab's menus in Chinese"
	@echo "make lab-teacher - the same with nbgrader's menus (create and manage assignments)"
	@echo "make test     - install everything, then lint (ruff) and run the whole test suite (unit, doctests, notebooks)"
	@echo "make release  - re-execute solutions/ and regenerate the student notebooks (nbgrader)"
	@echo "make data     - regenerate datasets/ from the generator, byte for byte"
	@echo "make bench    - measure the performance budgets; table printed and written to build/bench.md"
	@echo "make site     - build the course website, English and 简体中文, into build/site (works offline)"
	@echo "make slides   - build the reveal.js slide decks of every chapter and case into build/slides (works offline)"

$(STAMP): pyproject.toml constraints.txt jupyter/lab/settings/overrides.json
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "coursekit needs Python 3.11, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (coursekit)"
	mkdir -p $(dir $(OVERRIDES)) && cp jupyter/lab/settings/overrides.json $(OVERRIDES)
	@touch $(STAMP)

lab: $(STAMP)
	JUPYTER_CONFIG_PATH=$(STUDENT_CONFIG) $(BIN)/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir=$(CURDIR) \
		--LabApp.default_url=/lab/tree/$(CHAPTER1)

lab-zh: $(STAMP)
	mkdir -p $(LAB_ZH_SETTINGS)/@jupyterlab/translation-extension
	cp jupyter/lab-zh/translation.json $(LAB_ZH_SETTINGS)/@jupyterlab/translation-extension/plugin.jupyterlab-settings
	JUPYTERLAB_SETTINGS_DIR=$(LAB_ZH_SETTINGS) JUPYTER_CONFIG_PATH=$(STUDENT_CONFIG) $(BIN)/jupyter lab $(LAB_FLAGS) \
		--ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/$(CHAPTER1_ZH)

lab-teacher: $(STAMP)
	$(BIN)/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/solutions/$(CHAPTER1)

# Notebooks run in parallel, one worker per core; --dist loadscope keeps each notebook's cells together.
# The website and the slides are built first: their tests open what `make site` and `make slides` wrote.
# As root with apt (CI, a container) it first installs the system packages the tests need (.ci/system-packages).
test: $(STAMP)
	./.ci/system-packages
	$(BIN)/ruff check .
	$(BIN)/coursekit site
	$(BIN)/coursekit slides
	$(BIN)/python -m pytest -n auto --dist loadscope

release: $(STAMP)
	$(BIN)/coursekit release

execute: $(STAMP)
	$(BIN)/coursekit execute

generate: $(STAMP)
	$(BIN)/coursekit generate

data: $(STAMP)
	$(BIN)/python -m coursekit.data datasets

# The website (build/site/en, build/site/zh-CN) from the committed, executed notebooks: nothing is re-run.
# Serve it with: python3 -m http.server -d build/site
site: $(STAMP)
	$(BIN)/coursekit site

# The slide decks (build/slides/en, build/slides/zh-CN), with reveal.js, MathJax and require.js from npm.
slides: $(STAMP)
	$(BIN)/coursekit slides

bench: $(STAMP)
	$(BIN)/coursekit bench --output build/bench.md

# make grade SUBMISSIONS=exports/ch1.zip NOTEBOOK=chapters/01_why_retention_matters [OUT=build/grades] [JOBS=4] [TIMEOUT=120]
grade: $(STAMP)
	$(if $(SUBMISSIONS),,$(error make grade needs SUBMISSIONS=<folder or .zip or .ipynb of the class's notebooks>))
	$(if $(NOTEBOOK),,$(error make grade needs NOTEBOOK=<chapter or case> such as NOTEBOOK=chapters/01_why_retention_matters))
	$(BIN)/coursekit grade "$(NOTEBOOK)" "$(SUBMISSIONS)" --out "$(or $(OUT),build/grades)" $(if $(JOBS),--jobs $(JOBS)) $(if $(TIMEOUT),--timeout $(TIMEOUT))

clean:
	rm -rf $(VENV) build gradebook.db submitted autograded feedback .pytest_cache
