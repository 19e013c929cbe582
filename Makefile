# supportdesk — the two commands first: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/supportdesk
# The demo hub's agents send no heartbeats: keep them "seen" for a day so routing has someone
# to route to (a real hub keeps AGENT_TTL_SECONDS at its default, 120). Eager task logs are quiet.
# The living demo (DEMO_LIVE=0 turns it off) sends e-mails all the time: they go to var/demo-mail.
RUN_ENV := DEBUG=$${DEBUG:-1} AGENT_TTL_SECONDS=$${AGENT_TTL_SECONDS:-86400} LOG_LEVEL=$${LOG_LEVEL:-WARNING} \
	PORT=$${PORT:-8000} PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:$${PORT:-8000}} \
	EMAIL_URL=$${EMAIL_URL:-filemail://var/demo-mail} DEMO_LIVE=$${DEMO_LIVE:-1}
# the demo hub has room for what it seeds (40 agents, ~38 online, ~210 slots): a newcomer's
# ticket is assigned at once (500 tickets filled every slot and left ~330 waiting)
DEMO_TICKETS ?= 100

.PHONY: constraints run test lint fmt typecheck migrations-check schema schema-check coverage-check coverage-raise messages catalogs bench setup services browsers imap clean

## make run: set everything up and run the product on http://127.0.0.1:8000 (embedded defaults;
## `make run PORT=8001` or `PORT=8001 make run` for another loopback port)
run: setup
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	@$(RUN_ENV) $(BIN)/python manage.py shell -c "from supportdesk.tickets.models import Ticket; raise SystemExit(0 if Ticket.objects.exists() else 1)" \
		|| $(RUN_ENV) $(BIN)/python manage.py seed_demo --tickets $(DEMO_TICKETS)
	@$(RUN_ENV) $(BIN)/python manage.py seed_macros
	@$(RUN_ENV) bash scripts/demo_banner.sh
	@$(RUN_ENV) bash scripts/run_embedded.sh

## make test: set everything up, check PostgreSQL + Redis, run the whole suite on PostgreSQL
## (under coverage: `make coverage-check` then compares the total with the floor)
test: setup services browsers imap
	rm -f .coverage
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -p no:cacheprovider --cov --cov-report=

setup: $(STAMP) messages

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "ERROR: $(PYTHON) not found (the project needs CPython 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	touch $(STAMP)

## make constraints: re-resolve pyproject.toml's ranges to the newest versions in a scratch
## venv and pin them in constraints.txt (ADR 0022); then run make test and the benchmarks
constraints:
	@command -v $(PYTHON) >/dev/null || { echo "ERROR: $(PYTHON) not found"; exit 1; }
	rm -rf .venv-resolve && $(PYTHON) -m venv .venv-resolve
	.venv-resolve/bin/pip install -q --upgrade pip
	.venv-resolve/bin/pip install -q -e ".[dev]"
	{ head -3 constraints.txt; .venv-resolve/bin/pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .venv-resolve

services:
	@bash scripts/ensure_services.sh

browsers:
	@bash scripts/ensure_chromium.sh

imap:
	@bash scripts/ensure_dovecot.sh

messages: $(STAMP)
	@$(BIN)/python scripts/compile_messages.py

## make catalogs: extract new strings into every locale/*/django.po, and the API's own strings
## into every locale_api/*/django.po (then translate them).
## Two branches that add the same string merge (by union) into a duplicate entry: msguniq keeps the first.
catalogs: setup
	for po in locale/*/LC_MESSAGES/django.po; do msguniq --use-first -o "$$po" "$$po"; done
	DEBUG=1 SECRET_KEY=extract $(BIN)/python manage.py makemessages --all --no-obsolete --no-location -v 0
	$(BIN)/python scripts/api_catalogs.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/check_module_size.py

fmt: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: setup
	$(BIN)/mypy

migrations-check: setup
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

schema: setup
	DEBUG=1 $(BIN)/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

## the committed docs/openapi.yaml is what the code generates (else: `make schema`, commit)
schema-check: setup
	@generated=$$(mktemp) && trap 'rm -f "$$generated"' EXIT && \
	DEBUG=1 $(BIN)/python manage.py spectacular --validate --fail-on-warn --file "$$generated" && \
	diff -u docs/openapi.yaml "$$generated" && echo "docs/openapi.yaml is up to date"

## after `make test`: the total coverage is at least scripts/coverage_floor.txt
coverage-check: $(STAMP)
	$(BIN)/python scripts/coverage_floor.py check

## after `make test`: raise the floor to the measured total (it never goes down)
coverage-raise: $(STAMP)
	$(BIN)/python scripts/coverage_floor.py raise

bench: setup services
	$(BIN)/python benchmarks/run_all.py $(BENCH)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test-artifacts
