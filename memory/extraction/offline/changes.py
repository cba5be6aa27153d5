"""Endings and changes of held facts, whatever the topic: "sold my civic", "switched from cello to viola".

The object of the clause is matched to the held memory it is about by shared content words (or, for a
new value with no old one named, by its kind: a Mac replaces Windows). Nothing held about it: an ending
worth knowing becomes a fact ("User quit vaping."), a change becomes a plain fact, the rest is nothing.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import kinds, names, person, targets
from memory.extraction.offline.interpreter import Fact
from memory.extraction.offline.rules import (
    CHANGES,
    CORRECTED,
    CORRECTION_VALUE,
    ENDINGS,
    JOINED,
    STARTED,
    SUCCESSORS,
    TIME_AWAY,
)
from memory.types import Event, MemoryItem, Relation

REASON, CHANGED = "no longer true", "changed"
SURE_CHANGE = 0.8  # a change matched to its held fact by slot, kind or the old value named
# "I stopped by the store", "I quit early": a preposition or an adverb, not the thing that ended.
_NO_OBJECT = re.compile(
    r"^(?:by|at|to|in|on|for|from|with|off|out|up|over|after|before|early|late|home|work|there|here|now|"
    r"again|because|and|it|that|this)\b",
    re.IGNORECASE,
)


def ending(clause: str, related: dict[str, MemoryItem]) -> list[ProposedFact] | None:
    """Proposals for a clause that ends something (None: it does not end anything)."""
    for pattern, informative in ENDINGS:
        m = re.search(pattern, clause, re.I)
        if m is None:
            continue
        thing = names.trim(m["x"]) or m["x"]
        if _NO_OBJECT.match(thing):
            return []
        sid = targets.about(thing, related)
        if sid is not None:
            return [targets.delete(sid, None, clause, targets.LIKELY, REASON)]
        ranked = targets.ranked_about(thing, related)
        if ranked:  # a tie between held facts: asked, not applied
            return [targets.delete(ranked[0][0], None, clause, targets.GUESS, REASON)]
        if informative and targets.content(thing) and thing.lower().split()[0] not in names.PRONOUNS:
            text = person.third_person(re.sub(rf"\b{re.escape(m['x'])}$", thing, clause))
            return [_fact(text, thing).added("stated by the user")]
        return []
    return None


def change(clause: str, lowercase: bool, related: dict[str, MemoryItem]) -> list[ProposedFact] | None:
    """Proposals for a clause that changes something (None: it is no change)."""
    for pattern in CHANGES:
        m = re.match(pattern, clause, re.I)
        if m is None:
            continue
        new = names.trim(_unqualified(m["y"]))
        if not new or new.lower().split()[0] in names.PRONOUNS or re.match(TIME_AWAY, new, re.I):
            return None
        old = m.groupdict().get("x")
        sid = targets.about(old, related) if old else None
        sid = sid or _rival(new, m.groupdict().get("what") or "", related)
        if sid is None:
            if old is None:
                return None  # "I went to Paris": no rival held, not a change at all
            return [_fact(f"User switched to {new}.", new).added("stated by the user")]
        return [replace(sid, old or "", new, lowercase, related)]
    return None


def successor(clause: str, started: bool = False) -> str | None:
    """What replaced a fact just ended in the same turn: "now at Globex" -> "Globex"; with ``started``,
    also what the clause starts ("bought a mazda"), which only a caller checking its kind may pair."""
    for pattern in SUCCESSORS + (STARTED if started else []):
        if m := re.match(pattern, clause, re.I):
            raw = _unqualified(m["y"])
            called = re.search(r"\b(?:called|named) (?P<n>.+)$", raw, re.I)  # "a climbing gym called X"
            value = names.trim(called["n"] if called else raw)
            return value if value and value.lower().split()[0] not in names.PRONOUNS else None
    return None


def _unqualified(value: str) -> str:
    """A new value without what only says how it was had: "a used Prius" -> "Prius"."""
    return re.sub(r"^(?:(?:an?|my) )?(?:used|new|brand new|second-?hand|pre-?owned) ", "", value, flags=re.I)


def joined(clause: str, lowercase: bool) -> str | None:
    """The organisation a clause says the user joined or went with, when it is named ("joined Zoho this
    monday" -> "Zoho"); never a thing with an article or a possessive ("joined a chess club")."""
    m = re.match(JOINED, clause, re.I)
    if not m or re.match(r"(?:a|an|some|my|our|his|her|their)\b", m["y"], re.I):
        return None
    if lowercase and re.match(r"the\b", m["y"], re.I):
        return None  # "joined the navy": a name only a capital could tell
    value = names.place(m["y"], lowercase)
    return value if value and len(value.split()) <= 4 else None


def corrected(clause: str) -> str | None:
    """ "not Bobby" after a new value: the value being corrected."""
    m = re.match(CORRECTED, clause, re.I)
    return m["x"] if m and len(m["x"].split()) <= 4 else None


def correction_value(clause: str) -> str | None:
    """The right value in the clause before "not X": "it's almond milk now" -> "almond milk"."""
    for pattern in CORRECTION_VALUE:
        if m := re.search(pattern, clause, re.I):
            value = names.trim(m["y"])
            if value and value.lower().split()[0] not in names.PRONOUNS:
                return value
    return None


# Whom the user lives with: moving out of their place gives a home, not a new housemate.
_LIVES_WITH = re.compile(r"^User lives with (?:their )?(?:parents|mom|mum|dad|folks|family|grandparents)\b")


def lives_with_family(held: str) -> bool:
    return bool(_LIVES_WITH.match(held))


def replace(
    sid: str,
    old: str,
    new: str,
    lowercase: bool,
    related: dict[str, MemoryItem],
    confidence: float = SURE_CHANGE,
) -> ProposedFact:
    """The UPDATE of held memory ``sid``: its text with the old value swapped for ``new``."""
    new = _unqualified(new)
    held = related[sid].text
    words = targets.content(old) & targets.content(held)
    if not words:
        kind_words = (
            set().union(*(kinds.words_of(k) for k in kinds.kinds_of(new))) if kinds.kinds_of(new) else set()
        )
        words = {targets.stem(w) for w in kind_words} & targets.content(held)
    if lowercase and any(
        t[:1].isupper() and targets.stem(t.strip(".,!?")) in words for t in held.split()[1:]
    ):
        new = " ".join(w[:1].upper() + w[1:] for w in new.split())
    text = targets.substitute(held, words, new) if words else None
    if lives_with_family(held) and new[:1].isupper():
        text = f"User lives in {new}."  # "moved out of my parents' place into my own flat in St Paul"
    return ProposedFact(
        event=Event.UPDATE,
        target=sid,
        text=text or f"User switched to {new}.",
        entities=[new],
        reason=CHANGED,
        confidence=confidence,
    )


def _rival(new: str, what: str, related: dict[str, MemoryItem]) -> str | None:
    """A held fact naming another value of the same kind as ``new`` (or about ``what``)."""
    wanted = kinds.kinds_of(new) or kinds.kinds_of(what)
    for sid, item in related.items():
        if item.type.value != "semantic":
            continue
        if wanted & kinds.kinds_of(item.text) and not targets.content(new) <= targets.content(item.text):
            return sid
    return targets.about(what, related) if what else None


def _fact(text: str, value: str) -> Fact:
    key = names.key(value)[:40]
    return Fact(
        text=text,
        slot=f"ended:{key}",
        relation=Relation(subject="User", relation="ended", object=value),
        value=value,
    )
