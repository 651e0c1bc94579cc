# Intymak: `make run` serves the portal on http://127.0.0.1:8000/, `make test` runs the test suite.
# Both set everything up on a fresh machine: the virtualenv, the packages, the translations, the database.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Re-install only when pyproject.toml changes.
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
TEST_STAMP := $(VENV)/.installed-test-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test install messages compile-messages migrate lint css clean

run: $(STAMP) compile-messages migrate
	$(PY) manage.py load_newsletter
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(TEST_STAMP) compile-messages
	$(PY) -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP):
	@command -v msgfmt >/dev/null || { echo "GNU gettext (msgfmt) is needed: apt-get install gettext"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

compile-messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=frontend --verbosity 0

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput --verbosity 0

# Refresh the project's catalogues after changing user-visible strings; then translate and `make compile-messages`.
messages: $(STAMP)
	$(PY) manage.py makemessages --ignore=$(VENV) --ignore=locale/upstream --ignore=frontend --no-obsolete -l ky -l ru -l en

# Rebuild static/css/intymak.css from frontend/scss (Bootstrap's parts the pages use). Needs Node.js and npm;
# the built file is committed, so running the portal does not.
css:
	cd frontend && npm ci --no-audit --no-fund && npm run build

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles var

# Backups of the PostgreSQL database of DATABASE_URL (README, "Backups"): `make backup` writes
# backups/intymak-YYYYmmdd-HHMMSS.dump; `make restore FILE=backups/...dump` loads one into an empty database
# (DATABASE_URL's, or RESTORE_DATABASE_URL's when set). Need PostgreSQL's client programs of the server's version.
.PHONY: backup restore
backup:
	@bash deploy/backup.sh

restore:
	@bash deploy/restore.sh "$(FILE)"
