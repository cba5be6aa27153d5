"""What kind of value a text names (a phone, a car, a time zone, an instrument...), from ``rules.KINDS``.

Two values of the same kind are rivals: a new one stated "now" replaces the held one.
"""

from __future__ import annotations

import re

from memory.extraction.offline.rules import KINDS


def kinds_of(text: str) -> set[str]:
    """The kinds whose words appear in ``text`` (whole words, any case)."""
    low = " " + " ".join(re.findall(r"[a-z0-9+'-]+", text.lower())) + " "
    low = re.sub(r" (utc|gmt) ?[+-]\d+(?::\d\d)? ", r" \1 ", low.replace(" time zone ", " timezone "))
    return {kind for kind, (_, words) in KINDS.items() if any(f" {w} " in low for w in words)}


def words_of(kind: str) -> set[str]:
    return KINDS[kind][1]


def single(text: str) -> str | None:
    """The single-valued kind ``text`` names, if any: it is the slot of a fact about it."""
    found = sorted(k for k in kinds_of(text) if KINDS[k][0])
    return found[0] if found else None


def named(value: str, kind: str) -> bool:
    """``value`` is, as a whole, one of the words of ``kind`` ("CST" or "UTC+3" of "timezone")."""
    low = " ".join(re.findall(r"[a-z0-9+'-]+", value.lower()))
    return re.sub(r"^(utc|gmt) ?[+-]\d+(?::\d\d)?$", r"\1", low) in KINDS[kind][1]


def named_any(value: str) -> bool:
    """``value`` is, as a whole, one of the words of some kind ("Apple Music", "Pixel", "yoga")."""
    return any(named(value, kind) for kind in KINDS)
