"""The LoCoMo benchmark runs on chosen conversations and, with the peer extra, beside Mem0 in one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from memory import MemoryConfig
from memory.bench import locomo
from memory.bench.peer import missing_reason
from memory.errors import InvalidInputError


def conversation(sample_id: str, pet: str) -> dict:
    return {
        "sample_id": sample_id,
        "conversation": {
            "session_1_date_time": "1:56 pm on 8 May, 2023",
            "session_1": [
                {"speaker": "Ann", "dia_id": "D1:1", "text": f"I adopted a grey {pet} called Pixel."},
                {
                    "speaker": "Bo",
                    "dia_id": "D1:2",
                    "text": "Lovely! I am training for a marathon in Berlin.",
                },
                {"speaker": "Ann", "dia_id": "D1:3", "text": "My sister bakes sourdough bread every Sunday."},
            ],
        },
        "qa": [
            {"question": f"What is the name of Ann's {pet}?", "evidence": ["D1:1"], "category": 4},
            {"question": "Where is Bo running a marathon?", "evidence": ["D1:2"], "category": 4},
            {"question": "What did Ann say about the weather?", "category": 5},
        ],
    }


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "locomo.json"
    path.write_text(json.dumps([conversation("conv-a", "cat"), conversation("conv-b", "rabbit")]))
    return path


def test_one_conversation_is_one_fold(data: Path, tmp_path: Path) -> None:
    result = locomo.run(data, None, config=MemoryConfig(data_dir=tmp_path / "m"), only=["conv-b"])
    assert result["conversation_ids"] == ["conv-b"]
    assert (result["conversations"], result["turns"], result["questions"]) == (1, 3, 2)
    assert result["recall@10"] == 1.0 and result["per_category"]["4"]["n"] == 2
    assert {"recall@1", "recall@5", "search_ms", "add_ms", "ingest_s"} <= set(result)


def test_an_unknown_conversation_is_named_in_the_error(data: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="No conversation conv-z in the data; it has conv-a, conv-b"):
        locomo.run(data, None, config=MemoryConfig(data_dir=tmp_path / "m"), only=["conv-z"])


def test_turns_are_indexed_with_their_earlier_turns() -> None:
    turns = locomo.turns_of(conversation("c", "cat"), context_turns=2)
    assert [t.metadata.get("index_context", "") for t in turns] == [
        "",
        "Ann: I adopted a grey cat called Pixel.",
        "Ann: I adopted a grey cat called Pixel.\nBo: Lovely! I am training for a marathon in Berlin.",
    ]


def test_mem0_runs_beside_us_on_the_same_data(data: Path, tmp_path: Path) -> None:
    """With the 'peer' extra, Mem0 runs on the same fold; without it, the result says why, in words."""
    from memory.bench.compare import with_peer

    ours = locomo.run(data, None, config=MemoryConfig(data_dir=tmp_path / "m"), only=["conv-a"])
    result, status = with_peer(ours, data, 10, ["conv-a"])
    reason = missing_reason()
    if reason is not None:
        assert status == 1 and "pip install -e '.[peer]'" in reason
        assert result["peer"] == {"system": "mem0", "missing": reason}
        return
    assert status == 0
    assert result["peer"]["system"].startswith("mem0 2.2.1")
    assert result["peer"]["conversation_ids"] == ["conv-a"] and result["peer"]["questions"] == 2
    assert 0 < result["peer"]["recall@10"] <= 1
    assert result["vs_peer"]["recall@10"] == round(ours["recall@10"] / result["peer"]["recall@10"], 2)


def test_an_evidence_entry_naming_two_turns_counts_both() -> None:
    question = {"question": "What did Ann paint?", "evidence": ["D8:6; D9:17", " D1:2"], "category": 1}
    assert locomo.evidence_of(question) == {"D8:6", "D9:17", "D1:2"}
