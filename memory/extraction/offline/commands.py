"""Requests that change the memory: standing rules for the assistant, "forget ...", "remember ...".

Any other request ("Help me write an email") changes nothing. Text from an uploaded file is data and
never a command (the caller does not pass it here).
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import interpreter, targets
from memory.extraction.offline.clauses import command_text
from memory.types import Event, MemoryItem, MemoryType

_FORGET = re.compile(
    r"^(?:forget|delete|remove|erase)(?: (?:that|about|the fact that))?\s+(?P<v>.+)$", re.IGNORECASE
)
_REMEMBER = re.compile(r"^(?:remember|note|keep in mind)(?: that)?\s+(?P<v>.+)$", re.IGNORECASE)
_RULE = re.compile(
    r"^(?:from now on\s*|going forward\s*|in (?:the )?future\s*)?(?:please\s+)?"
    r"(?P<v>(?:(?:always|never)(?! (?:have|has|had|been|was|were|am|is|are|did|do)\b)|don't ever|do not ever|stop|only|call me|address me as|answer|reply|respond|use|"
    r"write|keep|(?:don't|do not) (?:use|call|mention|include|add|write|reply|respond|answer|send|give|show|"
    r"ask|recommend|suggest|bring up|talk about))\b.+)$",
    re.IGNORECASE,
)
# An imperative that may be about this turn only becomes a rule with "from now on" and the like, unless
# it plainly speaks of the assistant's answers ("Keep your answers short").
_NEEDS_MARKER = re.compile(
    r"^(?:answer|reply|respond|use|write|keep(?! (?:your |the |all |my )?(?:answers|replies|responses)))\b",
    re.IGNORECASE,
)
_STANDING = re.compile(
    r"^(?:from now on|going forward|in (?:the )?future)\b|\b(?:from now on|going forward)$", re.I
)
_LANGUAGE = re.compile(
    r"\b(?:in|into)\s+(english|french|spanish|german|italian|portuguese|chinese|japanese|dutch|russian)\b",
    re.I,
)


def command(clause: str, lowercase: bool, related: dict[str, MemoryItem]) -> list[ProposedFact]:
    text = command_text(clause)
    if m := _FORGET.match(text):
        return _forget(m["v"], lowercase, related)
    if m := _REMEMBER.match(text):
        said = m["v"].strip(" .!")
        found = interpreter.facts(said, lowercase)
        if found:
            return [_added(f.text, f.slot, f, "asked to remember") for f in found]
        return [_added(_third_person(said), None, None, "asked to remember")]
    if rule := _rule(text, lowercase):
        return [rule]
    return []


def _added(text: str, slot: str | None, fact: interpreter.Fact | None, reason: str) -> ProposedFact:
    return ProposedFact(
        event=Event.ADD,
        text=text,
        slot=slot,
        entities=[fact.value] if fact else [],
        relations=[fact.relation] if fact and fact.relation else [],
        reason=reason,
        confidence=targets.SURE,
    )


def _forget(phrase: str, lowercase: bool, related: dict[str, MemoryItem]) -> list[ProposedFact]:
    reason = "asked to forget"
    phrase = phrase.strip(" .!?")
    statement = re.sub(r"^my\b", "my", phrase)
    found = interpreter.facts(
        statement if re.match(r"^(?:i|my)\b", statement, re.I) else f"I {statement}", lowercase
    )
    proposals = targets.for_facts(found, related, reason) if found else []
    if not any(p.target for p in proposals):
        proposals = (
            targets.for_topic(phrase, related, reason)
            if re.match(r"^(?:where|what|how)\b", phrase, re.I)
            else []
        )
    return proposals or targets.for_words(phrase, related, reason)


def _rule(text: str, lowercase: bool) -> ProposedFact | None:
    m = _RULE.match(text)
    if m is None:
        return None
    rule = m["v"].strip(" .!")
    marked = bool(_STANDING.search(text))
    if _NEEDS_MARKER.match(rule) and not marked:
        return None
    low = rule.lower()
    if low.startswith(("call me", "address me as")):
        name = re.sub(r"^(?:call me|address me as)\s+", "", rule, flags=re.I)
        if not (name[:1].isupper() or lowercase):
            return None
    rule = re.sub(r"\s*,?\s*(?:from now on|going forward|in (?:the )?future|please)$", "", rule, flags=re.I)
    slot = "rule:name" if low.startswith(("call me", "address me as")) else None
    if slot is None and _LANGUAGE.search(low):
        slot = "rule:language"
    return ProposedFact(
        event=Event.ADD,
        text=rule[:1].upper() + rule[1:] + ".",
        type=MemoryType.PROCEDURAL,
        slot=slot,
        reason="instruction from the user",
        confidence=targets.SURE,
    )


def _third_person(text: str) -> str:
    text = re.sub(r"^my\b", "User's", text, flags=re.I)
    text = re.sub(r"^i'm\b|^i am\b", "User is", text, flags=re.I)
    text = re.sub(r"^i\b", "User", text, flags=re.I)
    text = re.sub(r"\bmy\b", "their", text, flags=re.I)
    return text[:1].upper() + text[1:] + "."
