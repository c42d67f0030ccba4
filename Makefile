# Two entry points for a fresh machine (Python 3.11, pip, make):
#   make run   – set up, load the demo newspaper page (`newsbot demo`), ask a sample question
#   make test  – set up, then lint, type-check and run the fast test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
QUESTION ?= 乐山农商银行向哪家公司发放了贷款？

.PHONY: setup run test lint test-slow bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/newsbot demo
	$(BIN)/newsbot ask "$(QUESTION)"

lint: $(STAMP)
	$(BIN)/ruff check retrieval bot tests bench
	# bot/ imports only the retrieval package root (contract in pyproject [tool.importlinter])
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

test-slow: $(STAMP)
	$(BIN)/pytest -q -m slow

bench: $(STAMP)
	$(BIN)/python bench/speed.py

eval: $(STAMP)
	$(BIN)/python bench/quality.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
