"""Lenient JSON reading for model output: code fences, prose around the JSON, single quotes,
trailing commas, Python literals and unquoted keys are repaired before giving up."""

from __future__ import annotations

import json
import re
from typing import Any

_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)```", re.DOTALL)
_LITERALS = {
    "True": "true",
    "False": "false",
    "None": "null",
    "true": "true",
    "false": "false",
    "null": "null",
}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "/": "/"}


def load_json_leniently(raw: str) -> Any:
    """Parse the JSON value in ``raw``; raises ``ValueError`` in plain words when nothing can be read."""
    candidate = _json_region(_strip_fences(raw))
    if not candidate:
        raise ValueError("the reply contained no JSON object")
    try:
        return json.loads(candidate)
    except json.JSONDecodeError:
        pass
    try:
        return json.loads(_normalise(candidate))
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"the reply is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from exc


def _strip_fences(text: str) -> str:
    match = _FENCE.search(text)
    if match:
        return match.group(1)
    return text.replace("```json", "").replace("```", "")  # an unclosed fence


def _json_region(text: str) -> str:
    """From the first opening bracket to the last closing one: drops prose before and after."""
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    if not starts:
        return ""
    end = max(text.rfind("}"), text.rfind("]"))
    return text[min(starts) : end + 1] if end > min(starts) else text[min(starts) :]


def _normalise(s: str) -> str:
    """Rewrite JSON-like text as JSON, leaving the inside of double-quoted strings untouched."""
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == '"':
            j = _double_quoted_end(s, i)
            out.append(s[i:j])
            i = j
        elif c == "'":
            j, content = _single_quoted(s, i)
            out.append(json.dumps(content))
            i = j
        elif c == ",":
            k = _skip_space(s, i + 1)
            if k >= n or s[k] not in "}]":  # a trailing comma is dropped
                out.append(c)
            i += 1
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (s[j].isalnum() or s[j] == "_"):
                j += 1
            word = s[i:j]
            if word in _LITERALS:
                out.append(_LITERALS[word])
            elif _skip_space(s, j) < n and s[_skip_space(s, j)] == ":":
                out.append(json.dumps(word))  # an unquoted key
            else:
                out.append(word)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _skip_space(s: str, i: int) -> int:
    while i < len(s) and s[i].isspace():
        i += 1
    return i


def _double_quoted_end(s: str, start: int) -> int:
    i = start + 1
    while i < len(s):
        if s[i] == "\\":
            i += 2
            continue
        if s[i] == '"':
            return i + 1
        i += 1
    return len(s)


def _single_quoted(s: str, start: int) -> tuple[int, str]:
    """A single-quoted string; a quote not followed by , : } ] or the end is an apostrophe inside it."""
    chars: list[str] = []
    i = start + 1
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            chars.append(_ESCAPES.get(s[i + 1], "\\" + s[i + 1]))
            i += 2
            continue
        if c == "'":
            k = _skip_space(s, i + 1)
            if k >= len(s) or s[k] in ",:}]":
                return i + 1, "".join(chars)
        chars.append(c)
        i += 1
    return len(s), "".join(chars)
