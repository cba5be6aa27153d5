"""Held facts a turn ends, read wherever the turn names them: "smokey died on thursday", "Pete and I have
separated", "netflix is gone", "the book club fizzled out", "weaned off lexapro", "I have left the
Riverside Choir", "no more contacts for me".

Each reading is anchored on what the user already told: the thing ended must name one held fact (its
value, not only a common word of it), so "my friend's dog died" or "the meeting is over" ends nothing
that is not held. A clause that asks, plans, wonders, quotes or requests ends nothing; a death or a
break-up may be told of someone else ("Rufus passed away"), and is still the end of the user's fact.
"""

from __future__ import annotations

import re
from dataclasses import replace

from memory.extraction import ProposedFact
from memory.extraction.offline import names, targets
from memory.extraction.offline.clauses import SAYS_NOTHING, Clause, Mood
from memory.extraction.offline.rules import AWAY
from memory.types import Event, MemoryItem

REASON = "no longer true"
_THING = r"(?:the |my |our |a |an )?(?P<x>[\w&'-]+(?: [\w&'-]+){0,3}?)"
_END = (
    r"(?=\s*$|\s*[,;.!?(]| (?:in|on|at|last|this|after|before|since|for|because|bc|so|and|but|too|yesterday|today|"
    r"anyway|lol|haha|\d)\b)"
)


def _compiled(*patterns: str) -> list[re.Pattern[str]]:
    return [re.compile(p + _END if p.endswith(_THING) else p, re.IGNORECASE) for p in patterns]


# Each pattern names the thing ended as <x>. Told of anyone: a death, a break-up, a thing gone or over.
_TOLD = _compiled(
    r"(?:^|\b)(?P<x>[\w'-]+)(?:,? (?:she|he|it))? (?:has |had )?(?:died|passed(?: away| on)?|was put down|"
    r"had to be put down|was put to sleep|crossed the rainbow bridge)",
    # a thing taken or wrecked: "someone nicked my vespa", "bike got stolen", "the house sold"
    r"\b(?:nicked|stole|stolen|totall?ed|wrote off|scrapped) (?:my |our |the )?(?P<x>[\w'-]+(?: [\w'-]+)?)"
    r"(?= (?:outside|from|at|in|on|last|this|yesterday)\b|\s*$|\s*[,;.!?])",
    r"^"
    + _THING
    + r" (?:got |was |has been |is )?(?:nicked|stolen|totall?ed|written off|scrapped|sold)\b(?! out)",
    # let go: "Lloyds let a bunch of us go", "acme laid me off"
    r"^(?P<x>[\w&'-]+(?: [\w&'-]+){0,2}) (?:let (?:me|us|[\w ]{1,20} of us) go|laid (?:me|us|[\w ]{1,20} of us) off|"
    r"made me redundant|fired me)",
    r"\b(?:we |i )?(?:lost|buried) (?P<x>(?-i:[A-Z])[\w'-]*|[a-z][\w'-]*(?= (?:to|on|in|last)\b))",
    # a farewell for good, not one at the airport
    r"\b(?:said|say) (?:goodbye|good-bye|farewell) to (?:(?:my|our) (?:old |sweet |beloved )?)?(?P<x>[\w'-]+)"
    r"(?=\s*$|\s*[,;.!]| (?:yesterday|today|last|this morning|this week|on \w+day)\b)",
    # "we had to put Max down", "put our old boy to sleep", "RIP Luna"
    r"\b(?:had to|decided to|made the call to|the vet) put (?:(?:my|our) (?:old |sweet |beloved )?)?(?P<x>[\w'-]+) "
    r"(?:down|to sleep)\b(?! for\b)",
    r"^(?:rip|r\.i\.p\.?) (?:(?:my|our|sweet|little|old) )*(?P<x>[\w'-]+)",
    r"^(?P<x>[\w'-]+) and i (?:have |had |just )?(?:broke up|broken up|split up|split|separated|divorced|"
    r"called it quits)",
    r"^(?P<x>[\w'-]+)(?:'s| is) (?:my|now my) ex\b",
    r"^" + _THING + r"(?:'s| is| are| was)? (?:gone|over|done|cancell?ed|finished|history)",
    r"^" + _THING + r" (?:fizzled out|has ended|ended|lapsed|expired)",
    r"\b(?:no more|bye(?:-bye)?|goodbye) (?!to\b)" + _THING,
    # "today was my last day at Microsoft", "worked my last shift at the Keg" (not "my last day at X is friday")
    r"\b(?:was|finished|worked|did|had) my (?:very )?(?:last|final) (?:day|shift|week) (?:at|with|for) "
    + _THING,
)
# Done by the user: only in the user's own statement ("my buddy quit tennis" ends nothing of theirs).
_DONE = _compiled(
    r"\b(?:broke up|split up|separated|divorced) (?:with |from )?(?P<x>(?-i:[A-Z])[\w'-]*|[a-z][\w'-]*$)",
    r"\b(?:let|uninstalled|deleted|cancell?ed) " + _THING,
    r"\b(?:came|come|coming|weaned|taken me|took me|got|went|tapered|tapering) off (?:of )?" + _THING,
    r"\b(?:stopped taking|wrapped up|lost|sold) " + _THING,
    # "officially out of the guard", not "out of coffee" or "out of the office"
    r"\b(?:officially |now |finally )out of " + _THING,
    r"\bno longer (?:have|has|use|take|play|do|own|need) " + _THING,
    r"\bnot (?:allergic to|actually|really) " + _THING + r" (?:after all|anymore|any more)",
    r"\bgrew out of " + _THING,
    r"\b(?:have |has |had )?(?:left|quit|retired from|stepped down (?:as|from)|resigned from|"
    r"(?:got |been )?made redundant (?:from|at)|pulled out of|dropped out of|hung up) "
    + _THING
    + _END
    + rf"(?! {AWAY})",  # "left Bristol for a week": a time away
    r"\b(?:don't|do not|barely|never) (?:really )?(?:play|do|use|take|go to|see|eat|drink) "
    + _THING
    + r" (?:anymore|any more)",
)
_OWN_MOODS = (Mood.STATEMENT, Mood.RETRACTION)
# Someone else's: "my friend's dog died", "her ex Bill".
_OTHERS = re.compile(r"\b(?:\w+'s|his|her|their|your) (?:\w+ )?$", re.IGNORECASE)


def endings(said: list[Clause], related: dict[str, MemoryItem]) -> list[tuple[Clause, ProposedFact]]:
    """DELETEs of the held facts a turn's clauses say have ended, one per held fact, each with the clause
    of the turn it was read in."""
    found: dict[str, tuple[Clause, ProposedFact]] = {}
    for clause, reading in _named_subjects(said):
        if clause.mood in SAYS_NOTHING:
            continue
        for pattern in _TOLD + (_DONE if clause.mood in _OWN_MOODS else []):
            for m in pattern.finditer(reading.text):
                if _OTHERS.search(reading.text[: m.start("x")]):
                    continue
                for thing in _things(m["x"], reading.text[m.start("x") :]):
                    sid = _held(thing, related)
                    if sid is None or sid in found:
                        continue
                    ending = targets.delete(sid, None, reading.text, targets.LIKELY, REASON)
                    # what the user called it
                    found[sid] = (clause, ending.model_copy(update={"entities": [thing]}))
    return list(found.values())


Made = list[tuple[Clause, list[ProposedFact]]]


def attach(made: Made, related: dict[str, MemoryItem]) -> Made:
    """The proposals of each clause with the endings of held facts read in it added, where nothing else
    was read about the same fact; an ending restated as a plain fact ("User has left the Riverside
    Choir.") is dropped. A replacement said elsewhere in the turn is then paired with it (``pairing``)."""
    # A guess between held facts ("quit tennis and yoga" read as one of the two) yields to a reading of each.
    guessed = {
        p.target for _, found in made for p in found if p.target and (p.confidence or 1.0) < targets.LIKELY
    }
    touched = {p.target for _, found in made for p in found if p.target} - guessed
    ended = [(c, d) for c, d in endings([c for c, _ in made], related) if d.target not in touched]
    if not ended:
        return made
    gone = [targets.content(" ".join(d.entities)) for _, d in ended]
    ended_ids = {d.target for _, d in ended}
    out = []
    for clause, found in made:
        kept = [
            p
            for p in found
            if not (p.event == Event.ADD and any(w and w & targets.content(p.text or "") for w in gone))
            and not (p.target in guessed and p.target in ended_ids)
        ]
        out.append((clause, kept + [d for c, d in ended if c is clause]))
    return out


def _named_subjects(said: list[Clause]) -> list[tuple[Clause, Clause]]:
    """(clause, reading) for each clause, and a second reading of one that opens with a pronoun, as the
    name said alone just before it: "Mochi, she passed last week" -> "Mochi passed last week"."""
    out = [(c, c) for c in said]
    for before, clause in zip(said, said[1:], strict=False):
        name = before.text.strip(" .,!")
        pronoun = re.match(r"^(?:she|he|it)\b", clause.text, re.I)
        if pronoun and re.fullmatch(r"[\w'-]+", name) and name.lower() not in names.PRONOUNS:
            out.append((clause, replace(clause, text=name + clause.text[pronoun.end() :])))
    return out


def _things(named: str, rest: str) -> list[str]:
    """What the ending names: the thing matched, or each thing of a list ("quit primark and the nail bar")."""
    listed = re.match(
        r"^([\w&' -]+?(?:(?:,| and| &) (?:the |my |our )?[\w&' -]+?)+)(?=\s*$|[,;.!?])", rest, re.I
    )
    if not listed or not re.search(r",| and | & ", listed[1], re.I):
        return [named]
    parts = [
        re.sub(r"^(?:the|my|our) ", "", p.strip(), flags=re.I)
        for p in re.split(r",| and | & ", listed[1], flags=re.I)
    ]
    return [named] + [" ".join(p.split()[:4]) for p in parts if p]


def _held(phrase: str, related: dict[str, MemoryItem]) -> str | None:
    """The one held fact the phrase names, and names by its value (the words after its verb)."""
    phrase = names.trim(phrase) or phrase
    if not phrase or phrase.lower().split()[0] in names.PRONOUNS:
        return None
    sid = targets.about(phrase, related)
    if sid is None:
        return None
    words, held = targets.content(phrase), related[sid].text
    # Every word of the phrase is the held fact's ("the book club"), not "Max's vet visit" or "the
    # meeting with Pete", and one of them is its value, not only its verb.
    return sid if words <= targets.content(held) and words & _value_words(held) else None


def _value_words(held: str) -> set[str]:
    """The stems that say which thing a held fact is about: every content word after its verb."""
    words = held.rstrip(".").split()
    if words and words[0] == "User's":  # "User's mother is named Carol.": the mother is what it is about
        return targets.content(" ".join(words[1:]))
    return targets.content(" ".join(words[2:])) if len(words) > 2 else targets.content(held)


_RETIRED = re.compile(
    r"\b(?:i|we)(?:'ve| have|'m| am)? (?:just |finally |officially |now |recently )*retired\b", re.I
)
_WORK_SLOTS = ("employer", "job_title")


def retirement(
    said: list[Clause], proposals: list[ProposedFact], related: dict[str, MemoryItem]
) -> list[ProposedFact]:
    """A user who says they retired: the held job becomes "User retired from …" (an UPDATE, the past kept),
    whether the turn names it ("retired from the navy") or not ("I'm retired now")."""
    if not any(c.mood in _OWN_MOODS and _RETIRED.search(c.text) for c in said):
        return proposals
    jobs = [sid for sid, m in related.items() if m.slot in _WORK_SLOTS and m.valid_to is None]
    named = {p.target for p in proposals if p.event == Event.DELETE and p.target in jobs}
    chosen = sorted(named) if named else jobs if len(jobs) == 1 else []
    if not chosen or any(p.event == Event.UPDATE and p.target in chosen for p in proposals):
        return proposals
    kept = [
        p
        for p in proposals
        if not (p.event == Event.DELETE and p.target in chosen)
        and not (p.event == Event.ADD and re.search(r"\bretired\b", p.text or ""))  # the update says it
    ]
    sid = chosen[0]
    update = ProposedFact(
        event=Event.UPDATE,
        target=sid,
        text=_retired(related[sid].text),
        reason="retired",
        confidence=targets.LIKELY,
    )
    return kept + [update]


def _retired(held: str) -> str:
    """ "User works at Honeywell." -> "User retired from Honeywell."; "User works as a nurse." -> "User
    retired as a nurse."."""
    for pattern, said in (
        (r"^User (?:works|is working) (?:at|for|in)\b", "User retired from"),
        (r"^User (?:works|is working) as\b", "User retired as"),
        (r"^User is\b", "User retired as"),
    ):
        if re.match(pattern, held):
            return re.sub(pattern, said, held)
    return "User is retired."
