# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test bench package deb test-package lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed-run
	$(BIN)/review-desk --demo-if-empty

test: $(VENV)/.installed-test lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	@for script in bench/[a-z]*.py; do QT_QPA_PLATFORM=offscreen $(BIN)/python $$script || exit 1; done

$(VENV)/.installed-package: pyproject.toml $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[package]"
	touch $@

# The one-folder app in dist/review-desk (on macOS also dist/Review Desk.app).
package: $(VENV)/.installed-package
	$(BIN)/python packaging/icons.py
	$(BIN)/pyinstaller --noconfirm --clean build.spec

# The Linux installer: dist/review-desk_<version>_<arch>.deb.
deb: package
	packaging/linux/build_deb.sh

# Build the app and the .deb, then run the frozen app's self-test from the unpacked .deb.
test-package: deb
	rm -rf build/deb-check && mkdir -p build/deb-check
	dpkg-deb -x dist/review-desk_*.deb build/deb-check
	QT_QPA_PLATFORM=offscreen REVIEW_DESK_HOME=$(CURDIR)/build/deb-check/home build/deb-check/opt/review-desk/review-desk --self-test

# ruff (lint and format) and the import-linter layer contracts; make test runs it first.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf build dist .pytest_cache
