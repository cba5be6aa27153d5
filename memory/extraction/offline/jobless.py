"""Out of work, however it is said: "I'm between jobs at the moment", "currently unemployed", "out of
work since march", "not working anywhere rn".

Each employer on record ends (a DELETE that keeps it as the past); the job title stays, since a nurse
between jobs is still a nurse. With no employer held, the clause's own reading stands ("User is
unemployed."). Someone else's state ("my husband is out of work") is theirs, and a state said with a
time still to come ("I'll be unemployed in May") is a plan, read elsewhere.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import changes
from memory.extraction.offline.clauses import MAY_TELL_OF_USER, Clause
from memory.types import Event, MemoryItem

EMPLOYER = "employer"
_NO_JOB = re.compile(
    r"^(?:(?:i'm|i am|i've been|i have been|we're|we are)\s+)?(?:(?:now|currently|still|officially|technically|"
    r"basically|kind of|kinda|sort of)\s+)*"
    r"(?:unemployed|jobless|between jobs|out of (?:a )?(?:work|job)|without (?:a )?(?:job|work)|on the dole|"
    r"not working(?: anywhere)?(?= *$| *[,;.!]| (?:at the moment|right now|currently|rn|now|atm|anymore|any more|"
    r"at all|these days|for now)\b))"
    r"(?!\s+(?:of|from|with|for|until|by|early|late|soon|at(?! (?:the moment|present)\b)|"
    r"in (?:a|an|\d|two|three|a few)\b))",
    re.IGNORECASE,
)
# The state read as a plain fact, which the ending says better.
_SAID_AS_FACT = re.compile(r"^is:(?:unemployed|jobless|between_jobs|out_of_work)$")


def apply(
    said: list[Clause], facts: list[ProposedFact], related: dict[str, MemoryItem]
) -> list[ProposedFact]:
    """``facts`` with every held employer ended when a clause says the user has no job now."""
    if not any(clause.mood in MAY_TELL_OF_USER and _NO_JOB.match(clause.text) for clause in said):
        return facts
    employers = sorted(sid for sid, item in related.items() if item.slot == EMPLOYER)
    if not employers:
        return facts
    ended = {f.target for f in facts if f.event in (Event.DELETE, Event.UPDATE)}
    if any(f.event == Event.UPDATE and f.target in employers for f in facts):
        return facts  # a new employer named in the same turn is the successor
    facts = [f for f in facts if not (f.event == Event.ADD and _SAID_AS_FACT.match(f.slot or ""))]
    return facts + [
        ProposedFact(event=Event.DELETE, target=sid, reason=changes.REASON, confidence=changes.SURE_CHANGE)
        for sid in employers
        if sid not in ended
    ]
