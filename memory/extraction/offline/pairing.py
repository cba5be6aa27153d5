"""A held fact ended in a turn that also names what replaced it becomes one UPDATE, wherever the two sit.

"we're in queens now, left brooklyn", "quit league, i play valorant mostly now", "sold the outback and
bought a mazda": the DELETE of the held fact and the new value read elsewhere in the turn are paired
when the new value is of the same slot or kind as the held fact, or is stated with the same verb and
"now"/"instead", or when both are names of no different kind ("quit Infosys and joined Zoho"). Anything
less ("quit the swim team, joined a climbing club") stays an ending and a new fact: a pairing on a guess
would put a wrong value in place of a fact the user still wants ended.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import changes, kinds, parse, targets
from memory.extraction.offline.clauses import SAYS_NOTHING, Clause, Mood
from memory.extraction.offline.names import proper_nouns
from memory.extraction.offline.rules import DURATION
from memory.extraction.offline.status import PARTNER
from memory.types import Event, MemoryItem, MemoryType, slot_family

_MARKED = re.compile(r"\b(?:now|instead|these days|nowadays)\b", re.IGNORECASE)
# Verbs too common to say two facts are about the same thing.
_WEAK_VERBS = {"is", "has", "does", "gets", "goes", "was", "had"}
_ASSERTIVE = (Mood.STATEMENT, Mood.RETRACTION)
# Things people have several of at once, so a new one said "now" beside one that ended is an addition:
# "weaned off lexapro … new thing tho: on levothyroxine for my thyroid now" ends one medicine and adds
# another; a switch says so ("switched from sertraline to fluoxetine").
_SEVERAL_AT_ONCE = {"takes"}

Made = list[tuple[Clause, list[ProposedFact]]]


def pair(made: Made, ids: dict[str, MemoryItem]) -> list[ProposedFact]:
    """The proposals of a turn (clause by clause), each ended held fact paired with its replacement."""
    proposals = [p for _, found in made for p in found]
    taken: set[str] = set()  # values already named as a replacement
    for clause, found in made:
        for gone in [p for p in found if p.event == Event.DELETE and p.target in ids]:
            if gone not in proposals:
                continue
            if any(p.event == Event.UPDATE and p.target == gone.target for p in proposals):
                proposals.remove(gone)  # "ditched keto, doing fasting these days": the update says it all
                continue
            held = ids[gone.target]
            named = _successor(held, clause, made)
            if named is not None:  # the held fact's own words, the value swapped: "learning German"
                value, source, sure = named
                sure = min(sure, gone.confidence or 1.0)
                update = changes.replace(gone.target, clause.text, value, clause.lowercase, ids, sure)
                proposals[proposals.index(gone)] = update
                for fact in source:  # the new value read as a plain fact is now the update itself
                    if fact in proposals:
                        proposals.remove(fact)
                continue
            added = _replacing_add(held, clause, made, proposals)
            if added is None and (update := _marked_update(gone, clause, made, ids, taken)):
                proposals[proposals.index(gone)] = update  # "ditched windows, on linux mint now"
                continue
            if added is not None:
                fact, sure = added
                proposals[proposals.index(fact)] = fact.model_copy(
                    update={
                        "event": Event.UPDATE,
                        "target": gone.target,
                        "reason": changes.CHANGED,
                        "confidence": min(fact.confidence or 1.0, gone.confidence or 1.0, sure),
                    }
                )
                proposals.remove(gone)
    return proposals + _switched(made, ids, proposals)


def _replacing_add(
    held: MemoryItem, ended: Clause, made: Made, proposals: list[ProposedFact]
) -> tuple[ProposedFact, float] | None:
    """An ADD of the turn that states the held fact's successor, and how sure that pairing is."""
    candidates = [
        (clause, fact)
        for clause, found in made
        if clause is not ended and clause.mood in _ASSERTIVE
        for fact in found
        if fact in proposals and fact.event == Event.ADD and fact.type == MemoryType.SEMANTIC
    ]
    for same in (lambda a, b: a == b, _replaces):  # the very slot first
        for _, fact in candidates:
            if fact.slot and same(fact.slot, held.slot):
                return fact, 1.0
    for clause, fact in candidates:
        if _same_kind(fact.text or "", held.text) and _MARKED.search(clause.text):
            return fact, changes.SURE_CHANGE
        if (kind := kinds.single(held.text)) and kind == kinds.single(fact.text or ""):
            return fact, changes.SURE_CHANGE  # one car: "the corsa's gone … I got a Kia Picanto"
        if (
            _keyed(fact.slot)
            and _keyed(held.slot)
            and slot_family(held.slot) not in _SEVERAL_AT_ONCE
            and _same_verb(fact.text or "", held.text)
            and (_MARKED.search(clause.text))
        ):
            return fact, changes.SURE_CHANGE
        if _MARKED.search(clause.text) and _AT_A_NAME.match(fact.text or "") and _AT_A_NAME.match(held.text):
            return fact, changes.SURE_CHANGE  # "stopped driving for Uber. I deliver for DoorDash now"
    return None


# Something the user does for, at or with a named organisation: "User drives for Uber.", "User is teaching
# maths at St Anne's." One ended and another said "now" in the same turn are the same place in their life.
_AT_A_NAME = re.compile(r"^User (?:[\w']+ ){1,3}?(?:for|at|with) (?:the )?(?-i:[A-Z])", re.IGNORECASE)


def _successor(held: MemoryItem, ended: Clause, made: Made) -> tuple[str, list[ProposedFact], float] | None:
    """A value named as the replacement in another clause ("started italian instead")."""
    for clause, found in made:
        if clause is ended or clause.mood not in _ASSERTIVE or any(p.event != Event.ADD for p in found):
            continue
        value = changes.successor(clause.text, started=True)
        if not value or targets.content(value) <= targets.content(held.text):
            continue
        if _same_kind(value, held.text) or _same_kind(clause.text, held.text):  # "a gym called X"
            return value, found, changes.SURE_CHANGE
    return _joined(held, ended, made)


def _joined(held: MemoryItem, ended: Clause, made: Made) -> tuple[str, list[ProposedFact], float] | None:
    """A named organisation the user went to, after a named one ended: "left swift, running with Schneider
    now", "quit Infosys and joined Zoho". Both must be names, and not of different kinds ("quit Acme, joined
    Planet Fitness" is a gym, not an employer): "quit the swim team, joined a chess club" pairs nothing."""
    if not proper_nouns(held.text.removeprefix("User")):
        return None
    for clause, found in made:
        if clause is ended or clause.mood not in _ASSERTIVE or any(p.event != Event.ADD for p in found):
            continue
        value = changes.joined(clause.text, clause.lowercase)
        if not value or targets.content(value) <= targets.content(held.text):
            continue
        new_kinds, held_kinds = kinds.kinds_of(value), kinds.kinds_of(held.text)
        if new_kinds and not new_kinds & held_kinds:
            continue
        return value, found, changes.SURE_CHANGE
    return None


_MARKERS = re.compile(r"\b(?:now|instead|these days|nowadays|for me|full[- ]time|only|too|mostly)\b", re.I)
_VALUE_LEAD = re.compile(
    r"^(?:(?:fully|totally|completely|finally|all)\s+)?"
    r"(?:(?:i'm|i am|i|it's|it is|we're|we are|we)\s+)?(?:using\s+)?"
    r"(?:(?:on|at|with|using|got|get|have|use|switched to|moved to|to|into)\s+)?(?:(?:a|an|the)\s+)?",
    re.I,
)
_PREPOSITIONS = {"in", "at", "on", "with", "for", "from", "to", "into", "of", "by", "about"}
_VALUE_END = re.compile(r"\s+(?:in|at|for|with|on|from|because|since|and|but|so)\b.*$", re.I)


def _marked_update(
    gone: ProposedFact, ended: Clause, made: Made, ids: dict[str, MemoryItem], taken: set[str]
) -> ProposedFact | None:
    """The ended fact with its value swapped for the one the turn has "now", when the fact keeps its verb
    ("User uses Windows." -> "User uses Linux Mint."; "User vapes." has no value to swap)."""
    value = _marked_value(ended, made)
    if value is None or value.lower() in taken or gone.target is None:
        return None
    sure = min(targets.LIKELY, gone.confidence or 1.0)
    update = changes.replace(gone.target, ended.text, value, ended.lowercase, ids, sure)
    if (update.text or "").split()[:2] != ids[gone.target].text.split()[:2]:
        return None
    taken.add(value.lower())
    return update


def _marked_value(ended: Clause, made: Made) -> str | None:
    """The thing the turn names as what the user has "now" or "instead", in a clause that made nothing
    else of it ("ditched windows, on linux mint full time now"; "used to be a leafs fan but these days
    it's the Canucks"; "canceled netflix and got Disney+ instead"): a noun, never a state ("unemployed")."""
    parts = []
    tail = re.search(r"\b(?:but|and)\s+(?P<rest>.+)$", ended.text, re.I)
    if tail and _MARKED.search(tail["rest"]):
        parts.append(tail["rest"])
    parts += [c.text for c, found in made if c is not ended and not found and c.mood not in SAYS_NOTHING]
    return next((value for part in parts if (value := _value_now(part)) is not None), None)


def _value_now(part: str) -> str | None:
    """The thing a clause names as what the user has "now" or "instead", as a noun: "on linux mint full
    time now" -> "linux mint"; never a state ("unemployed")."""
    value = _value_said(part)
    if value and re.fullmatch(DURATION, value, re.I):
        return None  # "3 weeks now": how long, not what
    return value if value and parse.names_a_thing(value) else None


def _value_said(part: str) -> str | None:
    """What a clause says the user has "now" or "instead", or None: "cooking at a restaurant" and "in an
    apartment" are other facts, not a held one's value."""
    if not _MARKED.search(part):
        return None
    value = _VALUE_LEAD.sub("", " ".join(_MARKERS.sub(" ", part).split()))
    value = _VALUE_END.sub("", value).strip(" .,!")
    first = value.split()[0].lower() if value else ""
    if not value or first.endswith("ing") or first in _PREPOSITIONS or len(value.split()) > 4:
        return None
    return value


def _switched(made: Made, ids: dict[str, MemoryItem], proposals: list[ProposedFact]) -> list[ProposedFact]:
    """A held thing of a kind one has one of at a time, replaced by another of that kind said "now" with no
    ending ("fully on neovim now" while "User uses VS Code."): an UPDATE, asked when unsure."""
    touched = {p.target for p in proposals if p.target}
    out: list[ProposedFact] = []
    for clause, found in made:
        # a clause without the user as its subject that made nothing: "fully on neovim now", "a tesla now"
        if found or clause.mood != Mood.THIRD_PARTY or (value := _value_said(clause.text)) is None:
            continue
        kind = kinds.single(value)
        if kind is None or not kinds.named(re.sub(r"^(?:a|an|the|my)\s+", "", value, flags=re.I), kind):
            continue
        held = [sid for sid, item in ids.items() if sid not in touched and kinds.single(item.text) == kind]
        if len(held) == 1 and not targets.content(value) <= targets.content(ids[held[0]].text):
            out.append(
                changes.replace(held[0], ids[held[0]].text, value, clause.lowercase, ids, targets.LIKELY)
            )
            touched.add(held[0])
    return out


def other_relation(found: list[ProposedFact], held: MemoryItem) -> bool:
    """A clause read as a fact of another relation than the held one cannot name its successor: "not
    allergic to penicillin after all … on levothyroxine now" (an allergy ended, a medicine taken)."""
    family = slot_family(held.slot)
    return family is not None and any(p.slot and slot_family(p.slot) != family for p in found)


def _keyed(slot: str | None) -> bool:
    """A slot per value ("plays:fortnite"), not a single-valued one ("employer") that a verb alone
    ("works at" / "works as") cannot pair."""
    return slot is None or ":" in slot


def _same_kind(new: str, held: str) -> bool:
    return bool(kinds.kinds_of(new) & kinds.kinds_of(held))


def _same_verb(new: str, held: str) -> bool:
    """ "User plays valorant." and "User mostly plays League of Legends." share their verb."""
    verbs = [_verb(t) for t in (new, held)]
    return verbs[0] is not None and verbs[0] == verbs[1] and verbs[0] not in _WEAK_VERBS


def _verb(text: str) -> str | None:
    words = [w for w in text.split()[1:3] if w.lower() not in {"mostly", "still", "usually", "now", "also"}]
    return words[0].lower() if words else None


def _replaces(new: str, held: str | None) -> bool:
    """A fact of slot ``new`` may replace one of slot ``held`` across slots: a partner's name and a
    relationship status, either way; a new employer an ended job ("left security, got a civil service job at
    the MOD"), but not a new job title an ended employer ("no longer at Acme, a freelance designer now":
    the user may have no employer now)."""
    if held is None:
        return False
    if PARTNER.match(new) and PARTNER.match(held):
        return True
    return new == "employer" and held == "job_title"
