"""The CLI: commands run in-process through memory.cli.main (the model is loaded once), plus one real
subprocess to check the `python -m memory` entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from memory.cli import main


@pytest.fixture
def cli(tmp_path, capsys, monkeypatch):
    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("builtins.input", lambda prompt="": stdin)
        code = main(["--data-dir", str(tmp_path / "d"), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_add_search_list_history_export_import(cli, tmp_path):
    code, out, _ = cli("add", "--user", "ann", "I live in Oslo and I love skiing.")
    assert code == 0 and "ADD    [semantic] User lives in Oslo." in out
    found = json.loads(cli("--json", "search", "--user", "ann", "where do I live")[1])
    assert found[0]["memory"]["text"] == "User lives in Oslo."
    fact_id = found[0]["memory"]["id"]
    cli("add", "--user", "ann", "I moved to Bergen.")
    assert (
        "UPDATE User lives in Oslo. -> User lives in Bergen." in cli("history", "--user", "ann", fact_id)[1]
    )
    listed = cli("list", "--user", "ann", "--type", "semantic")[1]
    assert "User lives in Bergen." in listed and "Oslo" not in listed
    with_past = cli("list", "--user", "ann", "--type", "semantic", "--past")[1]
    assert "User lives in Oslo." in with_past and "past until" in with_past
    dump = tmp_path / "ann.json"
    assert cli("export", "--user", "ann", "--out", str(dump))[0] == 0
    # Two turns, two current facts and the past version (Oslo) travel together.
    assert "imported: 5" in cli("import", "--user", "bob", str(dump))[1]
    assert "(nothing found)" in cli("search", "--user", "carol", "Bergen")[1]


def test_errors_are_plain_words_and_exit_non_zero(cli, tmp_path):
    code, _, err = cli("get", "--user", "ann", "not-an-id")
    assert code == 1 and err.strip() == "error: 'not-an-id' is not a memory id."
    code, _, err = cli("ingest", "--user", "ann", str(tmp_path / "missing.pdf"))
    assert code == 1 and err.startswith("error:")
    assert cli("delete-all", "--user", "ann", stdin="no") == (0, "deleted: 0\n", "")


def test_entry_point_runs_as_a_module(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("OPENAI_API_KEY", None)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "memory",
            "--data-dir",
            str(tmp_path),
            "add",
            "--user",
            "u",
            "My cat is named Tom.",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "User's cat is named Tom." in out.stdout and "Traceback" not in out.stderr


def test_keys_create_list_revoke(cli, tmp_path):
    code, key, err = cli("keys", "create", "--tenant", "acme")
    key = key.strip()
    assert code == 0 and key.startswith("mk.acme.") and "shown once" in err
    key_id = key.split(".")[2]
    listed = cli("--json", "keys", "list")[1]
    assert json.loads(listed)[0]["key_id"] == key_id and key not in listed
    assert cli("keys", "revoke", key_id)[0] == 0
    assert "revoked" in cli("keys", "list", "--tenant", "acme")[1]
    code, _, err = cli("keys", "revoke", key_id)
    assert code == 1 and f"No active API key {key_id}" in err
    code, _, err = cli("keys", "create", "--tenant", "Acme Corp")
    assert code == 1 and "is not a tenant name" in err
    assert not (tmp_path / "d" / "vectors").exists()  # key commands never open the memory stores
