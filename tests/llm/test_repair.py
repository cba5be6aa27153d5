"""Lenient JSON reading of model output."""

from __future__ import annotations

import pytest

from memory.extraction.repair import load_json_leniently


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('```\n{"a": 1}\n```', {"a": 1}),
        ('```json\n{"a": [1, 2,]}', {"a": [1, 2]}),
        ("Result: {'a': 'it's fine', 'b': True, 'c': None}. Done.", {"a": "it's fine", "b": True, "c": None}),
        ("{'text': 'He said \"hi\"'}", {"text": 'He said "hi"'}),
        ('{"text": "keep \'quotes\' and True inside",}', {"text": "keep 'quotes' and True inside"}),
        ("[{a: 1}, {b: 'x'},]", [{"a": 1}, {"b": "x"}]),
    ],
)
def test_repairs(raw: str, expected: object) -> None:
    assert load_json_leniently(raw) == expected


@pytest.mark.parametrize("raw", ["", "no json here", '{"a": [1, 2'])
def test_unreadable_replies_raise_value_error(raw: str) -> None:
    with pytest.raises(ValueError):
        load_json_leniently(raw)
