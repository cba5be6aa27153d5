"""Values inside a clause: names kept whole ("Barnes and Noble", "Bank of America"), phrases trimmed
of trailing time words and fillers, slot keys, and the cheap proper-noun list used for the graph."""

from __future__ import annotations

import re
import unicodedata

# Words that join the parts of one name: "Bank of America", "Rio de Janeiro", "Ben & Jerry's".
CONNECTORS = {"and", "&", "of", "de", "da", "del", "du", "la", "le", "van", "von", "on", "upon", "the", "y"}
# Lower-case words that may end a name: "St. Mary's hospital".
INSTITUTION_NOUNS = {
    "hospital",
    "clinic",
    "school",
    "university",
    "college",
    "library",
    "bank",
    "office",
    "store",
    "shop",
    "restaurant",
    "cafe",
    "hotel",
    "church",
    "inc",
    "ltd",
    "labs",
}
# A value ends where one of these starts (time words, fillers, a new thought).
_TAIL = re.compile(
    r"\s+(?:now|anymore|any more|again|too|also|though|btw|fyi|ngl|fwiw|iirc|imo|lol|haha|lmao|tbh|honestly|actually|"
    r"originally|still|already|currently|instead|these days|nowadays|right now|as you know|"
    r"(?:last|this|next|every) (?:week|month|year|summer|spring|fall|autumn|winter|weekend|time|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"a (?:few|couple of) \w+ ago|(?:\w+ )?\w+ ago|yesterday|today|tonight|tomorrow|recently|finally|"
    r"since\b|for (?:\d+|a|an|the|about|almost|over|my|work|good|now)\b|because\b|after\b|before\b|"
    r"as (?:a|an)\b|which\b|who\b|where\b|so\b|but\b|with\b|from\b|when\b|while\b|until\b|"
    r"on (?:weekends|mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)\b|"
    r"in (?:\d{4}|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|the (?:spring|summer|fall|autumn|winter|morning|evening))\b|"
    r"at (?:the moment|some point|night|work)\b|"
    r"(?:and|&) (?:i|i'm|i've|we|my|now|also|then)\b)",
    re.IGNORECASE,
)
_EDGE = " .!?,;:'\"()[]-–—"
PRONOUNS = {
    "it",
    "that",
    "this",
    "these",
    "those",
    "you",
    "your",
    "yours",
    "them",
    "him",
    "her",
    "how",
    "what",
    "when",
    "why",
    "there",
    "here",
    "me",
    "one",
    "everything",
    "anything",
    "nothing",
    "something",
    "everyone",
    "anyone",
    "some",
    "any",
}


def key(value: str) -> str:
    """A slot key from a value: "Salt Lake City" -> "salt_lake_city", "fiancée" -> "fiancee"."""
    plain = unicodedata.normalize("NFKD", value.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9&]+", "_", plain).strip("_")


def trim(value: str) -> str:
    """Cut a captured value at the first time word or filler and strip punctuation around it."""
    value = re.sub(r"^(?:still|now|actually|currently|also)\s+", "", value.strip(_EDGE), flags=re.I)
    if m := _TAIL.search(" " + value):
        value = (" " + value)[: m.start()]
    return re.sub(r"\s+", " ", value).strip(_EDGE)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


_AFTER_NAME = set(
    "in at on for since near with by from to downtown now since until till last this these every as".split()
)


def name_span(value: str) -> str:
    """The whole name at the start of ``value``: capitalised words and the connectors between them.

    A connector is kept only when a capitalised word follows it, and an inner "and" is dropped when the
    name runs on into a lower-case verb ("Google and Anna works at Meta" -> "Google")."""
    words = value.split()
    out: list[str] = []
    i = 0
    if words and words[0].lower() == "the" and len(words) > 1 and _capitalised(words[1]):
        i = 1
    while i < len(words):
        word = words[i]
        if _capitalised(word) or (out and word.lower().strip(".,") in INSTITUTION_NOUNS):
            out.append(word)
        elif out and word.lower() in CONNECTORS and i + 1 < len(words) and _capitalised(words[i + 1]):
            out.append(word)
        elif word == "at" and out and name_at(words[i + 1 :]):
            out.append(word)  # "Pets at Home": an inner "at" joins one name, its next word a name's end
        else:
            break
        i += 1
    # "Google and Anna works at Meta": a lower-case verb after the name means "and" joined two subjects;
    # a preposition or a time word after it ("Barnes and Noble in the kids section") ends the name.
    following = words[i].lower().strip(".,!?") if i < len(words) else ""
    if "and" in out and following[:1].islower() and following not in _AFTER_NAME:
        out = out[: out.index("and")]
    return " ".join(out).strip(_EDGE)


def name_at(rest: list[str]) -> bool:
    """Whether the capitalised word after an inner "at" ends the name ("Pets at Home"), rather than
    opening a place of its own ("Boots at Victoria Station", "Google at Mountain View")."""
    return (
        bool(rest)
        and _capitalised(rest[0])
        and rest[0].lower().strip(".,!?") in {"home", "work", "play"}
        and (len(rest) == 1 or not _capitalised(rest[1]))
    )


def place(value: str, lowercase_turn: bool) -> str | None:
    """A place or organisation: a whole name, or (in an all-lower-case turn) the trimmed phrase."""
    value = trim(value)
    if not value:
        return None
    if lowercase_turn:
        words = value.split()
        if words[0] in PRONOUNS or len(words) > 5:
            return None
        if words[0].lower() in {"a", "an", "some"}:
            return value  # "a bistro", "a thai place": a kind of place, no name to capitalise
        return " ".join(w if w in CONNECTORS - {"the"} else w[:1].upper() + w[1:] for w in words)
    name = name_span(value)
    if name:
        return name
    # "a small town near Lyon", "a hospital": a short phrase, kept when it names something.
    words = value.split()
    if words[0].lower() in {"a", "an"} and len(words) <= 5 and words[-1].lower() not in PRONOUNS:
        return value
    return None


def phrase(value: str, max_words: int = 6) -> str | None:
    """A short noun phrase ("hiking", "New York in the fall"), or None for pronouns and clauses."""
    value = value.strip(_EDGE)
    value = re.split(r"\s*[,;:!?()]\s*|\s+-\s+", value)[0]
    value = re.sub(
        r"(?:\s+(?:now|instead|anymore|any more|again|too|these days|nowadays|lol|haha|btw|though|honestly|"
        r"after \w+ \w+|so much|a lot|very much))+$",
        "",
        value,
        flags=re.I,
    )
    value = value.strip(_EDGE)
    words = value.split()
    if not words or len(words) > max_words or words[0].lower() in PRONOUNS:
        return None
    return value


def split_list(value: str) -> list[str]:
    """Items of a list ("Spanish and a little German"), keeping names with an inner "and" whole."""
    parts = re.split(r"\s*,\s*|\s+(?:and|&)\s+(?![A-Z])", value)
    out = []
    for part in parts:
        part = re.sub(r"^(?:a little|a bit of|some|also)\s+", "", part.strip(_EDGE), flags=re.I)
        if part:
            out.append(part)
    return out


_PROPER = re.compile(r"\b([A-Z][a-zA-Z'’-]+(?:\s+(?:(?:of|de|la|van|von|&)\s+)?[A-Z][a-zA-Z'’-]+)*)")
_NOT_ENTITIES = set(
    """I I'm I've I'd I'll Hey Hi Hello Thanks Thank Yes No Oh Wow The A An My It It's That This What When
    Where Who How Why Do Did Can Could Would Should Please And But So Also We You Yeah Sure Sounds Great
    Good Nice Awesome Cool Ok Okay That's Haha Just Let Let's Have Is Are Was Were If Not Me They He She
    There Here Well Really Definitely Absolutely Totally Yep Glad Congrats From Call Remember Forget
    What's Always Never Use Answer Reply Don't Going Keep Note Tell Give Any Some Our Your Their His Her
    Actually Maybe Anyway Quick Big Long""".split()
)


def proper_nouns(text: str) -> list[str]:
    """Capitalised names in a text (a cheap entity list for the graph and for keyword boosts)."""
    out: list[str] = []
    for match in _PROPER.finditer(text):
        words = match.group(1).strip("'’-").split()
        while words and words[0] in _NOT_ENTITIES:
            words = words[1:]
        while words and words[-1] in CONNECTORS:
            words = words[:-1]
        name = " ".join(words)
        if name and name not in out:
            out.append(name)
    return out
