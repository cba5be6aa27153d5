"""Requests that change the memory: standing rules for the assistant, "forget ...", "remember ...".

Any other request ("Help me write an email") changes nothing. Text from an uploaded file is data and
never a command (the caller does not pass it here).
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import interpreter, targets
from memory.extraction.offline.clauses import FORGET_VERBS, command_text
from memory.types import Event, MemoryItem, MemoryType

_FORGET = re.compile(
    rf"^(?:{FORGET_VERBS}|ignore|(?:don't|do not|not) (?:store|remember|keep|save)|"
    r"stop remembering)(?: (?:that|about|the fact that|anything about|everything about|"
    r"what i (?:said|told you) about|(?:that )?i (?:told you|said|mentioned) about|"
    r"(?:all |any )?(?:stored |saved )?(?:information|info|data|details|records?) (?:regarding|about|on|concerning|"
    r"related to|of)))?\s+(?P<v>.+)$",
    re.IGNORECASE,
)
# What a "forget ..." says around the thing to forget: "the scorpio thing i told you", "from your memory".
_FORGET_WRAPPING = re.compile(
    r"\b(?:from (?:your |the )?(?:memory|memories|notes|records?)|(?:that )?i (?:told|gave) you|"
    r"i (?:said|mentioned)|any ?more|for good|please|thing|stuff|info|information|details?)\b",
    re.IGNORECASE,
)
# "stop calling me Sunny", "you can stop answering in French": the end of a standing rule.
_STOP_RULE = re.compile(r"^stop (?:with )?(?P<v>(?:\w+ing|the)\b.+)$", re.IGNORECASE)
_REMEMBER = re.compile(r"^(?:remember|note|keep in mind)(?: that)?\s+(?P<v>.+)$", re.IGNORECASE)
_RULE = re.compile(
    r"^(?:from now on\s*|going forward\s*|in (?:the )?future\s*)?(?:please\s+)?"
    r"(?P<v>(?:(?:always|never)(?! (?:have|has|had|been|was|were|am|is|are|did|do)\b)|don't ever|do not ever|stop|only (?=(?:use|reply|answer|respond|write|speak|talk|give|show|recommend|suggest|tell|send|include|list|mention|ask|text|email)\b)|call me|address me as|answer|reply|respond|use|give me|"
    r"write|keep|(?:don't|do not) (?:use|call|mention|include|add|write|reply|respond|answer|send|give|show|"
    r"ask|recommend|suggest|bring up|talk about))\b.+)$",
    re.IGNORECASE,
)
# An imperative that may be about this turn only becomes a rule with "from now on" and the like, unless
# it plainly speaks of the assistant's answers ("Keep your answers short").
_NEEDS_MARKER = re.compile(
    r"^(?:answer|reply|respond|use|write|give me|"
    r"keep(?! (?:your |the |all |my )?(?:answers|replies|responses)| it (?:short|brief|simple|concise)))\b",
    re.IGNORECASE,
)
_STANDING = re.compile(
    r"^(?:from now on|going forward|in (?:the )?future)\b|\b(?:from now on|going forward|always)$|"
    r"\b(?:with|w) me$|\bwhen(?:ever)? you\b",
    re.I,
)
_LANGUAGE = re.compile(
    r"\b(?:in|into)\s+(english|french|spanish|german|italian|portuguese|chinese|japanese|dutch|russian)\b",
    re.I,
)


def _each(part: str, lowercase: bool, related: dict[str, MemoryItem]) -> list[str]:
    """ "my home address and telephone number": each thing, when each names a different held fact;
    else the part whole ("Barnes and Noble")."""
    pieces = [p.strip() for p in re.split(r"\s+and\s+", part) if p.strip()]
    if len(pieces) < 2:
        return [part]
    targets_ = [{p.target for p in _forget(piece, lowercase, related) if p.target} for piece in pieces]
    if all(len(t) == 1 for t in targets_) and len(set().union(*targets_)) == len(pieces):
        return pieces
    return [part]


def command(clause: str, lowercase: bool, related: dict[str, MemoryItem]) -> list[ProposedFact]:
    text = command_text(clause)
    if m := _FORGET.match(text):
        # "the bipolar thing and the lithium": each thing of a list
        parts = re.split(r",? and (?=the |my |where |what |that )|, (?=the |my )", m["v"], flags=re.I)
        found: list[ProposedFact] = []
        for part in parts:
            for piece in _each(part, lowercase, related):
                found += [
                    p for p in _forget(piece, lowercase, related) if p.target not in {f.target for f in found}
                ]
        return found
    if (m := _STOP_RULE.match(text)) and (ended := _rule_ended(m["v"], related)):
        return ended
    if m := _REMEMBER.match(text):
        said = m["v"].strip(" .!")
        found = interpreter.facts(said, lowercase)
        if found:
            return [f.added("asked to remember") for f in found]
        return [
            ProposedFact(
                event=Event.ADD, text=_third_person(said), reason="asked to remember", confidence=targets.SURE
            )
        ]
    if rule := _rule(text, lowercase):
        return [rule]
    return []


_MORE = re.compile(
    r"^(?:and )?(?:also )?(?:the|my|our|where|what|that|his|her)\b[\w' ]{0,40}$", re.IGNORECASE
)


def more_to_forget(
    before: str, clause: str, lowercase: bool, related: dict[str, MemoryItem]
) -> list[ProposedFact]:
    """The next thing of a "forget …" that the turn split off: "delete the salary thing, and where I work",
    "forget the bipolar thing and the lithium"."""
    if not _FORGET.match(command_text(before)) or not _MORE.match(clause.strip(" .!")):
        return []
    return _forget(re.sub(r"^(?:and )?(?:also )?", "", clause.strip(" .!"), flags=re.I), lowercase, related)


def _rule_ended(phrase: str, related: dict[str, MemoryItem]) -> list[ProposedFact]:
    """The held rule a "stop ...ing" names by its words ("calling me sunny" ends "Call me Sunny."); a name
    the user goes by is held as a fact ("User goes by Sunny.")."""
    sid = targets.about(phrase, related, MemoryType.PROCEDURAL)
    if sid is None and re.match(r"^(?:calling|addressing) me\b", phrase, re.I):
        sid = targets.about(phrase, related)
    return [targets.delete(sid, None, phrase, targets.LIKELY, "asked to stop")] if sid else []


def _forget(phrase: str, lowercase: bool, related: dict[str, MemoryItem]) -> list[ProposedFact]:
    reason = "asked to forget"
    phrase = " ".join(_FORGET_WRAPPING.sub(" ", phrase).split()).strip(" .!?,")
    if not phrase:
        return []
    if re.search(r"\brule\b", phrase, re.I):  # "forget the french rule"
        return _rule_ended(re.sub(r"\brule\b", "", phrase, flags=re.I), related)
    found = interpreter.facts(phrase if re.match(r"^(?:i|my)\b", phrase, re.I) else f"I {phrase}", lowercase)
    proposals = targets.for_facts(found, related, reason) if found else []
    if not any(p.target for p in proposals):
        proposals = (
            targets.for_topic(phrase, related, reason)
            if re.match(r"^(?:where|what|how|my)\b", phrase, re.I)
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


# The name said after "stop calling me Sam": "it's Samantha", "call me Sammy", "just Sam"; a name has its
# capital even in a lower-case turn ("stop calling me sam, it's annoying" renames nothing).
_NEW_NAME = re.compile(
    r"^(?:it's|it is|its|call me|i go by|my name is|it should be|just|i'm|i am) (?P<v>(?-i:[A-Z])[\w'-]*)[\s.!]*$",
    re.IGNORECASE,
)


def renamed(
    clause: str, lowercase: bool, ended: ProposedFact, related: dict[str, MemoryItem]
) -> ProposedFact | None:
    """ "stop calling me Sam, it's Samantha": the name rule that ended, replaced by the name said next."""
    held = related.get(ended.target or "")
    found = _NEW_NAME.match(clause.strip())
    if held is None or held.slot != "rule:name" or found is None:
        return None
    rule = _rule(f"call me {found['v']}", lowercase)
    if rule is None:
        return None
    return rule.model_copy(update={"event": Event.UPDATE, "target": ended.target, "reason": "asked to stop"})


def _third_person(text: str) -> str:
    text = re.sub(r"^my\b", "User's", text, flags=re.I)
    text = re.sub(r"^i'm\b|^i am\b", "User is", text, flags=re.I)
    text = re.sub(r"^i\b", "User", text, flags=re.I)
    text = re.sub(r"\bmy\b", "their", text, flags=re.I)
    return text[:1].upper() + text[1:] + "."
