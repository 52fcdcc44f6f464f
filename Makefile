# The two commands: `make run` and `make test`. Everything else is a helper for them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv dev-venv migrate messages makemessages static lint bench clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.runtime
dev-venv: $(VENV)/.dev

# Compiled catalogues are committed; recompile when gettext is installed.
messages: venv
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore '.venv' -v0; \
	else echo "msgfmt not found: using the committed .mo catalogues"; fi

makemessages: venv
	$(PY) manage.py makemessages -l de -l en --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'bench/*'

migrate: venv
	$(PY) manage.py migrate --no-input

static: venv
	$(PY) manage.py collectstatic --no-input -v0

run: venv messages migrate static
	$(PY) manage.py seed_demo
	./scripts/run-dev.sh $(HOST) $(PORT)

test: dev-venv
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Browser tests skipped: /usr/bin/chromium not found (enable them with: apt-get install chromium)"; fi
	$(VENV)/bin/pytest -n auto -p no:cacheprovider $(PYTEST_ARGS)

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var
