"""A job said as a bare fragment, as people introduce themselves in chat: "nurse. nights. tired.", "Dairy
farmer here, 120 Holsteins.", "SWE at Stripe, mostly backend", "rust dev btw", "retired teacher, live
near Bath".

The rules read a job from a sentence with the user as its subject ("I'm a nurse", "I work as…"). A
fragment has no subject and no verb, so it is read only where an introduction stands: the turn's first
clause, or a clause that says "here" ("paramedic here"); a lone word only in a turn of fragments ("Doctor,
I need help with my rash" calls someone). Its last word must be an occupation
(``values.is_job``), so "coffee addict here" and "big fan of your work" are none; "at <name>" after it
is the employer. "retired" or "former" makes it what the user was, not their work now.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import names, parse, values
from memory.extraction.offline.clauses import Clause, Mood
from memory.extraction.offline.interpreter import Fact
from memory.types import Event, Relation

JOB, EMPLOYER = "job_title", "employer"
_FRAGMENT = re.compile(
    r"^(?:i (?=retired |former ))?(?P<job>(?:[\w+#./-]+ ){0,2}?[\w-]+)(?P<here> here| by trade)?"
    r"(?: (?:at|for|with) (?P<org>.+?))?(?: (?:now|btw|lol|haha|fyi|tbh))*$",
    re.IGNORECASE,
)
# "at" that names no place of work: "student at heart", "nurse at the moment".
_AT_IDIOM = re.compile(
    r"^(?:heart|best|worst|times|least|most|first|last|present|the moment|the time|home)\b", re.I
)
_PAST = re.compile(r"^(?:retired|former|ex-?)\s*", re.IGNORECASE)
# Words that open a fragment about something else: "new here", "first time here", "also here".
_NOT_FIRST = {"new", "first", "also", "just", "still", "not", "always", "only", "back", "over", "right"}
# Someone else's job ("my manager at amazon got laid off") opens with whose it is.
_NOT_FIRST |= {"my", "our", "his", "her", "their", "your", "the", "a", "an", "this", "that"}
_FRAGMENT_MOODS = (Mood.STATEMENT, Mood.THIRD_PARTY)


def apply(said: list[Clause], facts: list[ProposedFact]) -> list[ProposedFact]:
    """``facts`` with the job (and employer) of an introduction said as a fragment, when no rule read one."""
    if any(f.slot in (JOB, EMPLOYER) for f in facts):
        return facts
    for i, clause in enumerate(said):
        if clause.mood not in _FRAGMENT_MOODS:
            continue
        found = _FRAGMENT.match(clause.text.strip(" .!,"))
        if found is None or not (i == 0 or found["here"]):
            continue
        job, org = found["job"], found["org"]
        if org and _AT_IDIOM.match(org):
            if org.lower().startswith("heart"):
                continue  # "student at heart lol": not really one
            org = None  # "nurse at the moment", "teacher at best"
        if job[:1].isupper() and not job.split()[0].isupper():
            job = job[:1].lower() + job[1:]  # "Dairy farmer here": capital of the sentence, not a name
        if job.split()[0].lower() in _NOT_FIRST or not values.is_job(job):
            continue
        if " " not in job and not (found["here"] or found["org"]) and not _all_fragments(said):
            continue  # "Doctor, I need help with my rash" calls someone; "nurse. nights. tired." is one
        # a generic reading of the same words ("User retired teacher.") gives way to this one
        kept = [f for f in facts if not (f.event == Event.ADD and job.lower() in (f.text or "").lower())]
        return [*kept, *_read(job, org, clause.lowercase)]
    return facts


def _all_fragments(said: list[Clause]) -> bool:
    return all(c.mood == Mood.THIRD_PARTY and not re.match(r"i\b", c.text, re.I) for c in said)


def _read(job: str, org: str | None, lowercase: bool) -> list[ProposedFact]:
    past = _PAST.match(job)
    said = [
        _fact(
            f"User is {values.article(job)}." if past else f"User works as {values.article(job)}.",
            JOB,
            "is" if past else "works_as",
            job,
        )
    ]
    place = names.place(org, lowercase) if org else None
    if place and lowercase and not parse.names_a_thing(place):
        place = None  # "… at amazon got laid off" (a phrase, not a name span) says what happened
    if place and not past:
        said.append(_fact(f"User works at {place}.", EMPLOYER, "works_at", place))
    return said


def _fact(text: str, slot: str, relation: str, value: str) -> ProposedFact:
    return Fact(text, slot, Relation(subject="User", relation=relation, object=value), value).added(
        "stated by the user"
    )
