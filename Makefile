# One command for each job; CI calls `make test` through .ci/run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The pages serve htmx and Swagger UI and the browser tests inject axe-core, all from
# node_modules, installed by npm ci exactly as package-lock.json pins them. What the pages
# serve is copied into the package (gitignored), so that a wheel carries it.
NODE_STAMP := node_modules/.installed
DEMO ?= demo.yaml
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint format bench bench-engine bench-server bench-pages bench-guards bench-notify bench-documents bench-assist bench-identity clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "hoshin needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make setup needs npm (Node.js): apt-get install npm"; exit 1; }
	npm ci --no-audit --no-fund
	$(PYTHON) setup.py vendor  # htmx and Swagger UI into src/hoshin/web/vendor (setup.py)
	@touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP) ## the virtual environment with hoshin and its tools; node_modules

# The worker runs beside the server (reminders, e-mails, webhooks); when the server stops
# (Ctrl-C), the trap stops the worker too.
run: setup ## the demo: write and check demo.yaml, load it into ./hoshin.db, serve on HOST:PORT (127.0.0.1:8000) with one worker
	$(BIN)/hoshin demo $(DEMO) --force
	$(BIN)/hoshin check $(DEMO)
	$(BIN)/hoshin setup --demo
	$(BIN)/hoshin worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/hoshin serve --host $(HOST) --port $(PORT)

lint: setup ## ruff and mypy --strict
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

test: lint ## the whole suite
	$(BIN)/pytest

# Every benchmark of BENCHMARKS.md, one after the other (about 40 minutes on 2 cores); each
# part has its own target below.
bench: bench-engine bench-server bench-pages bench-guards bench-notify bench-documents bench-assist bench-identity ## the engine, the API under load, every page, the guards, the worker, single sign-on and SCIM

# BENCH_NOTIFY_SIZES (default 10000,50000 people); BENCH_POSTGRES_URL set: on PostgreSQL too.
bench-notify: setup ## the reminders' pure pass, the worker's outbox messages a second (SMTP, HTTP) and one scheduler pass at enterprise sizes
	$(BIN)/python -m bench.reminders
	$(BIN)/python -m bench.outbox

# BENCH_DOCUMENT_SIZES (default 10000,50000 people), BENCH_DOCUMENT_DATABASES (sqlite,postgresql).
bench-documents: setup ## the workbook, the PDF documents and a 150,000-row actuals import at enterprise size; the server's reads meanwhile
	$(BIN)/python -m bench.documents

bench-assist: setup ## the assistant: quality on the labelled plans (model and lexical baseline), speed at enterprise size
	$(BIN)/python -m bench.assist_quality
	$(BIN)/python -m bench.assist_speed

# BENCH_IDENTITY_MEMBERS (default 50000), BENCH_IDENTITY_DATABASES (sqlite,postgresql: the
# PostgreSQL server of BENCH_POSTGRES_URL); a quick check: BENCH_IDENTITY_MEMBERS=2000.
bench-identity: setup ## SCIM requests on a 50,000-member directory; one OpenID Connect and one SAML sign-in
	PYTHONPATH=tests $(BIN)/python -m bench.identity

bench-guards: setup ## what the guards every request passes cost, in µs of CPU per request
	$(BIN)/python -m bench.guards

bench-engine: setup ## the engine on synthetic enterprise plans, hoshin check on their files, the next read after each kind of edit
	$(BIN)/python -m bench.engine
	$(BIN)/python -m bench.memory
	$(BIN)/python -m bench.edits

# Needs wrk (installed here when missing and this is root) and the PostgreSQL server of
# BENCH_POSTGRES_URL (default: postgres@127.0.0.1:5432); BENCH_SERVER_DATABASES=sqlite skips it.
bench-server: setup ## the server under load: import, then wrk on loopback (see BENCHMARKS.md)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk; } \
		|| { echo "make bench-server needs wrk: apt-get install wrk"; exit 1; }
	$(BIN)/python -m bench.server

# Every page of the web app on the 50,000-person plan, one request at a time (a quick check:
# BENCH_PAGES_SIZES=2000); BENCH_POSTGRES_URL set: on PostgreSQL too.
bench-pages: setup ## every page: status, p50/p95 round trip on loopback, HTML bytes
	$(BIN)/python -m bench.pages

clean:
	rm -rf $(VENV) node_modules src/hoshin/web/vendor .mypy_cache .ruff_cache .pytest_cache .hypothesis
