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
from memory.extraction.offline.clauses import Clause, Mood
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
_OWN = (Mood.STATEMENT, Mood.RETRACTION, Mood.THIRD_PARTY)
DIET = "diet"


def apply(
    said: list[Clause], facts: list[ProposedFact], related: dict[str, MemoryItem]
) -> list[ProposedFact]:
    """``facts`` with the held diet updated when a clause says the user eats what it rules out."""
    held = [(sid, item) for sid, item in related.items() if item.slot == DIET]
    if not held or any(f.target == sid for f in facts for sid, _ in held):
        return facts
    for clause in said:
        m = _EATS.match(clause.text) if clause.mood in _OWN else None
        if m is None:
            continue
        food = m["x"].lower()
        for sid, item in held:
            if any(food in out for word, out in _RULES_OUT.items() if word in item.text.lower()):
                update = ProposedFact(
                    event=Event.UPDATE,
                    target=sid,
                    text=f"User eats {food}.",
                    entities=[food],
                    reason=changes.CHANGED,
                    confidence=changes.SURE_CHANGE,
                )
                said_diet = next((f for f in facts if f.event == Event.ADD and f.slot == DIET), None)
                if (
                    said_diet is not None
                ):  # "started eating fish again so pescatarian now": the diet it became
                    update = update.model_copy(
                        update={"text": said_diet.text, "entities": said_diet.entities}
                    )
                kept = [
                    f
                    for f in facts
                    if f is not said_diet and not (f.event == Event.ADD and food in (f.text or "").lower())
                ]
                return [*kept, update]
    return facts
