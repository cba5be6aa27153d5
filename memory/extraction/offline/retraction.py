"""Negated statements of held facts: "not X anymore", "no longer", "don't have a Y anymore", "I quit Z".

The clause is turned back into the statement it retracts, read by the same rule table, and matched
to the memories shown. "I quit smoking" is a new fact, not a retraction; "I quit my job" retracts the
employer whatever its name.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import interpreter, names, person, targets
from memory.extraction.offline.rules import HABITS, JOB_WORDS, LEAVING, RETRACTIONS
from memory.types import MemoryItem

REASON = "no longer true"
_NOT_A_NAME = re.compile(
    r"^(?:by|at|for|to|in|on|off|out|up|with|from|my|the|a|an|it|that|this|early|late|home|work|school|"
    r"there|here|now|again|after|before|because|and)\b",
    re.IGNORECASE,
)


# What "I don't drink" says the user does not drink (not coffee, not water).
_ALCOHOL = set(
    "alcohol wine beer beers lager ale cider whisky whiskey vodka gin rum tequila sake booze cocktails".split()
)


def never(found: list[ProposedFact], related: dict[str, MemoryItem]) -> list[ProposedFact]:
    """DELETEs of what a standing "I don't eat meat" contradicts: the held facts of the same verb and
    object ("User eats meat most days.", not "User eats fish."); for a bare "I don't drink", the
    held drinks of alcohol ("User drinks wine most nights.", not "User drinks coffee.")."""
    out = []
    for fact in found:
        if not (fact.slot or "").startswith("never:"):
            continue
        verb, _, thing = fact.slot.split(":", 1)[1].partition("_")
        said = f"{person.third_singular(verb)}:{thing}"
        for sid, held in related.items():
            slot = held.slot or ""
            if not slot.startswith(said):
                continue
            if verb == "drink" and not thing and slot[len(said) :].split("_")[0] not in _ALCOHOL:
                continue
            out.append(targets.delete(sid, None, fact.text or "", targets.LIKELY, REASON))
    return out


def negated(clause: str, lowercase: bool, related: dict[str, MemoryItem]) -> list[ProposedFact]:
    """A negated statement ("I'm not married", "I don't work at Globex") retracts a held fact only when
    it is read by a rule, or names the held fact (``_names``): shared words are not enough ("I don't
    drive to work" says nothing of the car held)."""
    out = []
    for p in retract(clause, lowercase, related):
        if not p.target:
            continue
        if (p.confidence or 0) >= interpreter.SURE:
            out.append(p)
        elif _names(clause, related[p.target].text):
            out.append(p.model_copy(update={"confidence": targets.LIKELY}))
    return out


def _names(clause: str, held: str) -> bool:
    """Every content word of the held fact is in the clause, and at most one more ("wait"), so "I'm not
    married to the idea" does not name "User is married."."""
    said, kept = targets.content(clause), targets.content(held)
    return bool(kept) and kept <= said and len(said - kept) <= 1


_FOR_NOW = re.compile(
    r"\b(?:this (?:week|weekend|morning|afternoon|evening)|today|tonight|right now|at the moment|for now|"
    r"till|until)\b",
    re.IGNORECASE,
)


def retract(clause: str, lowercase: bool, related: dict[str, MemoryItem]) -> list[ProposedFact]:
    """Proposals for one retracting clause (possibly none: nothing held, or another value held)."""
    # "I'm not actually allergic to latex": the hedge adverb says nothing of what is retracted
    clause = re.sub(r"\b(?:actually|really|even|technically)\s+", "", clause, flags=re.I)
    # an event is not undone tomorrow: "lost my job today", "got laid off this morning"
    if _FOR_NOW.search(clause) and not re.search(
        r"\b(?:any ?more|no longer|lost my job|laid off|fired|let go)\b", clause, re.I
    ):
        return []  # "not in chicago this week": away for a while, still living there
    # "got laid off this morning": the job, whoever it was with
    clause = re.sub(
        r"^i (?:just )?(?:got|was) (?:laid off|fired|let go)\b(?! (?:from|by)\b)",
        "i lost my job",
        clause,
        flags=re.I,
    )
    if m := re.match(LEAVING, clause, re.I):
        return _leaving(
            m["v"],
            lowercase,
            related,
            quit_verb=bool(re.match(r"^i (?:just |finally )?(?:quit|stopped)\b", clause, re.I)),
        )
    for pattern, positive in RETRACTIONS:
        if m := re.match(pattern, clause, re.I):
            statement = positive.format(v=m["v"])
            found = interpreter.facts(statement, lowercase)
            if found:
                proposals = targets.for_facts(found, related, REASON)
                held = None if any(p.target for p in proposals) else targets.about(m["v"], related)
                # held under another phrasing ("I love sushi" for "I no longer eat sushi")
                return [targets.delete(held, None, statement, targets.LIKELY, REASON)] if held else proposals
            if re.match(r"^(?:work|working|live|living)\b", m["v"], re.I):  # "I don't work there anymore"
                return targets.for_topic(m["v"], related, REASON)
            return targets.for_words(m["v"], related, REASON)
    return []


def _leaving(
    value: str, lowercase: bool, related: dict[str, MemoryItem], quit_verb: bool
) -> list[ProposedFact]:
    thing = names.trim(value)
    if quit_verb and thing.lower().split()[:1] and thing.lower().split()[0] in HABITS:
        thing = thing.split()[0]
        held = targets.about(thing, related)  # "I stopped smoking" while "User smokes." is held
        if held is not None:
            return [targets.delete(held, None, f"User quit {thing}.", targets.LIKELY, REASON)]
        habit = interpreter.Fact(f"User quit {thing}.", f"habit:{names.key(thing)}", None, thing)
        return [habit.added("stated by the user")]
    if re.match(JOB_WORDS, thing, re.I):
        holders = [sid for sid, m in related.items() if m.slot == "employer"]
        return [
            targets.delete(
                holders[0] if holders else None, "employer", "User left their job.", targets.LIKELY, REASON
            )
        ]
    for statement in (f"I work at {value}", f"I live in {value}"):
        proposals = [
            p for p in targets.for_facts(interpreter.facts(statement, lowercase), related, REASON) if p.target
        ]
        if proposals:
            return proposals
    # "I left Initech": a name; "I left early", "I stopped by the store": nothing to retract.
    return targets.for_words(thing, related, REASON) if thing and not _NOT_A_NAME.match(thing) else []
