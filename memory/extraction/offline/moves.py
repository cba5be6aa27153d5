"""A move to a named town, however it is said: "moved. bristol.", "moved back to my mum's in Grimsby",
"I now reside at 14 Elm Road, Reading", "we finally bought a house. Dover!".

The rules read a home from the phrase that holds it ("moved to X", "live in X"). When they read none,
and the user already has a home on record, a clause that says the user moved (or lives, resides,
settled) and a town named in it, or in the clause right after it, replace that home: one UPDATE, the
old home kept as the past. The town must be one the place list knows (``places``) and the only new one
named there, so "moved to Lisbon, then to Porto" changes nothing it cannot tell apart.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import changes, places
from memory.extraction.offline.clauses import Clause, Mood
from memory.types import Event, MemoryItem

HOME = "home_city"
# The user's own move or home; "moved the meeting", "moved the business" or "moved on" is none.
_WE = r"^(?:i|we|(?:my |our )?\w+ and (?:i|me)|me and (?:my |our )?\w+)"
_MOVED = re.compile(
    _WE + r"(?:'ve| have)? (?:\w+ )?(?:moved|relocated|settled|shifted)(?! on\b)"
    r"(?! (?:my|the|our|it|them|his|her)\b(?! (?:family|stuff|things)\b))|"
    + _WE
    + r" (?:now )?(?:reside|live)\b|"
    + _WE
    + r"(?:'re| are|'m| am) (?:now )?(?:living|based|settled|shifted)\b|"
    + _WE
    + r"(?:'re| are|'m| am) (?:now )?in (?:a|an|my|our) (?:new |own |little )*(?:apartment|flat|house|place|condo)\b|"
    + _WE
    + r"(?:'ve| have)? (?:just |finally )?(?:bought|got|purchased) (?:a|our|my) (?:own |new |first )*"
    r"(?:house|flat|place|home|apartment|condo|condominium)\b",
    re.IGNORECASE,
)
_OWN = (Mood.STATEMENT, Mood.RETRACTION)


def apply(
    said: list[Clause], facts: list[ProposedFact], related: dict[str, MemoryItem]
) -> list[ProposedFact]:
    """``facts`` with the UPDATE of the held home a move names, when no rule read one."""
    homes = [sid for sid, item in related.items() if item.slot == HOME]
    if len(homes) != 1 or any(f.slot == HOME or f.target == homes[0] for f in facts):
        return facts
    held = set(places.in_text(f"in {related[homes[0]].text.removeprefix('User lives in ')}"))
    for i, clause in enumerate(said):
        if clause.mood not in _OWN or not _MOVED.search(clause.text):
            continue
        for where in said[i : i + 2]:
            named = [p for p in places.in_text(where.text) if p not in held]
            if where is not clause and where.mood not in _OWN:
                # the next clause counts when it is the user's own or the town alone ("moved. bristol.")
                named = [p for p in named if p.casefold() == where.text.strip(" .!").casefold()]
            if len(named) == 1:
                return [*facts, _moved(homes[0], named[0])]
            if named:
                return facts
    return facts


def _moved(sid: str, town: str) -> ProposedFact:
    return ProposedFact(
        event=Event.UPDATE,
        target=sid,
        text=f"User lives in {town}.",
        slot=HOME,
        entities=[town],
        reason=changes.CHANGED,
        confidence=changes.SURE_CHANGE,
    )
