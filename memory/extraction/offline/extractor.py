"""The offline extractor: read each clause's mood, then let only the right clauses make proposals.

Statements give facts; retractions give DELETEs of what they name; plans give plan memories; requests
may be commands; questions, hypotheticals, possibilities, quotes, other people and idioms give nothing
(the caller keeps the turn itself as an episodic memory either way). A retraction and a new value for
the same slot in one turn become one UPDATE ("I left Acme; now I work at Globex").
"""

from __future__ import annotations

import re

from memory.extraction import Extraction, ProposedFact, Turn, short_ids
from memory.extraction.offline import clauses, commands, interpreter, retraction, targets
from memory.extraction.offline.clauses import Mood
from memory.extraction.offline.names import proper_nouns
from memory.types import Event, MemoryItem

_NEGATED = re.compile(r"^i(?:'m not| am not| don't| do not)\b", re.IGNORECASE)


class OfflineExtractor:
    """Rules over the user's clauses; no network, deterministic, fast."""

    name = "offline"

    def extract(self, turn: Turn, related: list[MemoryItem]) -> Extraction:
        result = Extraction(extractor=self.name, turn_entities=proper_nouns(turn.text))
        if turn.role != "user":
            return result
        ids = short_ids(related)
        proposals: list[ProposedFact] = []
        for clause in clauses.split(turn.text):
            proposals.extend(self._clause(clause, ids, turn.from_document))
        result.facts = _merge(proposals, ids)
        return result

    def _clause(
        self, clause: clauses.Clause, ids: dict[str, MemoryItem], from_document: bool
    ) -> list[ProposedFact]:
        text, low = clause.text, clause.lowercase
        if clause.mood == Mood.STATEMENT:
            found = [f.added("stated by the user") for f in interpreter.facts(text, low)]
            if not found and _NEGATED.match(text):
                # "I'm not vegetarian": retracts the fact only when it is held.
                return [p for p in retraction.retract(text, low, ids) if p.target]
            return found
        if clause.mood == Mood.RETRACTION:
            return retraction.retract(text, low, ids)
        if clause.mood == Mood.PLAN:
            plan = interpreter.plan(text)
            return [plan.added("a plan of the user's", targets.LIKELY)] if plan else []
        if clause.mood == Mood.THIRD_PARTY:
            return [f.added("stated by the user") for f in interpreter.facts(text, low, only_family=True)]
        if clause.mood == Mood.REQUEST and not from_document:
            return commands.command(text, low, ids)
        return []


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
