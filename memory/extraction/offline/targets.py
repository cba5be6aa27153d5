"""Find which shown memory a retraction or a "forget ..." is about, and how sure that is.

A fact read from the retracted statement points at the memory of the same slot that holds the same
value (sure). With no such fact, the memory sharing most words is a guess (low confidence), which a
caller may confirm with the user before deleting.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import names
from memory.extraction.offline.interpreter import SURE, Fact
from memory.extraction.offline.rules import TOPICS
from memory.types import Event, MemoryItem, MemoryType

LIKELY, GUESS = 0.8, 0.5  # a slot or topic without the value; a target found by shared words
_STOP = set(
    "i my me the a an to in at of that is am are and about user user's any more anymore have has".split()
)


def _norm(text: str) -> str:
    return " " + " ".join(re.sub(r"[^a-z0-9&]+", " ", text.lower()).split()) + " "


def _value_keyed(fact: Fact) -> bool:
    """A slot per value ("allergy:cats") can only ever hold that value."""
    return bool(fact.slot) and fact.slot.endswith(names.key(fact.value))


def delete(target: str | None, slot: str | None, text: str, confidence: float, reason: str) -> ProposedFact:
    return ProposedFact(
        event=Event.DELETE,
        target=target,
        slot=None if target else slot,
        text=text,
        reason=reason,
        confidence=confidence,
    )


def for_facts(found: list[Fact], related: dict[str, MemoryItem], reason: str) -> list[ProposedFact]:
    """DELETE proposals for the memories that state ``found`` (none when another value is held)."""
    out = []
    for fact in found:
        holders = {sid: m for sid, m in related.items() if fact.slot and m.slot == fact.slot}
        same = [sid for sid, m in holders.items() if _norm(fact.value) in _norm(m.text)]
        if same:
            out.append(delete(same[0], fact.slot, fact.text, SURE, reason))
        elif not holders and fact.slot:
            # The holder was not among the memories shown: retract the slot, surely only when it is keyed
            # by this very value ("likes:coffee"); a single-valued slot ("employer") is a guess.
            out.append(delete(None, fact.slot, fact.text, LIKELY if _value_keyed(fact) else GUESS, reason))
    return out


def for_topic(phrase: str, related: dict[str, MemoryItem], reason: str) -> list[ProposedFact]:
    """ "forget where I work": the memory of the slot the phrase is about."""
    for pattern, slot in TOPICS.items():
        if re.search(pattern, phrase, re.I):
            holders = [sid for sid, m in related.items() if m.slot == slot]
            return [delete(holders[0], slot, phrase, LIKELY, reason)] if holders else []
    return []


def for_words(phrase: str, related: dict[str, MemoryItem], reason: str) -> list[ProposedFact]:
    """The non-episodic memory sharing most words with ``phrase``, as a low-confidence guess."""
    want = {t for t in re.findall(r"[a-z0-9']+", phrase.lower()) if t not in _STOP and len(t) > 1}
    best, best_score = None, 0.0
    for sid, item in related.items():
        if item.type == MemoryType.EPISODIC or not want:
            continue
        have = {t for t in re.findall(r"[a-z0-9']+", item.text.lower()) if t not in _STOP}
        score = len(want & have) / len(want)
        if score > best_score:
            best, best_score = sid, score
    return [delete(best, None, phrase, GUESS, reason)] if best and best_score >= 0.5 else []
