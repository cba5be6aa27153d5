"""Find which shown memory a retraction or a "forget ..." is about, and how sure that is.

A fact read from the retracted statement points at the memory of the same slot that holds the same
value (sure). With no such fact, the memory sharing most words is a guess (low confidence), which a
caller may confirm with the user before deleting.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import names
from memory.extraction.offline.interpreter import SURE, Fact
from memory.extraction.offline.rules import TOPICS
from memory.types import Event, MemoryItem, MemoryType

LIKELY, GUESS = 0.8, 0.5  # a slot or topic without the value; a target found by shared words
_STOP = set(
    """i my me the a an to in at of that is am are and about user user's any more anymore have has i'm
    don't not no longer into for with on from by up out off it this these those""".split()
)


def _norm(text: str) -> str:
    return " " + " ".join(re.sub(r"[^a-z0-9&]+", " ", text.lower()).split()) + " "


def _value_keyed(fact: Fact) -> bool:
    """A slot per value ("allergy:cats") can only ever hold that value."""
    return bool(fact.slot) and fact.slot.endswith(names.key(fact.value))


def delete(target: str | None, slot: str | None, text: str, confidence: float, reason: str) -> ProposedFact:
    return ProposedFact(
        event=Event.DELETE,
        target=target,
        slot=None if target else slot,
        text=text,
        reason=reason,
        confidence=confidence,
    )


def for_facts(found: list[Fact], related: dict[str, MemoryItem], reason: str) -> list[ProposedFact]:
    """DELETE proposals for the memories that state ``found`` (none when another value is held)."""
    out = []
    for fact in found:
        holders = {sid: m for sid, m in related.items() if fact.slot and m.slot == fact.slot}
        same = [sid for sid, m in holders.items() if _norm(fact.value) in _norm(m.text)]
        if same:
            out.append(delete(same[0], fact.slot, fact.text, SURE, reason))
        elif not holders and fact.slot:
            # The holder was not among the memories shown: retract the slot, surely only when it is keyed
            # by this very value ("likes:coffee"); a single-valued slot ("employer") is a guess.
            out.append(delete(None, fact.slot, fact.text, LIKELY if _value_keyed(fact) else GUESS, reason))
    return out


def topic_slots(phrase: str) -> list[str]:
    """The slots a phrase names by its topic, with no value, most specific first ("my home address" ->
    the street address, then the city)."""
    return [slot for pattern, slot in TOPICS.items() if re.search(pattern, phrase, re.I)]


def topic_slot(phrase: str) -> str | None:
    """The slot a phrase names by its topic ("where I work" -> "employer")."""
    return next(iter(topic_slots(phrase)), None)


def for_topic(phrase: str, related: dict[str, MemoryItem], reason: str) -> list[ProposedFact]:
    """ "forget where I work", "delete my home address and phone number": for each thing named, the
    memory of the most specific slot it names that a memory is held under."""
    out: list[ProposedFact] = []
    for part in re.split(r",|\band\b|&", phrase):
        for slot in topic_slots(part):
            holders = [sid for sid, m in related.items() if m.slot == slot]
            if holders:
                out.append(delete(holders[0], slot, part.strip(), LIKELY, reason))
                break
    return out


def for_words(phrase: str, related: dict[str, MemoryItem], reason: str) -> list[ProposedFact]:
    """The memory ``phrase`` is about by its content words (likely), else the non-episodic memory sharing
    most words with it, as a low-confidence guess."""
    sid = about(phrase, related) or (
        None if ranked_about(phrase, related) else about(phrase, related, MemoryType.PROCEDURAL)
    )  # no fact is about it, one rule is: "forget the Spanish thing" ends "Answer in Spanish."
    if sid is not None:
        return [delete(sid, None, phrase, LIKELY, reason)]
    ranked = ranked_about(phrase, related)
    if ranked:  # several held facts share as many words: which one is meant is asked
        return [delete(ranked[0][0], None, phrase, GUESS, reason)]
    want = {t for t in re.findall(r"[a-z0-9']+", phrase.lower()) if t not in _STOP and len(t) > 1}
    best, best_score = None, 0.0
    for sid, item in related.items():
        if item.type == MemoryType.EPISODIC or not want:
            continue
        have = {t for t in re.findall(r"[a-z0-9']+", item.text.lower()) if t not in _STOP}
        score = len(want & have) / len(want)
        if score > best_score:
            best, best_score = sid, score
    return [delete(best, None, phrase, GUESS, reason)] if best and best_score >= 0.5 else []


# Words too common to say what a memory is about on their own.
_WEAK = set(
    """have has had do does did go goes went get got use uses used play plays take takes be been being
    school job class course team membership subscription account member thing stuff time day week year
    month every night morning lot their they them user's new old still now yes really also just
    actually""".split()
)


def stem(word: str) -> str:
    """A crude stem, enough to match "smoking" with "smokes" and "coaching" with "coaches"."""
    w = word.lower().strip("'")
    w = re.sub(r"'s$", "", w)
    for suffix, repl in (("ings", ""), ("ing", ""), ("ies", "y"), ("es", ""), ("ed", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + repl
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


# One word for each relative, however the user calls them: "mum passed away" is about "User's mother…".
_SAME_PERSON = {
    "mum": "mother",
    "mom": "mother",
    "mummy": "mother",
    "mommy": "mother",
    "mama": "mother",
    "dad": "father",
    "daddy": "father",
    "papa": "father",
    "grandma": "grandmother",
    "granny": "grandmother",
    "nan": "grandmother",
    "nana": "grandmother",
    "gran": "grandmother",
    "grandpa": "grandfather",
    "grandad": "grandfather",
    "granddad": "grandfather",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "hubby": "husband",
}


# One word for a thing said as a noun or as a verb: "the salary thing" is about "User earns 85k.".
_SAME_THING = {
    "salary": "earn",
    "income": "earn",
    "wage": "earn",
    "wages": "earn",
    "telephone": "phone",
    "pregnancy": "pregnant",
    "allergy": "allergic",
    "allergies": "allergic",
}

_SAME = {**_SAME_THING, **_SAME_PERSON}


def content(text: str) -> set[str]:
    """The stems of the words that say what ``text`` is about."""
    words = re.findall(r"[a-z0-9][a-z0-9'+-]*", text.lower())
    return {stem(_SAME.get(w, w)) for w in words if w not in _STOP and w not in _WEAK and len(w) > 1}


def about(phrase: str, related: dict[str, MemoryItem], kind: MemoryType = MemoryType.SEMANTIC) -> str | None:
    """The one held fact (or rule) ``phrase`` is about: sharing most content words with it, and more than
    any other (none shared, or a tie: None)."""
    ranked = ranked_about(phrase, related, kind)
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def ranked_about(
    phrase: str, related: dict[str, MemoryItem], kind: MemoryType = MemoryType.SEMANTIC
) -> list[tuple[str, int]]:
    """Held facts sharing content words with ``phrase``, most shared first (ties in the shown order)."""
    want = content(phrase)
    scored = [
        (sid, len(want & content(item.text)))
        for sid, item in related.items()
        if item.type == kind and item.valid_to is None
    ]
    return sorted((s for s in scored if s[1] > 0), key=lambda s: -s[1])


def covered(text: str, related: dict[str, MemoryItem]) -> bool:
    """A held fact already says every content word of ``text`` ("I still drive the civic")."""
    want = content(text)
    return bool(want) and any(
        want <= content(m.text) for m in related.values() if m.type == MemoryType.SEMANTIC
    )


_INNER = {"and", "&", "of", "de", "du", "la", "del", "von", "van"}


def substitute(old_text: str, old_words: set[str], new_value: str) -> str | None:
    """``old_text`` with the value named by ``old_words`` (stems) replaced by ``new_value``:
    ("User has an iPhone 12.", {"iphone"}, "Pixel 8") -> "User has a Pixel 8."; None if not found."""
    tokens = old_text.rstrip(".").split()
    hits = [i for i, t in enumerate(tokens) if i and stem(re.sub(r"[^\w'+-]", "", t)) in old_words]
    if not hits:
        return None
    # A name's word before a common one: "Bank" of "User banks with Bank of America." is the value.
    hits = [i for i in hits if tokens[i][:1].isupper() or tokens[i][:1].isdigit()] or hits
    start, end = hits[0], hits[0] + 1
    while start > 1 and (tokens[start - 1][:1].isupper() or tokens[start - 1][:1].isdigit()):
        start -= 1

    def named(i: int) -> bool:
        return i < len(tokens) and (
            tokens[i][:1].isdigit() or tokens[i][:1].isupper() or stem(tokens[i]) in old_words
        )

    def inner(i: int) -> bool:
        """A name's inner word: "and", "&", "of", "de" ("Barnes and Noble", "Bank of America"), or the
        "at" of "Pets at Home"."""
        word = tokens[i].lower() if i < len(tokens) else ""
        return (word in _INNER and named(i + 1)) or (word == "at" and names.name_at(tokens[i + 1 :]))

    while named(end) or inner(end):
        end += 1  # a name runs on through its inner words
    if start > 1 and tokens[start - 1].lower() in {"a", "an"}:
        start -= 1
        new_value = ("an " if new_value[:1].lower() in "aeiou" else "a ") + new_value
    rest, before = tokens[end:], tokens[:start]
    if rest and new_value.split()[-1].lower() == rest[0].lower().strip(".,"):
        rest = rest[1:]
    if before and new_value.split()[0].lower() == before[-1].lower():
        before = before[:-1]  # "in Edinburgh" for "Glasgow" of "User lives in Glasgow."
    return " ".join([*before, new_value, *rest]) + "."
