# Opstap — the README's commands. Everything installs itself into .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run demo test test-postgres lint format messages bench soak worker clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load the demo centre, start the task worker and the server.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py schedule_tasks
	@echo "Opstap runs on http://$(HOST):$(PORT)/ — stop with Ctrl+C"
	@$(BIN)/python manage.py db_worker --interval 5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

worker: install
	$(BIN)/python manage.py schedule_tasks
	$(BIN)/python manage.py db_worker

## make test: install what the tests need (Chromium included) and run the whole suite.
test: install
	@sh scripts/ensure-chromium
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	cd opstap && ../$(BIN)/python ../manage.py makemessages -l nl -l fr -l en --no-obsolete --ignore "tests/*"
	cd opstap && ../$(BIN)/python ../manage.py compilemessages

bench: install
	$(BIN)/python -m bench.run

## make soak: 16 users for 10 minutes on the demo centre; errors and worker memory over time.
soak: install
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) var/opstap.sqlite3
