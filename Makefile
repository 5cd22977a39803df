# `make run` and `make test` do all the set-up on a fresh machine: both are safe to repeat.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo worker lint typecheck lock eval bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	touch $(STAMP)

# A local .env makes this checkout a development install (DEBUG on, its own random key).
# Deployments set the variables themselves and never have this file.
.env:
	printf 'DJANGO_DEBUG=true\nDJANGO_SECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))')" > .env

install: $(STAMP) .env

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=info --concurrency=1

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy interviews insights config

lock:
	uv pip compile --generate-hashes --python-version 3.11 -o requirements.txt requirements.in

# The eval set is not in the repo: it sits beside the checkout. Elsewhere give the paths:
# make eval EVAL=path/to/score.py SET=path/to/dev.jsonl
EVAL ?= ../shared/eval/score.py
SET ?= ../shared/eval/dev.jsonl

# The files are checked before any set-up, so a checkout without them fails at once and says why.
eval:
	@for f in "$(EVAL)" "$(SET)"; do test -f "$$f" || { \
	  echo "make eval: $$f not found:" >&2; \
	  echo "the eval set lives outside the repo at ../shared/eval; set EVAL=path/to/score.py and SET=path/to/set.jsonl (make eval EVAL=... SET=...) or run bench/score_extractor.py SET.jsonl" >&2; \
	  exit 1; }; done
	@$(MAKE) --no-print-directory install
	$(PY) $(EVAL) $(SET)

bench: install
	$(PY) bench/extraction.py --quick

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .mypy_cache .ruff_cache
