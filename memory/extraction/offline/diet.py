"""A held diet that what the user eats now breaks: "eating meat again, doctor's orders", "I've started eating
fish again" while "User is vegan." is held.

The diet is updated to what the user eats (the past kept), one UPDATE rather than a DELETE and an ADD. A
food the diet allows ("I eat fish" of a pescatarian) changes nothing here, and a turn that retracts the
diet in words ("I'm not vegetarian anymore, I eat fish now") keeps its own reading.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import changes
from memory.extraction.offline.clauses import MAY_TELL_OF_USER, Clause
from memory.types import Event, MemoryItem

_MEAT = {"meat", "chicken", "beef", "pork", "lamb", "bacon", "steak", "turkey"}
_FISH = {"fish", "seafood", "salmon", "tuna", "shellfish"}
_ANIMAL = {"dairy", "cheese", "eggs", "egg", "milk", "honey", "animal products"}
# What each diet rules out, by the word that names it in the held fact.
_RULES_OUT = {
    "vegan": _MEAT | _FISH | _ANIMAL,
    "plant-based": _MEAT | _FISH | _ANIMAL,
    "vegetarian": _MEAT | _FISH,
    "pescatarian": _MEAT,
}
_FOOD = "|".join(sorted(_MEAT | _FISH | _ANIMAL, key=len, reverse=True))
_EATS = re.compile(
    r"^(?:(?:i|we)(?:'m|'ve|'re| am| have| are)?\s+)?(?:(?:just|recently|finally|now|also|slowly)\s+)*"
    r"(?:eat|eating|started eating|started to eat|began eating|went back to eating|back to eating|back on|"
    r"had to start eating|have to eat|reintroduced|added)\s+(?:some |a bit of |a little )?"
    rf"(?P<x>{_FOOD})\b(?!\s+(?:by accident|once|yesterday|last night|today|tonight|this (?:evening|weekend|once)|"
    r"for (?:dinner|lunch|breakfast|the first time)|at (?:the|a|my|our|her|his|their)\b))",
    re.IGNORECASE,
)
DIET = "diet"


def apply(
    said: list[Clause], facts: list[ProposedFact], related: dict[str, MemoryItem]
) -> list[ProposedFact]:
    """``facts`` with the held diet updated when a clause says the user eats what it rules out."""
    held = {sid: item.text.lower() for sid, item in related.items() if item.slot == DIET}
    if not held or any(f.target in held for f in facts):
        return facts
    for clause in said:
        m = _EATS.match(clause.text) if clause.mood in MAY_TELL_OF_USER else None
        food = m["x"].lower() if m else ""
        sid = next((sid for sid, diet in held.items() if food and _rules_out(diet, food)), None)
        if sid is None:
            continue
        # "started eating fish again so pescatarian now": the diet it became, else what the user eats
        became = next((f for f in facts if f.event == Event.ADD and f.slot == DIET), None)
        update = ProposedFact(
            event=Event.UPDATE,
            target=sid,
            text=became.text if became else f"User eats {food}.",
            entities=became.entities if became else [food],
            reason=changes.CHANGED,
            confidence=changes.SURE_CHANGE,
        )
        kept = [
            f
            for f in facts
            if f is not became and not (f.event == Event.ADD and food in (f.text or "").lower())
        ]
        return [*kept, update]
    return facts


def _rules_out(diet: str, food: str) -> bool:
    """The held diet (its text, lower case) rules the food out."""
    return any(food in out for word, out in _RULES_OUT.items() if word in diet)
