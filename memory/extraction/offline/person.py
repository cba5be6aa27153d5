"""Say a first-person clause in the third person: "I do jiu-jitsu" -> "User does jiu-jitsu".

Used for facts that no specific rule reads, so the memory keeps the user's own key words. A past verb
stays as it is ("I bought a Kia" -> "User bought a Kia"); a present one takes its third-person form.
"""

from __future__ import annotations

import re

from memory.extraction.offline import parse

# Past forms that do not end in -ed (a past verb keeps its form in the third person).
IRREGULAR_PAST = set(
    """got bought sold had did went made took gave began became wore rode drove ran swam sang taught
    caught won lost left found kept grew knew thought brought built fought felt met paid read sent
    spent stood told understood wrote broke chose forgot froze spoke stole woke""".split()
)
_IRREGULAR_PRESENT = {"have": "has", "do": "does", "go": "goes", "be": "is", "am": "is"}
_CONTRACTIONS = [
    (r"^i'm\b", "User is"),
    (r"^i am\b", "User is"),
    (r"^i've\b", "User has"),
    (r"^i have\b", "User has"),
    (r"^i was\b", "User was"),
    (r"^we're\b", "User is"),
    (r"^we've\b", "User has"),
]
# Adverbs between the subject and its verb: "I now train at..." -> "User now trains at...".
# Any "-ly" word but the verbs and nouns that end so ("I fully booked", "I rely on", "I apply").
_LY = r"(?!(?:apply|reply|rely|supply|fly|multiply|comply|imply|ally|bully|rally|tally|belly|family|holy)\b)[a-z]{2,}ly"
_ADVERBS = (
    r"just|also|still|really|actually|usually|mostly|now|always|often|sometimes|never|finally|recently|"
    r"currently|mainly|only|even|already|officially|basically|regularly|occasionally|rarely|generally|" + _LY
)
_ADVERB = re.compile(rf"(?:{_ADVERBS})", re.IGNORECASE)


def is_adverb(word: str) -> bool:
    """A word that can stand between "I" and its verb ("I now train", "I fully booked")."""
    return bool(_ADVERB.fullmatch(word))


_PRONOUNS = [
    (r"\bmyself\b", "themselves"),
    (r"\bmine\b", "theirs"),
    (r"\bmy\b", "their"),
    (r"\bme\b", "them"),
    (r"\bi'm\b", "they're"),
    (r"\bi\b", "they"),
]


# Verbs whose past is their base form, said of an ending: in chat these tell what the user did.
_ENDED_SAME_FORM = re.compile(
    r"\b(?:i|we) (?:just |finally |also )?(?:quit|(?:cut|split|shut) (?:out|up|off|down))\b", re.I
)
_PRESENT = re.compile(r"\b(?:now|every|always|usually|often|these days|nowadays)\b", re.I)


def is_past(verb: str, clause: str | None = None) -> bool:
    """Whether a verb is a past form; with its clause, the parser also reads irregular ones."""
    low = verb.lower()
    if low in IRREGULAR_PAST or (low.endswith("ed") and len(low) > 3):
        return True
    if clause is not None and _ENDED_SAME_FORM.search(clause) and not _PRESENT.search(clause):
        return True  # "quit chick fil a", "we split up in august", "cut out the energy drinks"
    return clause is not None and parse.is_past_verb(clause, verb)


def third_singular(verb: str, clause: str | None = None) -> str:
    """ "play" -> "plays", "teach" -> "teaches", "carry" -> "carries"; a past form is kept."""
    low = verb.lower()
    if is_past(low, clause):
        return verb
    if low in _IRREGULAR_PRESENT:
        return _IRREGULAR_PRESENT[low]
    if re.search(r"(?:s|sh|ch|x|z|o)$", low):
        return verb + "es"
    if re.search(r"[^aeiou]y$", low):
        return verb[:-1] + "ies"
    return verb + "s"


def third_person(clause: str) -> str:
    """The clause as a memory about the user; the subject must be "I", "we" or "my X and I"."""
    text = clause.strip(" .!?,")
    if m := re.match(r"^my (?P<who>[\w' ]+?) and i (?P<rest>.+)$", text, re.I):
        text = f"User and {m['who']} {m['rest']}"
    else:
        for pattern, subject in _CONTRACTIONS:
            if re.match(pattern, text, re.I):
                text = re.sub(pattern, subject, text, count=1, flags=re.I)
                break
        else:
            if m := re.match(
                r"^(?:i|we) (?P<adv>(?:(?:" + _ADVERBS + r") )*)(?P<verb>[\w-]+)(?P<rest>.*)$",
                text,
                re.I,
            ):
                text = f"User {m['adv']}{third_singular(m['verb'], text)}{m['rest']}"
    head, rest = text[:4], pronouns(text[4:])
    return (head + rest).rstrip(" .!?,") + "."


def pronouns(text: str) -> str:
    """The user's own words about themselves said of the user: "my job" -> "their job"."""
    for pattern, replacement in _PRONOUNS:
        text = re.sub(pattern, replacement, text, flags=re.I)
    return text
