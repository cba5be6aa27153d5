"""Close and reopen; two Memory objects in one process share the data; a second process gets a clear error."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from memory import Memory, MemoryConfig, MemoryType


def test_close_reopen_everything_is_there(tmp_path):
    config = MemoryConfig(data_dir=tmp_path)
    with Memory(config) as mem:
        mem.add("I live in Lyon. My cat is named Tom.", user_id="u")
        before = sorted((m.id, m.text) for m in mem.get_all(user_id="u"))
        fact = next(m for m in mem.get_all(user_id="u") if m.text == "User lives in Lyon.")
    with Memory(config) as mem:
        assert sorted((m.id, m.text) for m in mem.get_all(user_id="u")) == before
        assert mem.search("cat's name", user_id="u", limit=1)[0].text == "User's cat is named Tom."
        assert len(mem.history(fact.id, user_id="u")) == 1


def test_two_memory_objects_in_one_process_work_together(tmp_path):
    config = MemoryConfig(data_dir=tmp_path)
    with Memory(config) as first, Memory(config) as second:
        first.add("I live in Graz.", user_id="u")
        assert [m.text for m in second.get_all(user_id="u", types=[MemoryType.SEMANTIC])] == [
            "User lives in Graz."
        ]
        second.add("I moved to Linz.", user_id="u")
        assert [m.text for m in first.get_all(user_id="u", types=[MemoryType.SEMANTIC])] == [
            "User lives in Linz."
        ]
    with Memory(config) as again:
        assert len(again.get_all(user_id="u")) == 3


def test_second_process_gets_a_clear_error_and_data_survives(tmp_path):
    config = MemoryConfig(data_dir=tmp_path)
    with Memory(config) as mem:
        mem.add("I live in Bern.", user_id="u")
        script = textwrap.dedent(
            f"""
            from memory import Memory, MemoryConfig
            from memory.errors import StoreLockedError
            try:
                Memory(MemoryConfig(data_dir={str(tmp_path)!r}))
            except StoreLockedError as exc:
                print("LOCKED:", exc)
            """
        )
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
        assert "LOCKED:" in out.stdout, out.stderr[-2000:]
        assert "in use by another process" in out.stdout
        mem.add("I love fondue.", user_id="u")
        assert len(mem.get_all(user_id="u", types=[MemoryType.SEMANTIC])) == 2
