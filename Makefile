# Two commands do all the set-up on a fresh machine:
#   make newsroom   installs presskit in .venv and builds the sample newsroom into out/
#   make test       installs presskit and the test tools, then runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: newsroom test lint system-deps system-deps-test venv node-tools clean

newsroom: system-deps venv
	$(BIN)/presskit build

test: system-deps-test venv node-tools lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff (configured in pyproject.toml): a lint or format finding fails the test command, and so CI.
lint: venv
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The web checks' tools (vnu-jar, playwright-core, axe-core), pinned by package-lock.json, in node_modules/.
# Playwright never downloads a browser: the tests drive Debian's /usr/bin/chromium.
node-tools: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	./scripts/install-system-deps build

system-deps-test:
	./scripts/install-system-deps test

clean:
	rm -rf out .out.builds $(VENV) node_modules
