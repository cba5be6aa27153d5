"""A memory's vector: a long memory of several sentences is embedded sentence by sentence, and its
vector is the normalised mean of theirs.

A long chat turn or a document chunk says several things. Run whole through the model, its vector is
pulled toward what dominates the text (and past 256 tokens the rest is cut off), so a question about
one of its sentences matches it weakly. Each sentence embedded alone, then averaged, gives every
sentence its say. It costs no more than embedding the whole text (the same tokens), and on LoCoMo it
raised held-out recall@10 on both folds (bench/RESULTS.md). Keeping the sentences' vectors too and
matching the best of them (MaxSim) gained nothing more on either fold, and cost search time and storage
even when unused, so they are not kept.
"""

from __future__ import annotations

import re

import numpy as np

from memory.embeddings import Embedder

MAX_PARTS = 16  # sentences beyond this are grouped, so a long chunk is at most 16 runs of the model
MIN_WORDS = 3  # a shorter sentence ("Wow!", "Thanks.") joins the one before it
# A shorter text is matched whole: its sentences added noise on LoCoMo (chosen 2-fold, bench/RESULTS.md).
MIN_TEXT_WORDS = 20

# "Caroline: ..." (a speaker label), kept on every sentence so each still says who said it.
_LABEL = re.compile(r"^([A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2}): (?=\S)")
_ABBREVIATION = re.compile(r"\b(?:St|Dr|Mr|Mrs|Ms|Prof|Mt|Jr|Sr|vs|etc|e\.g|i\.e)\.$", re.IGNORECASE)
# A sentence ends at . ! ? (and closing quotes or brackets after them) before a space, or at a newline;
# "[image: ...]" (a picture's caption in a turn) is a sentence of its own.
_BREAK = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+|\s+(?=\[image: )")


def sentence_parts(text: str) -> list[str]:
    """The sentences a text's vector is the mean of (each with the text's speaker label); empty when the
    text is short or a single sentence, and then it is embedded whole."""
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


def embed_texts(embedder: Embedder, texts: list[str]) -> list[list[float]]:
    """Each text's vector, in order: a text with sentence parts is the normalised mean of theirs, any
    other text is embedded whole. Every distinct text or sentence is embedded once, in one call."""
    parts = {t: sentence_parts(t) for t in texts}
    unique = list(dict.fromkeys(p for t in texts for p in parts[t] or [t]))
    if not unique:
        return []
    vector = dict(zip(unique, embedder.embed(unique), strict=True))
    out = []
    for text in texts:
        if not parts[text]:
            out.append(vector[text])
            continue
        mean = np.mean(np.asarray([vector[p] for p in parts[text]], dtype=np.float32), axis=0)
        out.append((mean / max(float(np.linalg.norm(mean)), 1e-12)).tolist())
    return out
