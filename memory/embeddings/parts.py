"""A memory's vectors: one for the memory, plus one per sentence when it is long and has several.

A long chat turn or a document chunk says several things, and one vector of it blurs them: a question
about one of them matches it weakly. The store keeps each sentence's vector as well (a multivector)
and a search takes the best of them (MaxSim), so "what did Caroline paint?" finds the sentence about
the painting inside a turn that was mostly about something else. Such a memory's own vector is the
mean of its sentences' vectors, so it costs no more to embed than before: on LoCoMo this kept ingest
as fast as whole-text vectors alone, and recalled as well as adding them (bench/RESULTS.md).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from memory.embeddings import Embedder

MAX_PARTS = 16  # sentences beyond this are grouped, so a long chunk keeps at most 16 vectors
MIN_WORDS = 3  # a shorter sentence ("Wow!", "Thanks.") joins the one before it
# A shorter text is matched whole: its sentences added noise on LoCoMo (chosen 2-fold, bench/RESULTS.md).
MIN_TEXT_WORDS = 20

# "Caroline: ..." (a speaker label), kept on every sentence so each still says who said it.
_LABEL = re.compile(r"^([A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2}): (?=\S)")
_ABBREVIATION = re.compile(r"\b(?:St|Dr|Mr|Mrs|Ms|Prof|Mt|Jr|Sr|vs|etc|e\.g|i\.e)\.$", re.IGNORECASE)
# A sentence ends at . ! ? (and closing quotes or brackets after them) before a space, or at a newline;
# "[image: ...]" (a picture's caption in a turn) is a sentence of its own.
_BREAK = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+|\s+(?=\[image: )")


class Vectors(NamedTuple):
    """What the vector store keeps for one memory."""

    dense: list[float]
    parts: list[list[float]]  # one per sentence of a text of several; empty for a single sentence


def sentence_parts(text: str) -> list[str]:
    """The sentences a text's parts are embedded from (each with the text's speaker label); empty when
    the text is short or a single sentence."""
    if len(text.split()) < MIN_TEXT_WORDS:
        return []
    return sentences(text)


def sentences(text: str) -> list[str]:
    """A text's sentences, each with its speaker label; empty when it has only one."""
    label = _LABEL.match(text)
    body = text[label.end() :] if label else text
    pieces: list[str] = []
    for piece in _BREAK.split(body):
        piece = piece.strip()
        if not piece:
            continue
        if pieces and (len(pieces[-1].split()) < MIN_WORDS or _ABBREVIATION.search(pieces[-1])):
            pieces[-1] = f"{pieces[-1]} {piece}"
        elif pieces and len(piece.split()) < MIN_WORDS and not piece.startswith("[image:"):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    if len(pieces) < 2:
        return []
    if len(pieces) > MAX_PARTS:
        size = -(-len(pieces) // MAX_PARTS)
        pieces = [" ".join(pieces[i : i + size]) for i in range(0, len(pieces), size)]
    prefix = label.group(0) if label else ""
    return [prefix + p for p in pieces]


def embed_texts(embedder: Embedder, texts: list[str]) -> list[Vectors]:
    """Each text's vectors, in order: a text with parts is embedded sentence by sentence (its own vector
    is their normalised mean), any other text whole. Every distinct text is embedded once, in one call."""
    parts = {t: sentence_parts(t) for t in texts}
    unique = list(dict.fromkeys(p for t in texts for p in parts[t] or [t]))
    if not unique:
        return []
    vector = dict(zip(unique, embedder.embed(unique), strict=True))
    out = []
    for text in texts:
        if not parts[text]:
            out.append(Vectors(vector[text], []))
            continue
        each = [vector[p] for p in parts[text]]
        mean = np.mean(np.asarray(each, dtype=np.float32), axis=0)
        out.append(Vectors((mean / max(float(np.linalg.norm(mean)), 1e-12)).tolist(), each))
    return out
