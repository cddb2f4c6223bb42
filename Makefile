# budgetqa — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/budgets.db
SAMPLES := $(wildcard data/samples/*.txt)

.PHONY: run test setup bench eval clean

$(BIN)/budgetqa: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,llm,pg,ocr]'
	touch $@

setup: $(BIN)/budgetqa

# The bundled samples, loaded once; re-run `make $(DB)` after changing them.
UPLOADS := $(basename $(DB))-uploads

# A store written by another schema version is refused: rebuild it when the schema changes,
# from the samples and the files uploaded through the app (kept beside the store).
$(DB): $(BIN)/budgetqa $(SAMPLES) db/schema.sql db/views.sql db/store.py
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/budgetqa ingest data/samples $(wildcard $(UPLOADS)) --db $(DB) || test -s $(DB)

run: $(DB)
	BUDGETQA_DB=$(DB) $(BIN)/streamlit run app.py --server.headless true --server.address 127.0.0.1

test: $(BIN)/budgetqa
	$(BIN)/pytest

bench: $(DB)
	$(BIN)/python benchmarks/chat_latency.py --db $(DB)

eval: $(DB)
	$(PYTHON) ../shared/eval/score.py ../shared/eval/dev_qa.jsonl --db-file $(DB) -- $(BIN)/budgetqa chat --json --db $(DB)

clean:
	rm -rf $(VENV) $(DB) .pytest_cache
