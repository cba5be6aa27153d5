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


def test_background_index_build_while_reading_and_writing(memory):
    """Past OPTIMIZE_EVERY points the store rebuilds its index in a thread; reads and writes go on."""
    import threading

    from memory import MemoryInput
    from memory.stores.qdrant_edge import OPTIMIZE_EVERY

    memory.add_batch(
        [MemoryInput(text=f"bulk note {i} about gardening") for i in range(OPTIMIZE_EVERY)], user_id="bulk"
    )
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(20):
                assert memory.search("gardening", user_id="bulk", limit=5)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    memory.add("I live in Ghent.", user_id="u")
    for t in threads:
        t.join()
    memory.optimize()
    assert not errors
    assert memory.count(user_id="bulk") == OPTIMIZE_EVERY
    assert memory.search("where do I live", user_id="u", limit=1)[0].text == "User lives in Ghent."
