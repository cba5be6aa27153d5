"""A partnership that ended, however it is said: "divorced now.", "single again lol", "gareth and me are
separated now", "my divorce came through last week", "we split up in october".

When the user has a partner or a marriage on record, each one ends: a DELETE that keeps it as the
past, so "who is my wife?" no longer answers with it and "was I married?" still can. With none on
record, the status is a fact ("User is divorced."). A name in the clause must be the partner's
("gareth and me"); a clause about someone else ("my sister is divorced now") is not the user's, and a
bare word is no status ("every. single. time."): it needs a subject, an adverb or a time with it.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import changes
from memory.extraction.offline.clauses import MAY_TELL_OF_USER, Clause
from memory.extraction.offline.interpreter import Fact
from memory.types import Event, MemoryItem, Relation

STATUS = "relationship status"
# Whom the user is with, by slot: a partner's name or a relationship status.
PARTNER = re.compile(
    r"^(?:family:(?:wife|husband|partner|girlfriend|boyfriend|fiancee?|spouse)|relationship status)$"
)
_ENDED = {
    "divorced": "divorced",
    "separated": "separated",
    "seperated": "separated",
    "single": "single",
    "widowed": "widowed",
    "widow": "a widow",
    "widower": "a widower",
}
_WORD = "|".join(_ENDED)
_LEAD = r"(?:(?:now|officially|finally|newly|just|recently|legally|happily|technically|an?)\s+)*"
# What may follow the status: nothing, a time, or chat filler; "single malt" or "separated the eggs" is none.
_TAIL = (
    r"(?=\s*$|\s*[,;.!?]|\s+(?:again|now|officially|at last|as of|since|for|last|this|in|after|lol|haha|tho|"
    r"though|btw|ngl|and|but|so)\b)"
)
_STATED = (
    # "divorced now.", "I'm single again", "we're officially separated", "newly single"
    re.compile(
        r"^(?P<s>(?:i|we)(?:'m|'re| am| are| r| got| have| had| have been| been)?\s+)?(?:got\s+)?"
        + f"(?P<l>{_LEAD})"
        + rf"(?P<v>{_WORD})"
        + _TAIL,
        re.IGNORECASE,
    ),
    # "gareth and me are separated now", "me and sarah are divorced"
    re.compile(
        r"^(?:(?P<x>[\w'-]+) and (?:i|me)|me and (?P<y>[\w'-]+))(?:'re| are| r| have| had| got| have been)?\s+"
        + _LEAD
        + rf"(?P<v>{_WORD})"
        + _TAIL,
        re.IGNORECASE,
    ),
    # "my divorce came through", "the divorce is final"
    re.compile(
        r"^(?:my|our|the) divorce (?:came through|(?:is|was|went) (?:final|finalised|finalized|through)|"
        r"(?:got )?(?:finalised|finalized))",
        re.IGNORECASE,
    ),
    # "we split up in october", "my boyfriend and I broke up": it ended, in no status word.
    re.compile(
        r"^(?:we|(?:my|our) (?:husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|bf|gf|hubby) and (?:i|me))"
        r"(?: (?:have|had|just|finally|officially|recently|eventually))* (?:split up|broke up|broken up|split|"
        r"called it quits|went our separate ways)" + _TAIL,
        re.IGNORECASE,
    ),
)


def apply(
    said: list[Clause], facts: list[ProposedFact], related: dict[str, MemoryItem]
) -> list[ProposedFact]:
    """``facts`` with the end of the user's partnership when a clause says so: each partner on record
    deleted (kept as the past), or the status added when none is held."""
    for clause in said:
        read = _status(clause.text) if clause.mood in MAY_TELL_OF_USER else None
        if read is None:
            continue
        status, named = read
        said_so = f"User is {status}."
        partners = {
            sid
            for sid, item in related.items()
            if item.slot and PARTNER.match(item.slot) and (named is None or named in item.text.lower())
        }
        if any(f.target in partners and f.text != said_so for f in facts if f.event == Event.UPDATE):
            return facts  # a new partner named as the successor: "Tom and I divorced … seeing Ade now"
        # the status said as a fact, or as the partner's successor, is the ending itself
        facts = [
            f for f in facts if f.text != said_so and not (f.event == Event.DELETE and f.target in partners)
        ]
        if partners:
            return [*facts, *map(_ended, sorted(partners))]
        return [*facts, _added(said_so, status)] if status else facts
    return facts


def _ended(sid: str) -> ProposedFact:
    return ProposedFact(event=Event.DELETE, target=sid, reason=changes.REASON, confidence=changes.SURE_CHANGE)


def _added(text: str, status: str) -> ProposedFact:
    relation = Relation(subject="User", relation="is", object=status)
    return Fact(text, STATUS, relation, status).added("stated by the user", changes.SURE_CHANGE)


def _status(text: str) -> tuple[str, str | None] | None:
    """The status a clause says the user's partnership ended in, and the partner it names, if any."""
    text = text.strip(" .!,")
    for i, pattern in enumerate(_STATED):
        found = pattern.match(text)
        if not found:
            continue
        if i == 2:
            return "divorced", None
        if i == 3:
            return "", None  # ended: a held partner ends, and no status is said
        if i == 0 and not (found["s"] or found["l"] or text[found.end() :].strip()):
            return None  # a bare word
        name = (found["x"] or found["y"] or "").lower() if i == 1 else ""
        return _ENDED[found["v"].lower()], (name if name not in {"", "we", "i", "my", "our"} else None)
    return None
