"""Read a rule's captured value by its kind: a place, a person's name, a job, a trait, a phrase...

Each reader returns the cleaned values (a list splits "peanuts and shellfish") or nothing when the
capture is not a value of that kind ("I'm a heavy sleeper" is no job; "I love that" has no object).
"""

from __future__ import annotations

import re

from memory.extraction.offline import kinds, names
from memory.extraction.offline.rules import IDENTITIES, JOBS, LANGUAGES, WORKPLACE

_JOB_SUFFIX = re.compile(r"(?:ologist|ician|ographer|ineer|iatrist|smith|wright|\w{3}ist)$")
# Words in -ist that name no occupation.
_NOT_JOBS = {"assist", "insist", "persist", "resist", "exist", "consist", "twist", "wrist", "checklist"}
_NOT_TRAIT_START = {
    "bit",
    "little",
    "lot",
    "total",
    "complete",
    "few",
    "couple",
    "way",
    "good",
    "great",
    "nice",
    "quick",
    "question",
    "minute",
    "second",
}
_FIELDS = set(
    """sales marketing finance it tech hr retail healthcare education consulting insurance construction
    hospitality law medicine engineering accounting research design software advertising banking
    publishing logistics real estate government nursing""".split()
)
_NOT_NAMES = {
    "back",
    "done",
    "fine",
    "sorry",
    "here",
    "home",
    "ok",
    "okay",
    "good",
    "tired",
    "ready",
    "in",
    "out",
}


def article(value: str) -> str:
    if re.match(r"^(?:a|an|the)\b", value, re.I):
        return value
    return ("an " if value[:1].lower() in "aeiou" else "a ") + value


def _strip_article(value: str) -> str:
    return re.sub(r"^(?:a|an)\s+", "", value, flags=re.I)


_HEAD_JOB = re.compile(
    r"(?:head|school|sub|co|deputy|assistant|senior|junior|chief|lead|under|web|game|software)-?"
    r"(?:teacher|editor|manager|developer|designer|engineer|writer|master|mistress|keeper|founder|pilot|chef)"
)


def is_job(value: str) -> bool:
    last = value.lower().split()[-1] if value.split() else ""
    if last in JOBS or (bool(_JOB_SUFFIX.search(last)) and last not in _NOT_JOBS):
        return True
    # one word made of a head and a job: "headteacher", "schoolteacher", "sub-editor"
    return bool(_HEAD_JOB.fullmatch(last))


# A home named inside what the user moved into: "a retirement community in Green Valley", "a village
# near york", "my own apartment in St Paul".
DWELLING = (
    r"village|town|suburb|community|apartment|flat|house|place|condo|studio|neighbou?rhood|area|farm|"
    r"cottage|unit|home|bungalow|townhouse|city"
)
_INNER_PLACE = re.compile(
    rf"^(?:(?:a|an|the|my|our|their) )?(?:[\w'-]+ ){{0,3}}?(?:{DWELLING})s? (?:just )?(?:in|near|outside(?: of)?) "
    r"(?P<p>.+)$",
    re.IGNORECASE,
)


# A place of work named as where the user is based: no home.
_WORKPLACE = re.compile(rf"^(?:the |our |my |their )?(?:[\w'-]+ ){{0,2}}(?:{WORKPLACE})\b", re.I)


def home_in(raw: str) -> str:
    """The place a dwelling is in ("a village near york" -> "york"), or ``raw`` when it names none."""
    inner = _INNER_PLACE.match(raw.strip())
    return inner["p"] if inner else raw


def _every_item(raw: str) -> list[str]:
    """The items of a list split at every comma and "and", for values that are never one name with an inner
    "and" (languages, people's first names); ``names.split_list`` keeps "Barnes and Noble" whole."""
    return re.split(r"\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+", names.trim(raw))


def read(kind: str, raw: str, lowercase: bool) -> list[str]:
    """The values a capture holds for a rule of this ``kind`` (see ``rules.Rule.value``)."""
    if kind in ("place", "home"):
        value = names.place(home_in(raw) if kind == "home" else raw, lowercase)
        # "I'm in CST now": a time zone is no place; "moved to apple music": no home is a known kind of thing
        if not value or kinds.named(value, "timezone") or (kind == "home" and kinds.named_any(value)):
            return []
        if kind == "home" and _WORKPLACE.match(raw.strip()):
            return []  # "based in the Dublin office": where the user works, not lives
        return [value]
    if kind == "name":
        value = names.trim(raw)
        value = names.name_span(value) if not lowercase else value.split()[0] if value else ""
        if len(value) > 3 and value.isupper():  # "I'M ENGAGED": shouting, not a name
            return []
        if not value or value.lower() in _NOT_NAMES or value.lower() in names.PRONOUNS:
            return []
        if value.lower() in IDENTITIES:  # "I'm Deaf", "I'm Canadian": who the user is, not a name
            return []
        return [value[:1].upper() + value[1:]]
    if kind == "job":
        value = _strip_article(names.trim(raw))
        if not value or len(value.split()) > 4 or not is_job(value):
            return []
        return [value]
    if kind == "role":  # named a job by its construction ("I work as a dental hygienist")
        value = _strip_article(names.trim(raw))
        words = value.lower().split()
        if not words or len(words) > 4 or any(w in names.PRONOUNS for w in words):
            return []
        return [value]
    if kind == "trait":
        value = _strip_article(names.trim(raw))
        words = value.lower().split()
        if not words or len(words) > 5 or words[0] in _NOT_TRAIT_START or is_job(value):
            return []
        if any(w in names.PRONOUNS for w in words) or re.search(r"\b(?:fan|member)\b", value, re.I):
            return []
        return [value]
    if kind == "names":  # "Jonah (7) and Ruth (4)", "maya and theo"
        items = _every_item(re.sub(r"\s*\([^)]*\)", "", raw))
        found = [
            read("name", re.sub(r"^(?:baby|little|our|my)\s+", "", i, flags=re.I), lowercase) for i in items
        ]
        return [n[0] for n in found if n]
    if kind == "number":
        return [raw] if raw.isdigit() and 0 < int(raw) < 120 else []
    # "Spanish and Portuguese", "a bit of french", "Tagalog at home and English at work"
    if kind == "language":
        items = [w for i in _every_item(raw) for w in re.findall(r"[\w'-]+", i) if w.lower() in LANGUAGES]
        return list(dict.fromkeys(i.upper() if len(i) <= 3 else i[:1].upper() + i[1:] for i in items))
    if kind == "field":
        value = names.trim(raw).lower()
        return [value] if value in _FIELDS else []
    if kind == "list":
        value = names.phrase(names.trim(raw), max_words=8)
        return names.split_list(value) if value else []
    if kind == "raw":
        value = names.trim(raw) or raw.strip()
        return [value] if value else []
    value = names.phrase(raw)
    return [value] if value and not re.match(r"^(?:to complain|a lot|so much)\b", value, re.I) else []
