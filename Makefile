# The two commands of the README: `make build` and `make test`. Each sets up what it needs
# (a virtual environment in .venv, and system packages when run as root) and needs nothing
# installed by hand first but Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Debian packages the test suite drives for real (installed only when run as root and missing).
SYSTEM_PACKAGES := chromium virtuoso-opensource curl
# The W3C SHACL core test suite, as pySHACL's source distribution carries it (the same pin as
# pyproject.toml's pyshacl), for tests/test_shapes_w3c.py. Fetched from the package index, checked.
PYSHACL_SDIST := pyshacl-0.40.1
PYSHACL_SHA256 := 011e3cf1a68b31747cb762ba3d755ae1bdcc464c8fad0dc212a9adc550719552
SHACL_SUITE := $(VENV)/$(PYSHACL_SDIST)/test/resources/sht_tests/core

.PHONY: build test test-fast lint setup setup-test system-packages clean

build: setup
	$(BIN)/kg build

# The linter and the type checker first (configured in pyproject.toml): any finding fails the run.
test: setup-test
	$(BIN)/ruff check kg tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Everyday work: lint, types, and the tests that need no server, browser or benchmark (well under 90 s).
test-fast: setup-test
	$(BIN)/ruff check kg tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup-test
	$(BIN)/ruff check kg tests
	$(BIN)/mypy

setup: $(VENV)/.installed
setup-test: system-packages $(VENV)/.installed-test $(SHACL_SUITE)/manifest.ttl

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

$(SHACL_SUITE)/manifest.ttl: | $(BIN)/python
	rm -rf $(VENV)/sdist $(VENV)/$(PYSHACL_SDIST)
	$(BIN)/python -m pip download -q --no-binary :all: --no-deps $(subst -,==,$(PYSHACL_SDIST)) -d $(VENV)/sdist
	echo "$(PYSHACL_SHA256)  $(VENV)/sdist/$(PYSHACL_SDIST).tar.gz" | sha256sum -c --quiet
	tar -xzf $(VENV)/sdist/$(PYSHACL_SDIST).tar.gz -C $(VENV) $(PYSHACL_SDIST)/LICENSE.txt $(PYSHACL_SDIST)/test/resources/sht_tests
	touch $@

system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
	  else echo "warning: not root; install these system packages yourself:$$missing" >&2; fi; \
	fi

clean:
	rm -rf $(VENV) out .pytest_cache
