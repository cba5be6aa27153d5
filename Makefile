# The README's two commands: `make run` (app on embedded defaults) and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup system-deps run run-gradio serve test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev,gradio]'
	touch $@

setup: $(VENV)/.installed

# Debian packages: Tesseract for OCR, Chromium for the browser tests, nginx for the sharding test.
system-deps:
	@command -v tesseract >/dev/null && command -v chromium >/dev/null && test -d /usr/share/fonts/truetype/noto && test -x /usr/sbin/nginx || \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q tesseract-ocr chromium fonts-dejavu-core fonts-noto-color-emoji nginx)

run: setup
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port 8501

run-gradio: setup
	$(BIN)/python -m ui.gradio_app

serve: setup
	$(BIN)/python -m memory serve --host 127.0.0.1 --port 8765

test: system-deps setup
	$(BIN)/ruff check memory ingestion ui tests cookbooks app.py
	$(BIN)/ruff format --check memory ingestion ui tests cookbooks app.py
	$(BIN)/python -m pytest -q

# Every figure in bench/RESULTS.md; JSON results land in bench/out/.
LOCOMO ?= ../shared/data/locomo/locomo_dev.json
BENCH := $(BIN)/python -m memory.bench
bench: setup
	mkdir -p bench/out
	$(BIN)/pip install -q -e '.[peer]'
	$(BENCH) locomo --data $(LOCOMO) --conversations conv-30 --peer mem0 --out bench/out/locomo-conv-30.json
	$(BENCH) locomo --data $(LOCOMO) --conversations conv-26 --peer mem0 --out bench/out/locomo-conv-26.json
	$(BENCH) locomo --data $(LOCOMO) --out bench/out/locomo-hybrid-graph.json
	$(BENCH) locomo --data $(LOCOMO) --no-graph --out bench/out/locomo-hybrid.json
	$(BENCH) locomo --data $(LOCOMO) --no-graph --preset dense --out bench/out/locomo-dense.json
	$(BENCH) locomo --data $(LOCOMO) --no-graph --preset keyword --out bench/out/locomo-keyword.json
	$(BENCH) scale --n 10000 --out bench/out/scale-10k.json
	$(BENCH) scale --n 10000 --graph --out bench/out/scale-10k-graph.json
	$(BENCH) scale --n 100000 --out bench/out/scale-100k.json
	$(BENCH) scale --n 100000 --graph --out bench/out/scale-100k-graph.json
	$(BENCH) ingest --pages 100 --out bench/out/ingest.json
	$(BENCH) embedder --out bench/out/embedder.json
	$(BENCH) extraction --split holdout2 --out bench/out/extraction-holdout2.json
	$(BENCH) extraction --split holdout3 --out bench/out/extraction-holdout3.json
	$(BENCH) extraction --split holdout4 --out bench/out/extraction-holdout4.json
	$(BENCH) extraction --split holdout6 --out bench/out/extraction-holdout6.json
	$(BENCH) extraction --split holdout5 --out bench/out/extraction-holdout5.json
	$(BENCH) graph-engine --out bench/out/graph-engine.json
	$(BIN)/pip install -q --no-deps mem0ai==1.0.11
	$(BENCH) llm-cost --data $(LOCOMO) --out bench/out/llm-cost.json
	$(BIN)/python -m ui.bench > bench/out/ui.json
	$(BENCH) reliability --out bench/out/reliability.json
	$(BENCH) forget --out bench/out/forget.json

clean:
	rm -rf $(VENV) memory_data .pytest_cache test-artifacts
