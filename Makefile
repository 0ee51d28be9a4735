# newsroom: `make run` to try it, `make test` to check it. Every target is idempotent.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements.stamp
SAMPLES := samples
HOST := 127.0.0.1:8000

.PHONY: setup run test lint bench

# A virtualenv, created once.
$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed since the last install.
$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# With DEBUG off the settings refuse the public development key, so the targets that run
# here with DEBUG off get a throwaway random key unless SECRET_KEY is set (nothing they sign
# outlives them; the test suite brings its own key, tests/settings.py).
setup bench: export SECRET_KEY ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
setup: $(STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0

# DEBUG=1 by default here only, so that runserver serves static files on 127.0.0.1.
run: export DEBUG ?= 1
run: setup
	$(PY) manage.py import_issue $(SAMPLES) --publish --override-flags --reason "示例数据"
	@echo
	@echo "newsroom is starting on http://$(HOST)/"
	@echo "  public site:  http://$(HOST)/"
	@echo "  editors:      http://$(HOST)/admin/"
	@echo "No user is created for you. To sign in to the admin, create one first:"
	@echo "  $(PY) manage.py createsuperuser"
	@echo "A background worker runs imports uploaded through the admin; both stop with Ctrl-C."
	@echo
	$(PY) manage.py db_worker --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

# Browser tests skip with a message where Chromium is absent (set CHROMIUM=/path to use another).
test: setup
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r issues articles desk reader newsroom bench -x '*/migrations/*' --severity-level high

# Every bench/*_bench.py runs without arguments; other bench/ scripts (make_archive.py,
# load_archive.py) take arguments and are run by hand.
bench: setup
	@set -e; for script in bench/*_bench.py; do \
		[ -f "$$script" ] || continue; \
		echo "== $$script"; \
		$(PY) "$$script"; \
	done
