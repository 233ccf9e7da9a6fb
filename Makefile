# The two commands of the README: `make build` and `make test`. Each sets up what it needs
# (a virtual environment in .venv, and system packages when run as root) and needs nothing
# installed by hand first but Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Debian packages the test suite drives for real (installed only when run as root and missing).
SYSTEM_PACKAGES := chromium virtuoso-opensource curl

.PHONY: build test setup setup-test system-packages clean

build: setup
	$(BIN)/kg build

test: setup-test
	$(BIN)/python -m pytest

setup: $(VENV)/.installed
setup-test: system-packages $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

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
