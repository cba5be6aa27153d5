"""The offline extractor (no LLM): clauses and their mood, rules as data, names kept whole.

``clauses`` reads the sentence, ``rules`` is the table, ``interpreter`` runs it, ``retraction`` and
``commands`` handle negated statements and requests, ``targets`` finds the memory a change is about,
``parse`` is the grammar (spaCy's small English parser) the clause reader and the generic facts lean on,
``places`` the towns a move may name without a phrase around them (``moves``); ``pairing`` joins an ending
and its replacement, ``status`` reads a partnership that ended and ``engaged`` one that moved on,
``jobless`` a user out of work, ``diet`` a held diet broken, ``fragments`` a job said without a verb.
"""

from memory.extraction.offline.extractor import OfflineExtractor
from memory.extraction.offline.names import proper_nouns

__all__ = ["OfflineExtractor", "proper_nouns"]
