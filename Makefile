# Two commands do all the set-up on a fresh machine:
#   make newsroom   installs presskit in .venv and builds the sample newsroom into out/
#   make test       installs presskit and the test tools, then runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: newsroom test system-deps system-deps-test venv clean

newsroom: system-deps venv
	$(BIN)/presskit build

test: system-deps-test venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

system-deps:
	./scripts/install-system-deps build

system-deps-test:
	./scripts/install-system-deps test

clean:
	rm -rf out .out.builds $(VENV)
