# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run   - create the venv, install, build the KB from corpus/ and serve it on 127.0.0.1:8001
#   make test  - create the venv, install, run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= kb.db

.PHONY: install kb run test bench clean

$(BIN)/wfkb: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/wfkb

install: $(BIN)/wfkb

kb: install
	$(BIN)/wfkb ingest corpus/ --db $(DB)

run: kb
	$(BIN)/wfkb serve --db $(DB)

test: install
	$(BIN)/pytest -q

bench: kb
	$(BIN)/python bench/bench_ingest.py corpus/ --peak-memory --jobs 2
	$(BIN)/python bench/bench_records.py corpus/
	$(BIN)/python bench/bench_formats.py
	$(BIN)/python bench/bench_links.py --db $(DB)

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
