"""Held facts a turn ends, read wherever the turn names them: "smokey died on thursday", "Pete and I have
separated", "netflix is gone", "the book club fizzled out", "weaned off lexapro", "I have left the
Riverside Choir", "no more contacts for me".

Each reading is anchored on what the user already told: the thing ended must name one held fact (its
value, not only a common word of it), so "my friend's dog died" or "the meeting is over" ends nothing
that is not held. A clause that asks, plans, wonders, quotes or requests ends nothing; a death or a
break-up may be told of someone else ("Rufus passed away"), and is still the end of the user's fact.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import names, targets
from memory.extraction.offline.clauses import SAYS_NOTHING, Clause, Mood
from memory.types import Event, MemoryItem

REASON = "no longer true"
_THING = r"(?:the |my |our |a |an )?(?P<x>[\w&'-]+(?: [\w&'-]+){0,3}?)"
_END = (
    r"(?=\s*$|\s*[,;.!?(]| (?:in|on|at|last|this|after|before|since|for|because|bc|so|and|but|too|yesterday|today|"
    r"anyway|lol|haha|\d)\b)"
)


def _compiled(*patterns: str) -> list[re.Pattern[str]]:
    return [re.compile(p + _END if p.endswith(_THING) else p, re.IGNORECASE) for p in patterns]


# Each pattern names the thing ended as <x>. Told of anyone: a death, a break-up, a thing gone or over.
_TOLD = _compiled(
    r"(?:^|\b)(?P<x>[\w'-]+) (?:has |had )?(?:died|passed(?: away| on)?|was put down|had to be put down|"
    r"was put to sleep|crossed the rainbow bridge)",
    r"\b(?:we |i )?(?:lost|buried|said goodbye to) (?P<x>(?-i:[A-Z])[\w'-]*|[a-z][\w'-]*(?= (?:to|on|in|last)\b))",
    r"^(?P<x>[\w'-]+) and i (?:have |had |just )?(?:broke up|broken up|split up|split|separated|divorced|"
    r"called it quits)",
    r"^(?P<x>[\w'-]+)(?:'s| is) (?:my|now my) ex\b",
    r"^" + _THING + r"(?:'s| is| are| was)? (?:gone|over|done|cancell?ed|finished|history)",
    r"^" + _THING + r" (?:fizzled out|has ended|ended|lapsed|expired)",
    r"\b(?:no more|bye(?:-bye)?|goodbye) " + _THING,
)
# Done by the user: only in the user's own statement ("my buddy quit tennis" ends nothing of theirs).
_DONE = _compiled(
    r"\b(?:broke up|split up|separated|divorced) (?:with |from )?(?P<x>(?-i:[A-Z])[\w'-]*|[a-z][\w'-]*$)",
    r"\b(?:let|uninstalled|deleted|cancell?ed) " + _THING,
    r"\b(?:came|come|coming|weaned|taken me|took me|got|went) off (?:of )?" + _THING,
    r"\bno longer (?:have|has|use|take|play|do|own|need) " + _THING,
    r"\bnot (?:allergic to|actually|really) " + _THING + r" (?:after all|anymore|any more)",
    r"\bgrew out of " + _THING,
    r"\b(?:have |has |had )?(?:left|quit|retired from|stepped down (?:as|from)|resigned from|"
    r"(?:got |been )?made redundant (?:from|at)|pulled out of|dropped out of|hung up) " + _THING,
    r"\b(?:don't|do not|barely|never) (?:really )?(?:play|do|use|take|go to|see|eat|drink) "
    + _THING
    + r" (?:anymore|any more)",
)
_OWN_MOODS = (Mood.STATEMENT, Mood.RETRACTION)
# Someone else's: "my friend's dog died", "her ex Bill".
_OTHERS = re.compile(r"\b(?:\w+'s|his|her|their|your) (?:\w+ )?$", re.IGNORECASE)


def endings(said: list[Clause], related: dict[str, MemoryItem]) -> list[ProposedFact]:
    """DELETEs of the held facts a turn's clauses say have ended, one per held fact."""
    found: dict[str, ProposedFact] = {}
    for clause in said:
        if clause.mood in SAYS_NOTHING:
            continue
        for pattern in _TOLD + (_DONE if clause.mood in _OWN_MOODS else []):
            for m in pattern.finditer(clause.text):
                sid = _held(m["x"], related)
                if sid is None or sid in found or _OTHERS.search(clause.text[: m.start("x")]):
                    continue
                ending = targets.delete(sid, None, clause.text, targets.LIKELY, REASON)
                found[sid] = ending.model_copy(update={"entities": [m["x"]]})  # what the user called it
    return list(found.values())


def apply(
    said: list[Clause], proposals: list[ProposedFact], related: dict[str, MemoryItem]
) -> list[ProposedFact]:
    """``proposals`` with the endings of held facts in a turn's clauses added, where nothing else was
    read about the same fact; an ending restated as a plain fact ("User has left the Riverside Choir.")
    is dropped."""
    touched = {p.target for p in proposals if p.target}
    ended = [d for d in endings(said, related) if d.target not in touched]
    if not ended:
        return proposals
    gone = [targets.content(" ".join(d.entities)) for d in ended]
    kept = [
        p
        for p in proposals
        if not (p.event == Event.ADD and any(w and w & targets.content(p.text or "") for w in gone))
    ]
    return kept + ended


def _held(phrase: str, related: dict[str, MemoryItem]) -> str | None:
    """The one held fact the phrase names, and names by its value (the words after its verb)."""
    phrase = names.trim(phrase) or phrase
    if not phrase or phrase.lower().split()[0] in names.PRONOUNS:
        return None
    sid = targets.about(phrase, related)
    if sid is None:
        return None
    words, held = targets.content(phrase), related[sid].text
    # Every word of the phrase is the held fact's ("the book club"), not "Max's vet visit" or "the
    # meeting with Pete", and one of them is its value, not only its verb.
    return sid if words <= targets.content(held) and words & _value_words(held) else None


def _value_words(held: str) -> set[str]:
    """The stems that say which thing a held fact is about: every content word after its verb."""
    words = held.rstrip(".").split()
    return targets.content(" ".join(words[2:])) if len(words) > 2 else targets.content(held)
