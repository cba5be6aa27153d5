# The README's two commands: `make run` (app on embedded defaults) and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup system-deps run run-gradio test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev,gradio]'
	touch $@

setup: $(VENV)/.installed

# Debian packages: Tesseract for OCR, Chromium for the browser tests.
system-deps:
	@command -v tesseract >/dev/null && command -v chromium >/dev/null || \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q tesseract-ocr chromium fonts-dejavu-core)

run: setup
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port 8501

run-gradio: setup
	$(BIN)/python -m ui.gradio_app

test: system-deps setup
	$(BIN)/ruff check memory ingestion ui tests cookbooks app.py
	$(BIN)/ruff format --check memory ingestion ui tests cookbooks app.py
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m memory.bench locomo --data ../shared/data/locomo/locomo_dev.json --out bench/out/locomo.json
	$(BIN)/python -m memory.bench scale --n 10000

clean:
	rm -rf $(VENV) memory_data .pytest_cache test-artifacts
