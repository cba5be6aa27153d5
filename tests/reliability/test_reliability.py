"""`python -m memory.bench reliability --quick` end to end on real stores: the invariants it measures.

The run happens once for the module; each test asserts one invariant on its figures. Timings are
reported by the benchmark, never asserted here.
"""

import pytest

from memory.bench.reliability import PARTS, QUICK, run


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return run(QUICK, parts=PARTS, data_dir=tmp_path_factory.mktemp("reliability"))


def test_every_part_ran_at_its_quick_size(report):
    assert report["concurrency"]["ops"] == QUICK.threads * QUICK.ops_per_thread
    assert report["concurrency"]["memories_acknowledged"] > 0
    assert report["crash"]["kills"] == QUICK.kills
    assert report["crash"]["kills_during_add"] >= 1 and report["crash"]["kills_during_ingest"] >= 1
    assert report["crash"]["writers_not_ready"] == 0
    assert report["malformed"]["inputs"] >= 200
    assert report["fairness"]["b_during_upload_ms"]["n"] >= 1


def test_no_acknowledged_write_is_lost(report):
    concurrency, crash = report["concurrency"], report["crash"]
    assert (concurrency["lost_writes"], concurrency["missing_history"]) == (0, 0), concurrency["examples"]
    assert crash["missing_total_over_reopens"] == 0, crash["examples"]
    assert crash["missing_history_total_over_reopens"] == 0, crash["examples"]


def test_no_user_reads_or_changes_another_users_memory(report):
    assert report["concurrency"]["cross_user_reads"] == 0, report["concurrency"]["examples"]


def test_a_deleted_memory_never_comes_back(report):
    assert report["concurrency"]["resurrections"] == 0, report["concurrency"]["examples"]


def test_threads_see_only_the_librarys_own_errors(report):
    assert report["concurrency"]["foreign_exceptions"] == 0, report["concurrency"]["examples"]


def test_kill_9_leaves_no_partial_document_and_the_data_directory_reopens(report):
    crash = report["crash"]
    assert crash["reopen_errors"] == []
    assert crash["partial_documents_total_over_reopens"] == 0, crash["examples"]
    assert crash["orphans_total_over_reopens"] == 0, crash["examples"]
    assert all("reopen_s" in r for r in crash["rounds"])


def test_a_refused_input_stores_nothing(report):
    assert report["malformed"]["stored_after_refusal"] == 0, report["malformed"]["examples"]


def test_malformed_inputs_raise_only_the_librarys_own_errors(report):
    assert report["malformed"]["foreign_exceptions"] == 0, report["malformed"]["examples"]


def test_no_spelling_of_an_id_reaches_another_users_memory(report):
    assert report["malformed"]["other_user_touched"] == 0


def test_the_large_upload_is_stored_while_the_other_user_writes(report):
    fairness = report["fairness"]
    assert fairness["upload_error"] is None
    assert fairness["upload_memories"] > 10
    assert fairness["b_alone_ms"]["n"] == QUICK.probe_adds
