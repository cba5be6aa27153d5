"""Entity name resolution, engine-independent: the normalised key of a name, whether two names may be
the same entity, and which known entities a text mentions (exact word sequences, else typos)."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FUZZY_RATIO = 0.85  # difflib ratio above which a text token (or bigram) is a typo of an entity name
FUZZY_MIN_CHARS = 4  # shorter names only match exactly ("bob" vs "rob" is not a typo)
MAX_NAME_TOKENS = 8
_TYPO_MEMO = 50_000  # text words and word pairs whose typo matches an index remembers

SELF_NAME = "user"
# The speaker in first person; extractors write "user", "I" or "me" for the same node.
_SELF_WORDS = frozenset({"user", "the user", "i", "me", "myself"})
_LEADING_ARTICLES = ("the", "my", "a", "an", "our")
# Words that never name an entity on their own, however an entity came to be called.
_STOPWORDS = frozenset(
    "a an and are as at be by do for from he her his i in is it its me my of on or our she so "
    "that the their them they this to us was we were what when where which who why with you your".split()
)

_APOSTROPHES = re.compile(r"['\u2019`]")
_NON_WORD = re.compile(r"[^\w]+")


def _fold(text: str) -> str:
    """Lower case, NFKC, apostrophes dropped, other punctuation to spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _APOSTROPHES.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())


@functools.lru_cache(maxsize=65_536)  # pure, and asked for the same names search after search
def normalise_name(name: str) -> str:
    """The resolution key of an entity name: "The  Acme Corp." -> "acme corp"; "I" -> "user".

    A name of punctuation only keeps its case-folded text so that it is still a distinct entity.
    """
    folded = _fold(name)
    if not folded:
        return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    if folded in _SELF_WORDS:
        return SELF_NAME
    words = folded.split()
    while len(words) > 1 and words[0] in _LEADING_ARTICLES:
        words = words[1:]
    return " ".join(words)


def normalise_relation(relation: str) -> str:
    """Relation names are snake case: "Lives in" -> "lives_in"."""
    return "_".join(unicodedata.normalize("NFKC", relation).strip().casefold().replace("-", " ").split())


def names_compatible(a: str, b: str) -> bool:
    """Whether two normalised names may be the same entity spelled differently.

    Same number of words, each pair equal, one a prefix of the other ("corp"/"corporation"), or a
    typo of it. Acronyms ("nyc"/"new york city") and different words ("acme industries") are not.
    """
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return difflib.SequenceMatcher(None, a, b).ratio() >= FUZZY_RATIO
    for x, y in zip(wa, wb, strict=True):
        if x == y:
            continue
        shorter, longer = sorted((x, y), key=len)
        if len(shorter) >= 2 and longer.startswith(shorter):
            continue
        if difflib.SequenceMatcher(None, x, y).ratio() >= 0.8:
            continue
        return False
    return True


@dataclass(frozen=True)
class EntityForms:
    """An entity's display name and every normalised form it answers to (name and aliases)."""

    name: str
    forms: tuple[str, ...]


def _ngrams(tokens: Sequence[str], n: int) -> list[str]:
    return [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


class NameIndex:
    """Entities' forms arranged for matching texts against them; build it once per set of entities.

    Exact matching looks each word sequence of the text up by form. Typos are compared only with forms
    that share the word's first or last letter and whose length could reach the ratio: that keeps a
    query against a thousand entities well under a millisecond.
    """

    def __init__(self, entities: Iterable[EntityForms]) -> None:
        self.exact: dict[str, list[str]] = {}  # form -> names of the entities answering to it
        self.fuzzy: dict[str, str] = {}  # form -> entity name, for forms a typo may reach
        for entity in entities:
            for form in entity.forms:
                if form not in _STOPWORDS and entity.name not in self.exact.get(form, ()):
                    self.exact.setdefault(form, []).append(entity.name)
                if (
                    len(form) >= FUZZY_MIN_CHARS
                    and form.count(" ") <= 1
                    and not any(c.isdigit() for c in form)
                ):
                    self.fuzzy.setdefault(form, entity.name)
        by_edge: dict[str, set[str]] = {}
        for form in self.fuzzy:
            by_edge.setdefault("^" + form[0], set()).add(form)
            by_edge.setdefault(form[-1] + "$", set()).add(form)
        self._by_edge = {edge: sorted(forms) for edge, forms in by_edge.items()}
        self._typos: dict[str, list[str]] = {}

    def fuzzy_hits(self, grams: list[tuple[str, int]], skip: set[str]) -> dict[str, int]:
        """Entity name -> first position of a text gram that is a typo of one of its forms (entities
        in ``skip`` left out)."""
        hits: dict[str, int] = {}
        for gram, position in grams:
            for name in self._typos_of(gram):
                if name not in hits and name not in skip:
                    hits[name] = position
        return hits

    def _typos_of(self, gram: str) -> list[str]:
        """Names of the entities with a form this gram is a typo of, remembered per gram (the same
        words come back query after query; the index is rebuilt when the entities change)."""
        known = self._typos.get(gram)
        if known is not None:
            return known
        found: list[str] = []
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(gram)  # difflib caches its analysis of the second sequence
        first, last = self._by_edge.get("^" + gram[0], []), self._by_edge.get(gram[-1] + "$", [])
        for form in sorted({*first, *last}) if first and last else first or last:
            name = self.fuzzy[form]
            # ratio = 2 * matches / (len(a) + len(b)) <= 2 * shorter / (len(a) + len(b))
            if name in found or 2 * min(len(form), len(gram)) < FUZZY_RATIO * (len(form) + len(gram)):
                continue
            matcher.set_seq1(form)
            if (
                matcher.real_quick_ratio() >= FUZZY_RATIO
                and matcher.quick_ratio() >= FUZZY_RATIO
                and matcher.ratio() >= FUZZY_RATIO
            ):
                found.append(name)
        if len(self._typos) >= _TYPO_MEMO:
            self._typos.clear()
        self._typos[gram] = found
        return found


def mentioned_entities(text: str, entities: NameIndex | Iterable[EntityForms]) -> list[str]:
    """Names of the entities a text mentions, in order of mention: exact word sequences, else typos.

    Typos are looked for in the words and word pairs no entity matched exactly, and never in names
    with digits ("room 12" is not a typo of "room 21").
    """
    index = entities if isinstance(entities, NameIndex) else NameIndex(entities)
    tokens = _fold(text).split()
    if not tokens:
        return []
    hits: dict[str, int] = {}
    matched_words: set[str] = set()
    for n in range(min(MAX_NAME_TOKENS, len(tokens)), 0, -1):
        for i, gram in enumerate(_ngrams(tokens, n)):
            for name in index.exact.get(gram, ()):
                hits[name] = min(i, hits.get(name, i))
                matched_words.update(gram.split())
    if index.fuzzy:
        grams = [
            (gram, i)
            for n in (1, 2)
            for i, gram in enumerate(_ngrams(tokens, n))
            if gram not in _STOPWORDS and not set(gram.split()) & matched_words
        ]
        for name, position in index.fuzzy_hits(grams, set(hits)).items():
            hits.setdefault(name, position)
    return [name for name, _ in sorted(hits.items(), key=lambda item: (item[1], item[0]))]
