# Two commands: `make run` and `make test`. Both set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
FLASK := BELONG_ENV=development $(BIN)/flask --app app
# The port of `make run`: `make run PORT=5050` or `PORT=5050 make run`.
PORT ?= 5000

.PHONY: run test setup db lint format check clean translations messages system-run system-test

$(STAMP): requirements.txt
	@echo "Installing the Python packages into $(VENV) (a few minutes the first time)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP) translations

# Interface catalogues: the .po files are in the repository, the compiled .mo files are made here.
translations: $(STAMP)
	$(BIN)/pybabel compile -d belong/translations

# After changing interface strings: re-extract them and update every catalogue, then translate
# the new entries (tests/test_i18n.py fails while any is empty, fuzzy or out of date).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output \
		--project Belong -o belong/translations/messages.pot .
	$(BIN)/pybabel update -i belong/translations/messages.pot -d belong/translations \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --width 100

# Test-only tools from the npm registry: axe-core and the Nu HTML Checker (needs Java).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

# The Debian packages each command needs (bin/check-system lists them): installed when missing
# if run as root, otherwise named with the apt-get line to run.
system-run:
	@bin/check-system run

system-test:
	@bin/check-system test

db: setup
	$(FLASK) db upgrade heads
	$(FLASK) demo --if-empty

run: system-run db
	@echo "Belong is starting on http://127.0.0.1:$(PORT) (stop it with Ctrl+C)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: system-test setup lint node_modules/.package-lock.json
	$(FLASK) strategy-templates check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
