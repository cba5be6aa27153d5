"""Deterministic extractor for when no LLM is configured: first-person facts, commands and retractions.

Each rule maps a sentence to a normalised fact ("User lives in Boston.") with a ``slot`` for
single-valued facts, so a later value for the same slot becomes an UPDATE in ``memory.reconcile``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from memory.extraction import Extraction, ProposedFact, Turn, short_ids
from memory.types import Event, MemoryItem, MemoryType, Relation

_END = r"(?=[.!?;,]|\s+(?:and|but|because|since|so|now|as|last|this|next|yesterday|today|recently|for|with|in \d{4})\b|$)"
_VAL = r"(?P<v>(?:(?:St|Dr|Mt|Ft|Mr|Mrs|Ms)\.\s|[^.!?;,]){1,80}?)"
_SENT = re.compile(r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bSt\.)(?<!\bMrs\.)(?<!\bProf\.)(?<=[.!?])\s+|\n+")
_TRIM = " .!?,;:'\""


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str]], tuple[str, str | None, Relation | None]]  # text, slot, triple


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _clean(value: str) -> str:
    value = value.strip(_TRIM)
    value = re.sub(r"^(?:the|a|an)\s+(?=[A-Z])", "", value)
    return re.sub(r"\s+", " ", value)


def _key(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")


def _fact(text: str, slot: str | None, rel: str | None, obj: str) -> tuple[str, str | None, Relation | None]:
    return text, slot, Relation(subject="User", relation=rel, object=obj) if rel else None


_FAMILY = (
    "wife|husband|partner|girlfriend|boyfriend|fiancee?|son|daughter|mom|mother|dad|father|brother|sister|"
    "dog|cat|puppy|kitten|pet|boss|manager|best friend|roommate"
)
_SINGLE_FAMILY = {
    "wife",
    "husband",
    "partner",
    "girlfriend",
    "boyfriend",
    "fiance",
    "fiancee",
    "mom",
    "mother",
    "dad",
    "father",
    "boss",
    "manager",
    "roommate",
}

_OCCUPATION = re.compile(
    r"(?:er|or|ist|ian|ant|ent|nurse|doctor|chef|student|pilot|architect|engineer|scientist|dentist|"
    r"surgeon|therapist|lawyer|nanny|barista|clerk|cook|coach|tutor|vet|farmer|artist|actor|poet)$",
    re.IGNORECASE,
)
_NOT_OCCUPATION = {
    "vegetarian",
    "fan",
    "user",
    "member",
    "parent",
    "beginner",
    "big fan",
    "fast learner",
    "mother",
    "father",
    "brother",
    "sister",
    "daughter",
    "son",
    "introvert",
    "extrovert",
    "early bird",
    "night owl",
    "newcomer",
    "customer",
    "owner",
    "survivor",
    "believer",
    "foreigner",
}


def _occupation(m: re.Match[str]) -> tuple[str, str | None, Relation | None]:
    job = _clean(m["v"])
    if job.lower() in _NOT_OCCUPATION or not _OCCUPATION.search(job) or len(job.split()) > 4:
        return "", None, None
    return _fact(f"User works as {_article(job)}.", "job_title", "works_as", job)


_RULES: list[_Rule] = [
    _Rule(
        _r(rf"\b(?:i|we)(?:'ve| have)? (?:just |recently )?moved from [^.!?;,]+? to {_VAL}{_END}"),
        lambda m: _fact(f"User lives in {_clean(m['v'])}.", "home_city", "lives_in", _clean(m["v"])),
    ),
    _Rule(_r(rf"\bi(?:'m| am) (?:an? )(?P<v>[a-z][a-z -]{{1,40}}?)(?= at | for |{_END[3:]}"), _occupation),
    _Rule(
        _r(rf"\bi(?:'m| am) (?:an? )[a-z][a-z -]{{1,40}}? (?:at|for) {_VAL}{_END}"),
        lambda m: _fact(f"User works at {_clean(m['v'])}.", "employer", "works_at", _clean(m["v"])),
    ),
    _Rule(
        re.compile(rf"\b(?i:my) (?P<r>(?i:{_FAMILY})) (?P<v>[A-Z][a-zA-Z'-]+)(?= [a-z]|{_END[3:]}"),
        lambda m: _fact(
            f"User's {m['r'].lower()} is named {m['v']}.",
            f"family:{_key(m['r'])}"
            if m["r"].lower() in _SINGLE_FAMILY
            else f"family:{_key(m['r'])}:{_key(m['v'])}",
            f"has_{_key(m['r'])}",
            m["v"],
        ),
    ),
    _Rule(
        _r(
            rf"\bi have (?:a|an|one) (?P<r>dog|cat|puppy|kitten|parrot|rabbit|hamster|horse|pet) (?:named|called) {_VAL}{_END}"
        ),
        lambda m: _fact(
            f"User's {m['r'].lower()} is named {_clean(m['v'])}.",
            f"family:{_key(m['r'])}:{_key(m['v'])}",
            f"has_{_key(m['r'])}",
            _clean(m["v"]),
        ),
    ),
    _Rule(
        _r(
            rf"\bi have (?P<n>a|an|one|two|three|four|five|\d+) (?P<r>kids|children|sons|daughters|son|daughter|brothers|sisters|brother|sister|dogs|cats|dog|cat){_END}"
        ),
        lambda m: _fact(
            f"User has {m['n'].lower()} {m['r'].lower()}.",
            f"count:{_key(m['r']).rstrip('s')}",
            f"has_{_key(m['r'])}",
            f"{m['n']} {m['r']}",
        ),
    ),
    _Rule(
        _r(rf"\bi(?:'m| am) (?:happily )?married to {_VAL}{_END}"),
        lambda m: _fact(
            f"User is married to {_clean(m['v'])}.", "family:spouse", "married_to", _clean(m["v"])
        ),
    ),
    _Rule(
        _r(rf"\bi(?:'m| am) (?:currently )?(?:learning|studying) {_VAL}{_END}"),
        lambda m: _fact(
            f"User is learning {_clean(m['v'])}.", f"learning:{_key(m['v'])}", "learning", _clean(m["v"])
        ),
    ),
    _Rule(
        _r(rf"\bi(?:'m| am) (?:really |just )?not (?:a|much of a|really a) (?:big )?fan of {_VAL}{_END}"),
        lambda m: _fact(
            f"User dislikes {_clean(m['v'])}.", f"likes:{_key(m['v'])}", "dislikes", _clean(m["v"])
        ),
    ),
    _Rule(
        _r(rf"\bi (?:don't|do not|never) eat {_VAL}{_END}"),
        lambda m: _fact(
            f"User doesn't eat {_clean(m['v'])}.", f"eats:{_key(m['v'])}", "avoids_eating", _clean(m["v"])
        ),
    ),
    _Rule(
        _r(rf"\bmy name is {_VAL}{_END}"),
        lambda m: _fact(f"User's name is {_clean(m['v'])}.", "name", "name_is", _clean(m["v"])),
    ),
    _Rule(
        _r(r"\bi(?:'m| am) (?P<n>\d{1,3}) years? old"),
        lambda m: _fact(f"User is {m['n']} years old.", "age", "age_is", m["n"]),
    ),
    _Rule(
        _r(
            rf"\b(?:i|we)(?:'ve| have)? (?:just |recently |finally )?(?:moved|relocated)(?: back)? (?:to|into) {_VAL}{_END}"
        ),
        lambda m: _fact(f"User lives in {_clean(m['v'])}.", "home_city", "lives_in", _clean(m["v"])),
    ),
    _Rule(
        _r(
            rf"\b(?:i|we)(?: am| are|'m|'re|'ve been| have been)? (?:still |now |currently )?(?:live|living) in {_VAL}{_END}"
        ),
        lambda m: _fact(f"User lives in {_clean(m['v'])}.", "home_city", "lives_in", _clean(m["v"])),
    ),
    _Rule(
        _r(rf"\bi(?:'m| am) (?:originally )?from {_VAL}{_END}"),
        lambda m: _fact(f"User is from {_clean(m['v'])}.", "hometown", "from", _clean(m["v"])),
    ),
    _Rule(
        _r(rf"\bi (?:work as|am working as|'m working as|got a job as|became) (?:a |an )?{_VAL}{_END}"),
        lambda m: _fact(
            f"User works as {_article(_clean(m['v']))}.", "job_title", "works_as", _clean(m["v"])
        ),
    ),
    _Rule(
        _r(
            rf"\bi (?:now )?(?:work|am working|'m working|started working|started a new job|got a job|just started) (?:at|for) {_VAL}{_END}"
        ),
        lambda m: _fact(f"User works at {_clean(m['v'])}.", "employer", "works_at", _clean(m["v"])),
    ),
    _Rule(
        _r(rf"\bi (?:just )?joined {_VAL}{_END}"),
        lambda m: _fact(f"User works at {_clean(m['v'])}.", "employer", "works_at", _clean(m["v"])),
    ),
    _Rule(
        _r(rf"\bi(?:'m| am) (?:severely |very )?allergic to {_VAL}{_END}"),
        lambda m: _fact(
            f"User is allergic to {_clean(m['v'])}.", f"allergy:{_key(m['v'])}", "allergic_to", _clean(m["v"])
        ),
    ),
    _Rule(
        _r(
            rf"\bi(?:'m| am) (?:a )?(?P<d>vegetarian|vegan|pescatarian|gluten[- ]free|lactose intolerant|diabetic){_END}"
        ),
        lambda m: _fact(f"User is {m['d'].lower()}.", "diet", "diet_is", m["d"].lower()),
    ),
    _Rule(
        _r(rf"\bmy (?:favou?rite) (?P<k>[a-z ]{{2,30}}?) (?:is|are) {_VAL}{_END}"),
        lambda m: _fact(
            f"User's favorite {m['k'].strip().lower()} is {_clean(m['v'])}.",
            f"favorite:{_key(m['k'])}",
            f"favorite_{_key(m['k'])}",
            _clean(m["v"]),
        ),
    ),
    _Rule(
        _r(rf"\bmy (?P<r>{_FAMILY})(?:'s name is| is (?:named|called)|, | named | called ){_VAL}{_END}"),
        lambda m: _fact(
            f"User's {m['r'].lower()} is named {_clean(m['v'])}.",
            f"family:{_key(m['r'])}"
            if m["r"].lower() in _SINGLE_FAMILY
            else f"family:{_key(m['r'])}:{_key(m['v'])}",
            f"has_{_key(m['r'])}",
            _clean(m["v"]),
        ),
    ),
    _Rule(
        _r(rf"\bmy birthday is (?:on )?{_VAL}{_END}"),
        lambda m: _fact(f"User's birthday is {_clean(m['v'])}.", "birthday", "birthday_is", _clean(m["v"])),
    ),
    _Rule(
        _r(rf"\bi speak {_VAL}{_END}"),
        lambda m: _fact(f"User speaks {_clean(m['v'])}.", f"speaks:{_key(m['v'])}", "speaks", _clean(m["v"])),
    ),
    _Rule(
        _r(
            rf"\bi (?:really |absolutely |also )?(?P<p>love|like|enjoy|adore|prefer|hate|dislike|can't stand|cannot stand|don't like|do not like) {_VAL}{_END}"
        ),
        lambda m: _preference(m["p"].lower(), _clean(m["v"])),
    ),
]

_POSITIVE = {"love": "loves", "like": "likes", "enjoy": "enjoys", "adore": "loves", "prefer": "prefers"}


def _preference(verb: str, value: str) -> tuple[str, str | None, Relation | None]:
    if verb in _POSITIVE:
        return _fact(f"User {_POSITIVE[verb]} {value}.", f"likes:{_key(value)}", "likes", value)
    return _fact(f"User dislikes {value}.", f"likes:{_key(value)}", "dislikes", value)


def _article(value: str) -> str:
    return (
        value
        if re.match(r"^(a|an|the)\b", value, re.I)
        else ("an " if value[:1].lower() in "aeiou" else "a ") + value
    )


_REMEMBER = _r(r"^(?:please\s+)?(?:remember|note|keep in mind)(?: that)?\s+(?P<v>.+)$")
_FORGET = _r(r"^(?:please\s+)?(?:forget|delete|remove)(?: (?:that|about|the fact that|my))?\s+(?P<v>.+)$")
_RULE = _r(
    r"^(?:please\s+)?(?:from now on,?\s*|going forward,?\s*|in (?:the )?future,?\s*)?(?:please\s+)?"
    r"(?P<v>(?:always|never|don't ever|do not ever|stop|only|call me|address me as|answer|reply|respond|use|write|keep|"
    r"(?:don't|do not) (?:use|call|mention|include|add|write|reply|respond|answer|send|give|show|ask|recommend|suggest))"
    r"\b.+)$"
)
# An imperative that may be about this turn only becomes a rule with "please" / "from now on"...,
# unless it plainly speaks of the assistant's answers ("Keep your answers short").
_RULE_NEEDS_PREFIX = _r(
    r"^(?:answer|reply|respond|use|write|keep(?! (?:your |the |all |my )?(?:answers|replies|responses)))\b"
)
_NO_LONGER = [
    _r(r"\bi (?:no longer|stopped|quit|left)\s+(?P<v>.+?)(?:\s+any\s?more)?$"),
    _r(r"\bi (?:don't|do not)\s+(?P<v>.+?)\s+any\s?more$"),
    _r(r"\bi(?:'m| am) no longer\s+(?P<v>.+?)(?:\s+any\s?more)?$"),
    _r(r"\bi(?:'m| am) not\s+(?P<v>.+?)\s+any\s?more$"),
]
_RETRACT_SLOTS = {
    r"\b(?:live|living)\b": "home_city",
    r"\b(?:work|working|job|employed|quit|left)\b": "employer",
    r"\b(?:vegetarian|vegan|pescatarian)\b": "diet",
}
_STOP = {
    "i",
    "my",
    "me",
    "the",
    "a",
    "an",
    "to",
    "in",
    "at",
    "of",
    "that",
    "is",
    "am",
    "are",
    "and",
    "about",
    "user",
    "user's",
    "any",
    "more",
    "anymore",
}


def _tokens(text: str) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9']+", text.lower()) if t not in _STOP and len(t) > 1}


def _best_match(value: str, related: dict[str, MemoryItem]) -> str | None:
    """The short id of the non-episodic related memory sharing most words with ``value``."""
    want = _tokens(value)
    best, best_score = None, 0.0
    for sid, item in related.items():
        if item.type == MemoryType.EPISODIC:
            continue
        have = _tokens(item.text)
        if not want or not have:
            continue
        score = len(want & have) / len(want)
        if score > best_score:
            best, best_score = sid, score
    return best if best_score >= 0.5 else None


_PROPER = re.compile(r"\b([A-Z][a-zA-Z'’-]+(?:\s+(?:of|de|la|van|von)?\s*[A-Z][a-zA-Z'’-]+)*)")
_NOT_ENTITIES = {
    "I",
    "I'm",
    "I've",
    "I'd",
    "I'll",
    "Hey",
    "Hi",
    "Hello",
    "Thanks",
    "Thank",
    "Yes",
    "No",
    "Oh",
    "Wow",
    "The",
    "A",
    "An",
    "My",
    "It",
    "It's",
    "That",
    "This",
    "What",
    "When",
    "Where",
    "Who",
    "How",
    "Why",
    "Do",
    "Did",
    "Can",
    "Could",
    "Would",
    "Should",
    "Please",
    "And",
    "But",
    "So",
    "Also",
    "We",
    "You",
    "Yeah",
    "Sure",
    "Sounds",
    "Great",
    "Good",
    "Nice",
    "Awesome",
    "Cool",
    "Ok",
    "Okay",
    "That's",
    "Haha",
    "Just",
    "Let",
    "Let's",
    "Have",
    "Is",
    "Are",
    "Was",
    "Were",
    "If",
    "Not",
    "Me",
    "They",
    "He",
    "She",
    "There",
    "Here",
    "Well",
    "Really",
    "Definitely",
    "Absolutely",
    "Totally",
    "Yep",
    "Glad",
    "Congrats",
    "From",
    "Call",
    "Remember",
    "Forget",
    "What's",
    "Always",
    "Never",
    "Use",
    "Answer",
    "Reply",
    "Don't",
    "Going",
    "Keep",
    "Note",
    "Tell",
    "Give",
    "Any",
    "Some",
    "Our",
    "Your",
    "Their",
    "His",
    "Her",
}


def proper_nouns(text: str) -> list[str]:
    """Capitalised names in a text (a cheap entity list for the graph and for keyword boosts)."""
    out: list[str] = []
    for match in _PROPER.finditer(text):
        words = match.group(1).strip("'’-").split()
        while words and words[0] in _NOT_ENTITIES:
            words = words[1:]
        name = " ".join(words)
        if not name:
            continue
        if name not in out:
            out.append(name)
    return out


class OfflineExtractor:
    """Rules over the user's sentences; no network, deterministic, fast."""

    name = "offline"

    def extract(self, turn: Turn, related: list[MemoryItem]) -> Extraction:
        result = Extraction(extractor=self.name, turn_entities=proper_nouns(turn.text))
        if turn.role != "user":
            return result
        ids = short_ids(related)
        seen: set[tuple[str, str | None]] = set()
        for sentence in _SENT.split(turn.text):
            for fact in self._sentence(sentence.strip(), ids, turn.from_document) if sentence.strip() else []:
                if (fact.event, fact.text) not in seen:
                    seen.add((fact.event, fact.text))
                    result.facts.append(fact)
        return result

    def _sentence(self, sentence: str, ids: dict[str, MemoryItem], from_document: bool) -> list[ProposedFact]:
        core = sentence.strip(_TRIM)
        if not from_document:
            if m := _FORGET.match(core):
                return [self._retraction(m["v"], ids, reason="asked to forget")]
            if m := _RULE.match(core):
                rule = m["v"].strip(_TRIM)
                if not (_RULE_NEEDS_PREFIX.match(rule) and rule == core.strip(_TRIM)):
                    return [
                        ProposedFact(
                            event=Event.ADD,
                            text=_capital(rule) + ".",
                            type=MemoryType.PROCEDURAL,
                            slot=_rule_slot(rule),
                            reason="instruction from the user",
                        )
                    ]
            if m := _REMEMBER.match(core):
                return self._sentence(m["v"], ids, from_document) or [
                    ProposedFact(
                        event=Event.ADD, text=_capital(m["v"].strip(_TRIM)) + ".", reason="asked to remember"
                    )
                ]
        for pattern in _NO_LONGER:
            if m := pattern.search(core):
                return [self._retraction(m["v"], ids, reason="no longer true", sentence=core)]
        facts = []
        for rule in _RULES:
            for m in rule.pattern.finditer(core):
                text, slot, triple = rule.build(m)
                if not text:
                    continue
                facts.append(
                    ProposedFact(
                        event=Event.ADD,
                        text=text,
                        slot=slot,
                        entities=[triple.object] if triple else [],
                        relations=[triple] if triple else [],
                        reason="stated by the user",
                    )
                )
        return facts

    def _retraction(
        self, value: str, ids: dict[str, MemoryItem], reason: str, sentence: str = ""
    ) -> ProposedFact:
        slot = None
        for pattern, name in _RETRACT_SLOTS.items():
            if re.search(pattern, sentence or value, re.I):
                slot = name
                break
        target = _best_match(value, ids)
        if target is None and slot is None:
            # Preferences: "I don't like X anymore" retracts the like of X.
            m = re.match(r"(?:like|love|enjoy|eat|drink|play)\s+(?P<v>.+)$", value.strip(_TRIM), re.I)
            if m:
                slot = f"likes:{_key(_clean(m['v']))}"
        return ProposedFact(
            event=Event.DELETE,
            target=target,
            slot=None if target else slot,
            text=value.strip(_TRIM),
            reason=reason,
        )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rule_slot(rule: str) -> str | None:
    low = rule.lower()
    if low.startswith(("call me", "address me as")):
        return "rule:name"
    if m := re.search(
        r"\b(?:in|into)\s+(english|french|spanish|german|italian|portuguese|chinese|japanese|dutch|russian)\b",
        low,
    ):
        return "rule:language" if m else None
    return None
