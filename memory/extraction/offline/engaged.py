"""A partnership that moved on, however it is said: "we're engaged!!!", "Amy and I got
married on saturday", "I married Tom last week".

With a partner on record (a girlfriend, boyfriend, partner or fiancé named in a held fact), that fact is
updated to the new bond, the past kept: "User's girlfriend is named Priya." becomes "User is engaged to
Priya.". A name in the clause must be the held partner's. With nobody on record, the clause's own reading
stands ("User is engaged."). Someone else's news ("my sister got engaged") is theirs.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import changes
from memory.extraction.offline.clauses import MAY_TELL_OF_USER, Clause
from memory.extraction.offline.status import STATUS
from memory.types import Event, MemoryItem

# The held facts whose partner may become a fiancé or a spouse.
_COURTING = re.compile(r"^family:(?:girlfriend|boyfriend|partner|fiancee?|fianc[eé]e?)$")
_NAMED = re.compile(r"\bnamed (?P<n>[\w'-]+(?: [\w'-]+)?)\.?$")
# What may follow the bond word: nothing, a time or chat filler ("married young" is no news).
_TAIL = (
    r"(?=\s*$|\s*[,;.!?]|\s+(?:now|today|yesterday|last|this|on|in|at|lol|haha|omg|finally|officially|again|"
    r"and|so|but)\b)"
)
_BOND = (
    # "we're engaged", "we got married", "just got engaged!!", "I'm engaged now"
    re.compile(
        r"^(?:(?:i|we)(?:'m|'re| am| are| r)?\s+)?(?:(?:just|finally|officially|now|got|are|were)\s+)*"
        r"(?P<b>engaged|married)" + _TAIL,
        re.IGNORECASE,
    ),
    # "Amy and I got engaged", "me and tom got married"
    re.compile(
        r"^(?:(?P<x>[\w'-]+) and (?:i|me)|me and (?P<y>[\w'-]+))(?:'re| are| r| have| just| finally| got| officially)*"
        r"\s+(?P<b>engaged|married)" + _TAIL,
        re.IGNORECASE,
    ),
    # "I married Tom last week", "I got married to Amy"
    re.compile(
        r"^i (?:just |finally )?(?:got )?(?P<b>married|engaged)(?: to)? (?P<z>[\w'-]+)", re.IGNORECASE
    ),
)
_WORD = {"engaged": "engaged to", "married": "married to"}


def apply(
    said: list[Clause], facts: list[ProposedFact], related: dict[str, MemoryItem]
) -> list[ProposedFact]:
    """``facts`` with the held partner's fact updated when a clause says the user got engaged or married, and
    a held "User is single." replaced by a partner the turn names ("I have a girlfriend now! her name's Mia")."""
    facts = _no_longer_single(facts, related)
    partners = {
        sid: _NAMED.search(m.text) for sid, m in related.items() if m.slot and _COURTING.match(m.slot)
    }
    partners = {sid: found["n"] for sid, found in partners.items() if found}
    if not partners:
        return facts
    for clause in said:
        read = _bond(clause.text) if clause.mood in MAY_TELL_OF_USER else None
        if read is None:
            continue
        bond, name = read
        chosen = [sid for sid, held in partners.items() if name is None or name.lower() == held.lower()]
        if len(chosen) != 1 or any(f.target == chosen[0] for f in facts):
            return facts
        sid = chosen[0]
        update = ProposedFact(
            event=Event.UPDATE,
            target=sid,
            text=f"User is {_WORD[bond]} {partners[sid]}.",
            entities=[partners[sid]],
            reason=changes.CHANGED,
            confidence=changes.SURE_CHANGE,
        )
        kept = [f for f in facts if not (f.event == Event.ADD and f.slot == STATUS)]
        return [*kept, update]
    return facts


def _bond(text: str) -> tuple[str, str | None] | None:
    """The bond a clause says the user entered ("engaged" or "married") and the name it gives, if any."""
    text = text.strip(" .!,")
    for pattern in _BOND:
        m = pattern.match(text)
        if m is None:
            continue
        groups = m.groupdict()
        name = next((groups[k] for k in ("x", "y", "z") if groups.get(k)), None)
        if name is not None and name.lower() in {"we", "i", "my", "our", "she", "he", "they", "it"}:
            name = None
        return groups["b"].lower(), name
    return None


_SINGLE = re.compile(r"\bsingle\b", re.IGNORECASE)


def _no_longer_single(facts: list[ProposedFact], related: dict[str, MemoryItem]) -> list[ProposedFact]:
    single = next(
        (sid for sid, m in related.items() if m.slot == STATUS and _SINGLE.search(m.text)),
        None,
    )
    if single is None or any(f.target == single for f in facts):
        return facts
    partner = next((f for f in facts if f.event == Event.ADD and f.slot and _COURTING.match(f.slot)), None)
    if partner is None:
        return facts
    update = partner.model_copy(update={"event": Event.UPDATE, "target": single, "reason": changes.CHANGED})
    return [update if f is partner else f for f in facts]
