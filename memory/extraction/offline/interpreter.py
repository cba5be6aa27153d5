"""Run the rule table over one clause: each matching row gives a fact (text, slot, graph triple).

Rows are tried in table order; a later row whose value overlaps a value already taken is skipped, so
"I'm a big fan of jazz" is a preference and not also the trait "big fan of jazz".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from memory.extraction import ProposedFact
from memory.extraction.offline import kinds, names, person, values
from memory.extraction.offline.rules import (
    ALIASES,
    ING,
    PLAN,
    PLAN_MOVING,
    PLAN_VERBS,
    RULES,
    SINGLE_FAMILY,
    Rule,
)
from memory.types import Event, Relation

SURE = 0.9  # the confidence of a proposal read straight from a rule


@dataclass(frozen=True)
class Fact:
    text: str
    slot: str | None
    relation: Relation | None
    value: str

    def added(self, reason: str, confidence: float = SURE) -> ProposedFact:
        """The ADD proposal for this fact."""
        return ProposedFact(
            event=Event.ADD,
            text=self.text,
            slot=self.slot,
            entities=[self.value],
            relations=[self.relation] if self.relation else [],
            reason=reason,
            confidence=confidence,
        )


_WORKS_AS = "User works as "
_OWNS = "owns:"
# What a job rule reads that is what the user is, not work they do.
_NOT_WORK = re.compile(r"\b(?:student|pupil|undergrad|undergraduate|retiree|pensioner)$", re.IGNORECASE)


@cache
def _compiled() -> list[tuple[re.Pattern[str], Rule]]:
    return [(re.compile(rule.pattern, re.IGNORECASE), rule) for rule in RULES]


def _fill(rule: Rule, value: str, match: re.Match[str]) -> Fact:
    groups = match.groupdict()
    r = (groups.get("r") or groups.get("r2") or "").lower().strip()
    r = ALIASES.get(r, r)
    rk = names.key(r)
    fields = {
        "v": value,
        "k": names.key(value),
        "r": r,
        "rk": rk,
        "a": values.article(value),
        "ra": values.article(r) if r else "",
        "f": f"family:{rk}" if rk in SINGLE_FAMILY else f"family:{rk}:{names.key(value)}",
    }
    relation = rule.relation.format(**fields) if rule.relation else None
    text = rule.template.format(**{**fields, "v": person.pronouns(value), "a": person.pronouns(fields["a"])})
    if text.startswith(_WORKS_AS) and _NOT_WORK.search(value):
        text = "User is " + text.removeprefix(_WORKS_AS)  # "User is a student.", not "works as"
    slot = rule.slot.format(**fields) if rule.slot else None
    if slot and slot.startswith(_OWNS):
        slot = kinds.single(value) or slot  # "I have a Samsung Galaxy S21": the user's phone, one at a time
    return Fact(
        text=text,
        slot=slot,
        relation=Relation(subject="User", relation=relation, object=value) if relation else None,
        value=value,
    )


_NEGATION = re.compile(r"\b(?:not|never|no longer)\b|n't\b", re.IGNORECASE)
_NEGATIVE_RULE = re.compile(r"not|n'?t\b|never|no longer|can'?t|stand|hate")  # the rule reads the negation


def facts(clause: str, lowercase: bool, only_family: bool = False) -> list[Fact]:
    """Facts stated by one assertive clause; ``only_family`` keeps, from a clause about someone else, the
    names of the user's relatives ("My wife Anna is a doctor") and what is said of the user ("my GP put me
    on sertraline")."""
    out: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for pattern, rule in _compiled():
        if only_family and rule.slot != "{f}" and not rule.of_user:
            continue
        for match in pattern.finditer(clause):
            said = clause[match.start() : match.start("v")] + " ".join(match["v"].split()[:1])
            if _NEGATION.search(said) and not _NEGATIVE_RULE.search(rule.pattern):
                continue  # "i am NOT becoming a red sox fan": a positive rule read through a negation
            found = values.read(rule.value, match["v"], lowercase)
            span = _span(match, found)
            if not found or any(span[0] < e and s < span[1] for s, e in taken):
                continue
            taken.append(span)
            out.extend(_fill(rule, value, match) for value in found)
    return out


def _span(match: re.Match[str], found: list[str]) -> tuple[int, int]:
    """Where the values read sit in the clause (the capture may run on past them)."""
    start, end = match.span("v")
    raw = match["v"].lower()
    hits = [(raw.find(v.lower()), len(v)) for v in found if raw.find(v.lower()) >= 0]
    if not hits:
        return start, end
    return start + min(h for h, _ in hits), start + max(h + n for h, n in hits)


_DESTINATION = re.compile(
    r"\b(?P<to>(?:move|relocate|go|fly|travel|head|get) (?:back )?to|visit) (?!(?:a|an|the|my|their|our|some)\b)"
    r"(?P<p>[a-z][a-z' ]*?)(?=(?: next| this| in| on| at| after| before| by| for| with| soon| later| when| once)\b|$)"
)


_CALENDAR = re.compile(
    r"\b(?:january|february|march|april|june|july|august|september|october|november|december|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)


def plan(clause: str, lowercase: bool = False) -> Fact | None:
    """A future plan as its own memory ("User plans to move to Denver."), never a current fact; in a
    lower-case turn the place it names is capitalised ("move to denver" -> "move to Denver")."""
    match = re.search(PLAN_MOVING, clause, re.I) or re.search(PLAN, clause, re.I)
    if match is None:
        return None
    words = match["v"].strip(" .!?").split()
    if not words:
        return None
    words[0] = ING.get(words[0].lower(), words[0])
    if words[0].lower() not in PLAN_VERBS:
        return None
    phrase = re.sub(r"\bmy\b", "their", " ".join(words), flags=re.I)
    phrase = re.sub(r"\s+(?:lol|haha|btw|!+)$", "", phrase)
    if lowercase:
        phrase = _DESTINATION.sub(lambda m: f"{m['to']} {names.place(m['p'], True) or m['p']}", phrase)
        phrase = _CALENDAR.sub(lambda m: m[0].capitalize(), phrase)
    core = names.trim(phrase) or phrase
    return Fact(
        text=f"User plans to {phrase}.",
        slot=f"plan:{names.key(core)[:60]}",
        relation=Relation(subject="User", relation="plans_to", object=core),
        value=core,
    )
