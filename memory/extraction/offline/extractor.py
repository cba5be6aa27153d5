"""The offline extractor: read each clause's mood, then let only the right clauses make proposals.

Statements give facts (a specific rule's, else a change or an ending of a held fact, else the generic
first-person fact); retractions give DELETEs of what they name; plans give plan memories; requests
may be commands; questions, hypotheticals, possibilities, quotes, other people and idioms give nothing
(the caller keeps the turn itself as an episodic memory either way). A retraction and a new value for
the same slot in one turn become one UPDATE ("I left Acme; now I work at Globex"), and so do an ending
and what replaced it ("left acme. now at globex") or a new value and the one it corrects ("Rob, not Bobby").
"""

from __future__ import annotations

import re

from memory.extraction import Extraction, ProposedFact, Turn, short_ids
from memory.extraction.offline import (
    changes,
    clauses,
    commands,
    diet,
    ended,
    engaged,
    fragments,
    generic,
    interpreter,
    jobless,
    kinds,
    moves,
    naming,
    pairing,
    retraction,
    status,
    substitution,
    targets,
)
from memory.extraction.offline.clauses import Mood
from memory.extraction.offline.names import proper_nouns
from memory.types import Event, MemoryItem, MemoryType

_NEGATED = re.compile(r"^i(?:'m not| am not| don't| do not)\b", re.IGNORECASE)
_NOW = re.compile(r"\b(?:now|these days|nowadays|anymore)\b", re.IGNORECASE)
_ASSERTIVE = (Mood.STATEMENT, Mood.RETRACTION)


class OfflineExtractor:
    """Rules over the user's clauses; no network, deterministic, fast."""

    name = "offline"

    def extract(self, turn: Turn, related: list[MemoryItem]) -> Extraction:
        result = Extraction(extractor=self.name, turn_entities=proper_nouns(turn.text))
        if turn.role != "user":
            return result
        ids = short_ids(related)
        proposals: list[ProposedFact] = []
        made: list[tuple[clauses.Clause, list[ProposedFact]]] = []
        previous: tuple[clauses.Clause, list[ProposedFact]] | None = None
        said = naming.attach(clauses.split(turn.text, turn.from_document))
        for clause in said:
            found = self._clause(clause, ids, turn.from_document)
            if not turn.from_document:
                found = _follow_up(clause, found, previous, proposals, ids)
                if not found and previous is not None and previous[0].mood == Mood.REQUEST:
                    found = commands.more_to_forget(previous[0].text, clause.text, clause.lowercase, ids)
            proposals.extend(found)
            previous = (clause, found)
            made.append(previous)
        kept = [(c, [p for p in found if p in proposals]) for c, found in made]
        if not turn.from_document:
            kept = ended.attach(kept, ids)
        result.facts = _merge(pairing.pair(kept, ids), ids)
        if not turn.from_document:
            result.facts = substitution.apply(turn.text, result.facts, ids)
            result.facts = ended.retirement(said, result.facts, ids)
            result.facts = moves.apply(said, result.facts, ids)
            result.facts = status.apply(said, result.facts, ids)
            result.facts = jobless.apply(said, result.facts, ids)
            result.facts = diet.apply(said, result.facts, ids)
            result.facts = engaged.apply(said, result.facts, ids)
            result.facts = fragments.apply(said, result.facts)
            result.warnings += _nothing_to_forget(said, result.facts)
        return result

    def _clause(
        self, clause: clauses.Clause, ids: dict[str, MemoryItem], from_document: bool
    ) -> list[ProposedFact]:
        text, low = clause.text, clause.lowercase
        if clause.mood == Mood.STATEMENT:
            found = [f.added("stated by the user") for f in interpreter.facts(text, low)]
            if found:
                return found + retraction.never(found, ids)
            if _NEGATED.match(text):
                # "I'm not vegetarian": retracts a held fact it names (retraction.negated)
                return retraction.negated(text, low, ids)
            if from_document:
                return []
            for reading in (changes.change(text, low, ids), changes.ending(text, ids)):
                if reading is not None:
                    return reading
            return _generic(text, ids)
        if clause.mood == Mood.RETRACTION:
            changed = None if from_document else changes.change(text, low, ids)
            if changed and any(p.target for p in changed):
                return changed  # "left acme for initech"
            found = retraction.retract(text, low, ids)
            if any(p.target for p in found) or from_document:
                return found
            ended = changes.ending(text, ids)
            return ended if ended and any(p.target for p in ended) else found or ended or []
        if clause.mood == Mood.PLAN:
            plan = interpreter.plan(text, low)
            return [plan.added("a plan of the user's", targets.LIKELY)] if plan else []
        if clause.mood == Mood.THIRD_PARTY:
            return [f.added("stated by the user") for f in interpreter.facts(text, low, only_family=True)]
        if clause.mood == Mood.REQUEST and not from_document:
            return commands.command(text, low, ids)
        return []


def _generic(text: str, ids: dict[str, MemoryItem]) -> list[ProposedFact]:
    """The generic fact of a clause no rule reads; stated "now" against a held rival of the same kind
    and verb ("I play bass now" while "User plays guitar."), it replaces that rival."""
    fact = generic.fact(
        re.sub(
            r"(?:\s+(?:now|instead|these days|nowadays|btw|lol|haha|lmao|tbh|though|tho|ugh|fyi|rn|ngl|smh|imo|"
            r"sigh|yay|woo+|omg))+$",
            "",
            text,
            flags=re.I,
        )
    )
    if fact is None or targets.covered(fact.text, ids):
        return []
    proposal = fact.added("stated by the user", targets.LIKELY)
    wanted = kinds.kinds_of(fact.value)
    if _NOW.search(text) and wanted:
        verb = fact.text.split()[1]
        for sid, item in ids.items():
            words = item.text.split()
            if len(words) > 1 and words[1] == verb and wanted & kinds.kinds_of(item.text):
                return [proposal.model_copy(update={"event": Event.UPDATE, "target": sid})]
    return [proposal]


def _nothing_to_forget(said: list[clauses.Clause], facts: list[ProposedFact]) -> list[str]:
    """An order to forget that named nothing held says so, rather than leave the user to believe it."""
    orders = [clause.text for clause in said if clauses.forget_order(clause)]
    if not orders or any(fact.event == Event.DELETE for fact in facts):
        return []
    return [f"Nothing I remember matched “{orders[0]}”, so nothing was forgotten."]


def _follow_up(
    clause: clauses.Clause,
    found: list[ProposedFact],
    previous: tuple[clauses.Clause, list[ProposedFact]] | None,
    proposals: list[ProposedFact],
    ids: dict[str, MemoryItem],
) -> list[ProposedFact]:
    """A clause read with the one before it: "left acme. now at globex" and "Rob now, not Bobby" are
    each one UPDATE of the held fact, not a DELETE and an ADD; so is "stop calling me Sam, it's Samantha"."""
    for stopped in previous[1] if previous is not None and not found else []:
        renamed = commands.renamed(clause.text, clause.lowercase, stopped, ids)
        if stopped.event == Event.DELETE and renamed is not None:
            proposals.remove(stopped)
            return [renamed]
    if clause.mood not in _ASSERTIVE:
        return found
    gone = next((p for p in reversed(proposals) if p.event == Event.DELETE and p.target in ids), None)
    new = changes.successor(clause.text)
    if gone is not None and new and not pairing.other_relation(found, ids[gone.target]):
        proposals.remove(gone)
        old = gone.text or ""
        return [changes.replace(gone.target, old, new, clause.lowercase, ids)]
    old = changes.corrected(clause.text)
    if old is None or previous is None:
        return found
    sid = targets.about(old, ids)
    before, made = previous
    if sid is None:
        return found
    added = [p for p in made if p.event == Event.ADD and p.type == MemoryType.SEMANTIC]
    # "I speak English and Dutch, not French" while English is held: Dutch is the correction.
    added = [p for p in added if not targets.covered(p.text or "", ids)] or added
    if added:
        for p in added:
            if p in proposals:
                proposals.remove(p)
        return [added[0].model_copy(update={"event": Event.UPDATE, "target": sid, "reason": changes.CHANGED})]
    if before.mood in _ASSERTIVE or re.match(r"^it(?:'s| is)\b", before.text, re.I):
        value = changes.correction_value(before.text)
        if value:
            return [changes.replace(sid, old, value, clause.lowercase, ids)]
    return found


def _merge(proposals: list[ProposedFact], ids: dict[str, MemoryItem]) -> list[ProposedFact]:
    """One proposal per fact; a DELETE followed by a new value of the same slot becomes an UPDATE."""
    out: list[ProposedFact] = []
    for fact in proposals:
        if fact.event == Event.ADD and fact.slot:
            gone = next((p for p in out if p.event == Event.DELETE and _slot_of(p, ids) == fact.slot), None)
            if gone is not None:
                out.remove(gone)
                fact = fact.model_copy(
                    update={
                        "event": Event.UPDATE,
                        "target": gone.target,
                        "confidence": min(fact.confidence or 1.0, gone.confidence or 1.0),
                    }
                )
        if any(p.event == fact.event and p.text == fact.text and p.target == fact.target for p in out):
            continue
        out.append(fact)
    return out


def _slot_of(proposal: ProposedFact, ids: dict[str, MemoryItem]) -> str | None:
    if proposal.target and proposal.target in ids:
        return ids[proposal.target].slot
    return proposal.slot
