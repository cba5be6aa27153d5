"""A fact no specific rule reads: an assertive first-person clause said again in the third person.

"I do Brazilian jiu-jitsu" -> "User does Brazilian jiu-jitsu." Feelings, small talk, single occasions
("I went to a concert last night") and thoughts ("I guess") are not facts and give nothing. A value of
a single-valued kind (a phone, a car, a time zone) takes that kind as its slot, so a new one replaces
the old; otherwise the slot is the verb and the object, so a second instrument is one more fact.
"""

from __future__ import annotations

import re

from memory.extraction.offline import kinds, names, parse, person
from memory.extraction.offline.interpreter import Fact
from memory.extraction.offline.rules import (
    ATTRIBUTES,
    DETAIL_SLOTS,
    FAMILY,
    FEELINGS,
    IN_STATES,
    LASTING_ING,
    LIFE_EVENTS,
    NOT_KEPT,
    THINKING_VERBS,
    TRANSIENT,
)
from memory.types import Relation

_MEDICINE = re.compile(r"(?:in|ol|ine|am|ide|pril|statin|mab|one|ate)$")
_SUBJECT = re.compile(r"^(?:i|we|my [\w' ]+? and i)\s+(?P<rest>.+)$", re.IGNORECASE)
_BE = re.compile(r"^(?:i'm|i am|we're|we are|i've been|i have been)\s+(?P<rest>.+)$", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    rf"^my (?:new |current |latest )?(?P<a>{ATTRIBUTES})(?:'s| is| are) (?:now )?(?P<v>.+)$", re.IGNORECASE
)
# "my address is 14 Elm Street", "my ex is named Chris", "my favorite film is Paddington 2".
_OWN_VALUE = re.compile(
    r"^my (?P<a>[\w'-]+(?: [\w'-]+){0,2}) (?P<be>is|are) (?:named |called )?(?P<v>.+)$", re.IGNORECASE
)
_NEGATION = re.compile(r"\b(?:not|no|never|nothing|cannot)\b|n't\b", re.IGNORECASE)
# Words that only stress a state ("I'm really into chess"); "originally from" keeps its word.
_STATE_ADVERBS = set(
    """just also still really actually already usually mostly finally recently honestly literally totally
    definitely always often sometimes even only""".split()
)
_PREPOSITIONS = {"in", "on", "at", "off", "with", "for", "from", "of", "to", "about"}
_LATE_TAIL = re.compile(
    r"(?:,?\s+(?:too|also|as well|last (?:week|month|year|night|weekend)|this (?:week|month|year)|yesterday|"
    r"today|\w+ ago))+$",
    re.IGNORECASE,
)
_WHEN = re.compile(
    TRANSIENT
    + r"|\b(?:last|this|next) \w+|\b\w+ ago\b|\b(?:(?:on|in) )?(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b",
    re.IGNORECASE,
)


def _someone_elses(attribute: str) -> bool:
    """ "my friend's dog": a thing of someone else's ("my sister's name" still names the user's sister)."""
    return bool(re.search(r"'s\s+(?!name\b)\w", attribute, re.I))


def fact(clause: str) -> Fact | None:
    """The generic fact of one assertive clause, or None when it says nothing lasting."""
    text = re.sub(r"\s*\([^)]*$", "", clause).strip(" .!?,")  # "at KPMG (part time": the aside left open
    # "I'm Muslim so no pork in recipes please": what follows "so" asks for something; the fact is before it.
    text = re.split(
        r",?\s+so\s+(?=(?:no|please|pls|keep|don't|avoid|never|only)\b)", text, maxsplit=1, flags=re.I
    )[0]
    if len(text.split()) > 14 or _NEGATION.search(text) or text.count(")") > text.count("("):
        return None  # "i finish at ucla)": the tail of an aside
    if re.search(TRANSIENT, text, re.I) and not _life_event(text):
        return None
    if m := _ATTRIBUTE.match(text):
        attribute = names.key(m["a"]).replace("time_zone", "timezone")
        value = names.trim(m["v"])
        if _no_value(value):
            return None  # "my car's on its last legs": how the thing is, not which it is
        return _fact(f"User's {m['a'].lower()} is {value}.", value, attribute, f"{attribute}_is")
    if (
        (m := _OWN_VALUE.match(text))
        and not _someone_elses(m["a"])
        and _named_value(m["a"], m["v"], "named" in text or "called" in text)
    ):
        attribute = re.sub(r"^(?:new|current|latest) ", "", m["a"].lower())
        value = names.trim(m["v"].split("(")[0]) or m["v"]
        slot = DETAIL_SLOTS.get(names.key(attribute), names.key(attribute))
        return _fact(f"User's {attribute} {m['be'].lower()} {value}.", value, slot, "has")
    if m := _BE.match(text):
        return _being(text, m["rest"])
    if m := _SUBJECT.match(text):
        return _doing(text, m["rest"].split())
    return None


def _doing(text: str, words: list[str]) -> Fact | None:
    """ "I <verb> ...": a habit, a possession, a life event; not a thought or a single occasion."""
    while words and person.is_adverb(words[0]):
        words = words[1:]
    if not words:
        return None
    verb, obj = words[0].lower(), " ".join(words[1:])
    if verb in THINKING_VERBS:
        return None
    if person.is_past(verb, text) and (verb not in LIFE_EVENTS or not _WHEN.sub("", obj).strip(" ,.!")):
        return None  # "completed today": a life event needs what happened
    head = re.sub(r"^(?:a|an|the|my|some)\s+", "", obj.lower()).split()[:1]
    if verb in {"have", "got"} and (not head or head[0] in NOT_KEPT | names.PRONOUNS):
        return None
    if obj and obj.lower().split()[0] in names.PRONOUNS:
        return None
    said = _LATE_TAIL.sub("", text)  # "graduated from rasmussen last month too"
    if said.split()[-1].lower() in _PREPOSITIONS | {"since", "until", "by"}:
        said = text  # "since 1st of this month": the time is the fact's own
    return _fact(person.third_person(said), obj or verb, None, person.third_singular(verb, text))


def _being(text: str, rest: str) -> Fact | None:
    """ "I'm ...": a lasting activity, a kind of value ("on PST"), a medicine, a group, or a trait."""
    words = rest.split()
    while len(words) > 1 and words[0].lower() in _STATE_ADVERBS:
        words = words[1:]
    first = words[0].lower()
    value = " ".join(words[1:])
    if not first.endswith("ing") and parse.opens_with_verb(" ".join(words)):
        return None  # "I'm still play in the club": a verb after a wrongly restored "I'm"
    if first in {"on", "in"}:
        group = re.match(r"^(?:a|an) [\w -]+ (?:called|named) \S", value, re.I)  # "in a band called X"
        if not (
            group
            or kinds.kinds_of(value)
            or re.search(r"\b(?:team|squad|crew|committee|board|council)\b", value, re.I)  # the swim team
            or (first == "in" and value.lower() in IN_STATES)  # "in therapy"
            or (first == "on" and re.fullmatch(r"[a-z]+", value.lower()) and _MEDICINE.search(value.lower()))
        ):
            return None
    elif first.endswith("ing"):
        head = value.lower().split()[:1]
        if first not in LASTING_ING or not head or head[0] in FEELINGS | {"well", "better", "worse", "badly"}:
            return None  # "I'm doing great": how the user is, not what they do
    elif first in FEELINGS or len(words) > 4 or first in {"a", "an", "the"} | _PREPOSITIONS:
        return None
    elif any(w.lower() in FEELINGS for w in words):
        return None
    return _fact(person.third_person(text), value or first, None, "is")


def _no_value(value: str) -> bool:
    """Whether what follows "my X is" says how things are rather than which value: nothing, a pronoun, a
    feeling, an -ing verb or a preposition first ("on its last legs", "moving to Glasgow")."""
    head = value.lower().split()[0] if value.split() else ""
    return not head or head in names.PRONOUNS | FEELINGS | _PREPOSITIONS or head.endswith("ing")


def _named_value(attribute: str, value: str, named: bool) -> bool:
    """A value worth keeping as the user's own: named or numbered ("14 Elm Street", "Chris"), short, not
    a state ("on its last legs", "moving to Glasgow"); after "favorite", any short value ("my favorite
    pokemon is gengar"). Of a relative, only the name ("my ex is named Chris", not "my son is 5")."""
    words, about = value.split(), attribute.lower().split()
    if _no_value(value) or len(words) > 5 or _PREPOSITIONS & set(about):
        return False
    if re.fullmatch(FAMILY, about[-1], re.I) and not named:
        return False
    if attribute.lower().startswith("favorite"):
        return True
    return any(w[:1].isupper() or w[:1].isdigit() or w[:1] in "£$€+" or "@" in w for w in words)


def _life_event(text: str) -> bool:
    m = _SUBJECT.match(text)
    return bool(m) and m["rest"].split()[0].lower() in LIFE_EVENTS - {"got", "took", "started"}


def _fact(text: str, value: str, slot: str | None, relation: str) -> Fact:
    value = names.trim(value) or value
    kind = kinds.single(value) or kinds.single(text)
    return Fact(
        text=text,
        slot=slot or kind or f"{names.key(relation)}:{names.key(value)[:40]}",
        relation=Relation(subject="User", relation=names.key(relation), object=value),
        value=value,
    )
