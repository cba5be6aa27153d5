"""UI timings in a real browser, no language model: cold start to an interactive chat, and Enter to
the first token of the answer. `measure_ui(port)` starts `streamlit run app.py` on a fresh data dir."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LLM_SETTINGS = ("OPENAI_API_KEY", "MEMORY_LLM__BASE_URL", "MEMORY_LLM__API_KEY", "MEMORY_LLM__MODEL")


@contextmanager
def streamlit_server(
    port: int, data_dir: Path, *, log: Path | None = None, llm_url: str | None = None
) -> Iterator[str]:
    """`streamlit run app.py` on 127.0.0.1:port with its own data dir and no LLM (or the one at
    ``llm_url``); yields its URL once /_stcore/health answers. Stopped on exit whatever happened."""
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with app_server(command, port, data_dir, "/_stcore/health", log=log, llm_url=llm_url) as url:
        yield url


@contextmanager
def gradio_server(
    port: int, data_dir: Path, *, log: Path | None = None, llm_url: str | None = None
) -> Iterator[str]:
    """`python -m ui.gradio_app` on 127.0.0.1:port, like ``streamlit_server``."""
    command = [sys.executable, "-m", "ui.gradio_app"]
    extra = {"GRADIO_SERVER_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False"}
    with app_server(command, port, data_dir, "/config", log=log, llm_url=llm_url, env=extra) as url:
        yield url


@contextmanager
def app_server(
    command: list[str],
    port: int,
    data_dir: Path,
    health_path: str,
    *,
    log: Path | None = None,
    llm_url: str | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Run one of the apps with its own data dir and no LLM (or the one at ``llm_url``)."""
    environ = {k: v for k, v in os.environ.items() if k not in LLM_SETTINGS}
    environ.update(MEMORY_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    environ.update(env or {})
    if llm_url:
        environ.update(MEMORY_LLM__BASE_URL=llm_url, MEMORY_LLM__MODEL="stub")
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    server = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url + health_path, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if log:
            out.close()


def wait_healthy(health_url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the app exited with code {server.returncode} before it was ready")
        try:
            with urllib.request.urlopen(health_url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"the app did not answer on {health_url} within {timeout:.0f} s")


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless (Playwright cannot download its own browsers here)."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: install Debian's chromium package")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def wait_idle(page: Any, timeout_ms: int = 60_000, *, started: bool = False) -> None:
    """Wait until the script run has finished. With ``started``, first wait (briefly) for the run
    an action just triggered to begin, so a run that has not started yet is not taken for done."""
    app = '[data-testid="stApp"]'
    if started:
        try:
            page.wait_for_selector(f'{app}:not([data-test-script-state="notRunning"])', timeout=3_000)
        except Exception:
            pass  # the run began and ended before we looked
    idle = f'{app}[data-test-script-state="notRunning"]'
    deadline = time.monotonic() + timeout_ms / 1000
    while True:  # a script that calls st.rerun() is idle for a moment between its two runs
        page.wait_for_selector(idle, timeout=timeout_ms)
        page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=timeout_ms)
        page.wait_for_timeout(250)
        if page.locator(idle).count() or time.monotonic() > deadline:
            return


def measure_ui(port: int, llm_url: str | None = None) -> dict[str, float]:
    """Cold start (server launch to chat input visible) and Enter to first token, in a fresh data dir;
    without an LLM, or with the OpenAI-protocol server at ``llm_url``."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="ui-bench-") as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            started = time.perf_counter()
            with streamlit_server(port, Path(tmp) / "data", llm_url=llm_url) as url:
                server_ready = time.perf_counter() - started
                page = browser.new_page()
                page.goto(url)
                chat_input = page.get_by_test_id("stChatInputTextArea")
                chat_input.wait_for(state="visible", timeout=120_000)
                cold_start = time.perf_counter() - started
                wait_idle(page)
                chat_input.fill("My name is Ada and I live in Paris.")
                pressed = time.perf_counter()
                chat_input.press("Enter")
                answer = page.get_by_test_id("stChatMessage").nth(1).get_by_test_id("stMarkdownContainer")
                answer.first.wait_for(state="visible", timeout=60_000)
                first_token = time.perf_counter() - pressed
                wait_idle(page, started=True)
        finally:
            browser.close()
    return {
        "server_ready_s": round(server_ready, 2),
        "cold_start_to_interactive_s": round(cold_start, 2),
        "enter_to_first_token_ms": round(first_token * 1000, 1),
    }


if __name__ == "__main__":
    import json
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free_port = s.getsockname()[1]
    print(json.dumps(measure_ui(free_port), indent=2))
