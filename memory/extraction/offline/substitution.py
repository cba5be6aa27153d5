"""A held value swapped for a new one, read across a whole sentence: "we relocated from salt lake city to
boise", "left kaiser for Sutter Health", "guitar's out, cello's in", "its PwC not Deloitte", "new job:
Siemens", "my new number is 555-0199".

Each reading is anchored on what the user already told: the old value must name one held fact (or, for
"new X", the topic X must), so a sentence that only looks like a change ("drove from Boston to NYC",
"my sister moved from Leeds to York") changes nothing unless it is the user's own and names the held
value with a verb that says the value changed. Questions, plans, hypotheticals, possibilities, quotes and
requests never change a fact; the turn is still kept as an episode by the caller.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact
from memory.extraction.offline import changes, clauses, names, targets, values
from memory.extraction.offline.clauses import SAYS_NOTHING, Mood
from memory.extraction.offline.rules import FEELINGS, TIME_AWAY
from memory.types import Event, MemoryItem

_VALUE = r"[\w&'./+-]+(?: [\w&'./+-]+){0,3}?"
# Who may say a change of their own: the user, "we", or the user with someone ("my wife and i").
# A clause starts at the sentence's start or after a comma, a semicolon or a joining word.
_OWN = (
    r"(?:^|(?<=[,;:] )|(?<=\band )|(?<=\bso )|(?<=\bthen )|(?<=\bbut ))"
    r"(?:(?:so|and|but|ok|okay|well|also|then|oh|anyway|big update|update|news)[,:!]?\s+)*"
    r"(?:(?P<who>i|we|i've|we've|i have|we have|(?:my |our )?\w+ and i|me and (?:my )?\w+)\s+)?"
    r"(?:just |recently |finally |also |officially |have |had )?"
)
_FROM_TO = re.compile(
    _OWN + r"(?:moved|relocated|transferred|switched|changed|upgraded|downgraded|converted|shifted)\b"
    r"(?: [\w' ]{1,30}?)? (?:from|out of) (?:the |my |our |a |an )?(?P<x>"
    + _VALUE
    + r") (?:to|into|over to) "
    r"(?:the |a |an |my |our )?(?P<y>" + _VALUE + r")(?=$|[,;]| (?:in|on|at|last|this|since|because|"
    r"and|but|so|which|after|before|a|about|back)\b)",
    re.IGNORECASE,
)
_FOR = re.compile(
    _OWN + r"(?:traded|swapped|exchanged|replaced|ditched|left|sold|quit|dropped)(?: in)? "
    r"(?:the |my |our |a |an )?(?P<x>" + _VALUE + r") (?:for|with) (?:a |an |the )?(?P<y>" + _VALUE + r")"
    r"(?=$|[,;]| (?:in|on|at|last|this|since|because|and|but|so|which|after|before|now|a|about)\b)",
    re.IGNORECASE,
)
_OUT_IN = re.compile(
    r"(?:^|[,:;] ?)(?P<x>"
    + _VALUE
    + r")(?:'s| is| are) out[,;]? (?:and )?(?P<y>"
    + _VALUE
    + r")(?:'s| is| are) in\b"
    r"|out with (?:the |my )?(?P<x2>" + _VALUE + r"),? in with (?:the |a |an )?(?P<y2>" + _VALUE + r")\b",
    re.IGNORECASE,
)
_CORRECTED = re.compile(
    r"(?:^|\b(?:no|wait|sorry|oops|actually|btw|by the way|and|but|these days|nowadays)[,!]? )"
    r"(?:it'?s|its|it is|i'?m|im|i am|i work at|i live in) (?:actually |really |now )?"
    r"(?:a |an |the |in (?=(?-i:[A-Z])|\w+ not (?-i:[a-z])))?(?P<y>" + _VALUE + r"),? (?:now,? )?not "
    r"(?:a |an |the |at |in )?(?P<x>" + _VALUE + r")(?=$|[,;!.]| (?:anymore|any more|lol|haha|i|my|sorry)\b)"
    # "I live in Porto, well, not Porto, Braga actually"
    r"|\bnot (?P<x2>" + _VALUE + r"),? (?P<y2>" + _VALUE + r"),? actually\b",
    re.IGNORECASE,
)
_NEW = re.compile(
    r"(?:^|^(?:so|and|also|oh|ok|okay|update)[,:]? |\b(?:my|our) )new (?P<what>[a-z]+(?: [a-z]+)?)"
    r"(?::| is|'s| =) (?:a |an |the |at |in )?(?P<y>[^,;!?]+?)(?=$|[,;!?]| (?:and|but|so|lol|haha|btw)\b)",
    re.IGNORECASE,
)
# "I'm on fluoxetine now instead of sertraline", "using Linear instead of Jira these days"
_INSTEAD = re.compile(
    r"\b(?:i'm on|i am on|on|i use|using|i take|taking|i drink|drinking|i play|playing|i drive|driving|i'm at|"
    r"i work at|working at|i go to|going to) (?:the |a |an )?(?P<y>" + _VALUE + r")(?: now| these days)?,? "
    r"instead of (?:the |a |an |my )?(?P<x>"
    + _VALUE
    + r")(?=$|[,;.!]| (?:now|these days|lol|and|but|because)\b)",
    re.IGNORECASE,
)
# A medicine changed by a doctor: "doc switched me from metformin to ozempic", "switched me off X onto Y".
_SWITCHED_ME = re.compile(
    r"\b(?:switched|moved|changed|swapped|took) me (?:from|off)(?: of)? (?P<x>"
    + _VALUE
    + r") (?:to|onto|on|for) "
    r"(?P<y>" + _VALUE + r")(?=$|[,;.!]| (?:and|but|so|because|last|this|week|now)\b)",
    re.IGNORECASE,
)
# "Austin → Denver as of last week", "moved. denver -> boise": the held value first, then the new one.
_ARROW = re.compile(
    r"^(?:(?:moved|update|news|so|ok|okay|big news)[,:!.]?\s+)?(?P<x>" + _VALUE + r")\s*(?:→|->|=>|—>|⟶)\s*"
    r"(?P<y>" + _VALUE + r")(?=$|[,;.!]| (?:as of|since|now|last|this|in|on|finally)\b)",
    re.IGNORECASE,
)
# An age said without "I'm", once one is held: "officially 35", "29 as of today", "just turned 41".
_AGE = re.compile(
    r"(?:^|[,;:] |\b(?:i'm|i am|im) )(?:now |officially |finally |just turned |turned )+(?P<y>\d{1,2})"
    r"(?: years old| yo)?(?=$|[,;.!]| (?:today|now|lol|haha|yesterday|woo)\b)"
    r"|^(?P<y2>\d{1,2}) as of (?:today|yesterday|this week)\b",
    re.IGNORECASE,
)
# Not a value: a reason, a price, a time ("quit my job for my health", "sold it for $300").
_NO_VALUE = re.compile(
    r"^(?:my|his|her|their|our|your|it|that|this|them|him|good|now|a while|reasons?|health|family|"
    r"personal|free|cash|money|less|more|\$|\d+ ?(?:bucks|dollars|euros|pounds|k)\b|" + TIME_AWAY + ")",
    re.IGNORECASE,
)


def updates(text: str, related: dict[str, MemoryItem]) -> list[ProposedFact]:
    """The UPDATEs a turn's sentences make of held facts, one per held fact at most."""
    found: dict[str, ProposedFact] = {}
    lowercase = text == text.lower()
    # ``plain``, not ``normalise``: that would also break "new job: Siemens" at its colon.
    for sentence, end in _joined(clauses.sentences(clauses.plain(text))):
        if end.startswith("?"):
            # "… not Glasgow, moved in june — good running routes near Leith?": only the part after the
            # dash asks; what was told before it still counts.
            told = re.split(r"\s[—–-]\s", sentence)[:-1]
            if not told:
                continue
            sentence = " — ".join(told)
        for sid, old, new in _swaps(sentence, related):
            if sid not in found and new.lower() not in related[sid].text.lower():
                # a held name typed in lower case ("the odyssey") says the new one was typed so too
                casual = lowercase or old == old.lower()
                found[sid] = changes.replace(sid, old, new, casual, related)
    return list(found.values())


# "new job. deloitte.": the topic said alone, its value as the next sentence.
_NEW_ALONE = re.compile(
    r"^(?:(?:so|and|also|oh|ok|okay|update)[,:]? )?(?:got (?:a |my )?|a )?new (?P<what>[a-z]+)$",
    re.IGNORECASE,
)


def _joined(sentences: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The sentences, with a topic said alone ("new job.") joined to the short value after it."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(sentences):
        sentence, end = sentences[i]
        alone = _NEW_ALONE.match(sentence.strip())
        if alone and not end.startswith("?") and i + 1 < len(sentences):
            value, value_end = sentences[i + 1]
            if _names_a_value(value) and not value_end.startswith("?"):
                out.append((f"new {alone['what']}: {value.strip()}", value_end))
                i += 2
                continue
        out.append((sentence, end))
        i += 1
    return out


def _names_a_value(said: str) -> bool:
    """A short sentence that can only be a value ("deloitte", "Pixel 9"), not how it went ("love it",
    "so excited", "amazing")."""
    words = said.lower().strip(" .!").split()
    return (
        0 < len(words) <= 3
        and not any(w in names.PRONOUNS or w in _REACTIONS for w in words)
        and not re.search(r"(?:ing|ed|ly)$", words[0])
    )


_REACTIONS = FEELINGS | set("amazing awesome great nice cool yay woo lol haha ugh finally so very".split())


def apply(text: str, proposals: list[ProposedFact], related: dict[str, MemoryItem]) -> list[ProposedFact]:
    """``proposals`` with the turn's substitutions in place of whatever else was read about the same held
    facts or new values (an ending of the old value, the new value as a plain fact)."""
    found = updates(text, related)
    if not found:
        return _own_home(text, proposals, related)
    changed = {u.target for u in found}
    new_words = [targets.content(u.entities[0]) for u in found if u.entities]
    kept = [
        p
        for p in proposals
        if p.target not in changed
        and not (p.event == Event.ADD and any(w and w <= targets.content(p.text or "") for w in new_words))
    ]
    return kept + found


def _moods(sentence: str) -> set[Mood]:
    return {c.mood for c in clauses.split(sentence)}


def _swaps(sentence: str, related: dict[str, MemoryItem]) -> list[tuple[str, str, str]]:
    """(held fact, old value, new value) for each substitution the sentence states."""
    out = []
    moods = _moods(sentence)
    if moods & SAYS_NOTHING:
        return []
    for pattern in (_FROM_TO, _FOR, _OUT_IN, _CORRECTED, _ARROW, _SWITCHED_ME, _INSTEAD):
        for m in pattern.finditer(sentence):
            old, new = m.group("x") or m.groupdict().get("x2"), m.group("y") or m.groupdict().get("y2")
            if not old or not new:
                continue
            if Mood.THIRD_PARTY in moods and "who" in m.groupdict() and not m["who"]:
                continue  # "Priya on my team moved from Denver to Boston": someone else's change
            new = names.trim(_dwelling_place(new, sentence[m.end() :])) or new
            sid = targets.about(old, related)
            if pattern is _ARROW and sid and not targets.content(old) <= targets.content(related[sid].text):
                continue  # "we drove Austin → Denver": a trip, not the held value
            if sid is None or _NO_VALUE.match(new) or not targets.content(new):
                continue
            if targets.content(new) <= targets.content(old):
                continue
            out.append((sid, old, new))
    out += _age(sentence, related)
    for m in _NEW.finditer(sentence):
        new = names.trim(m["y"]) or m["y"]
        sid = targets.about(m["what"], related) or _by_topic(m["what"], related)
        if sid is None or _NO_VALUE.match(new) or not targets.content(new):
            continue
        old = _held_value(related[sid].text)
        if old:
            out.append((sid, old, new))
    return out


def _by_topic(what: str, related: dict[str, MemoryItem]) -> str | None:
    """The one current held fact of the slot a topic word names ("job" -> the employer)."""
    slot = targets.topic_slot(what)
    holders = [sid for sid, m in related.items() if slot and m.slot == slot and m.valid_to is None]
    return holders[0] if len(holders) == 1 else None


def _held_value(text: str) -> str:
    """The value a held fact names: its capitalised or numbered words after the subject."""
    tokens = [t.strip(".,!?") for t in text.split()[1:]]
    return " ".join(t for t in tokens if t[:1].isupper() or any(ch.isdigit() for ch in t))


def _age(sentence: str, related: dict[str, MemoryItem]) -> list[tuple[str, str, str]]:
    """The held age and the one the sentence gives, a few years on at most ("officially 35")."""
    m = _AGE.search(sentence)
    held = [(sid, item) for sid, item in related.items() if item.slot == "age" and item.valid_to is None]
    if m is None or len(held) != 1:
        return []
    sid, item = held[0]
    old = next((t for t in item.text.split() if t.isdigit()), None)
    new = m["y"] or m["y2"]
    if old is None or not 0 < int(new) - int(old) <= 5:
        return []
    return [(sid, old, new)]


_DWELLING_ONLY = re.compile(rf"^(?:[\w'-]+ ){{0,2}}?(?:{values.DWELLING})s?$", re.IGNORECASE)
_WHERE = re.compile(
    r"^ (?:just )?(?:in|near|outside(?: of)?) (?P<p>" + _VALUE + r")(?=$|[,;.!]| (?:in|on|last|this)\b)"
)


def _dwelling_place(new: str, rest: str) -> str:
    """The place of a dwelling moved into: "a village near york" -> "york"; "a retirement community" said
    before "in Sun City" -> "Sun City"."""
    if _DWELLING_ONLY.match(new) and (where := _WHERE.match(rest)):
        return where["p"]
    return values.home_in(new)


_OWN_PLACE = re.compile(
    r"\b(?:my|our) own (?:place|flat|apartment|studio|house|condo|home)\b|\bmoved out\b", re.I
)


def _own_home(text: str, proposals: list[ProposedFact], related: dict[str, MemoryItem]) -> list[ProposedFact]:
    """A home of the user's own ("got my own flat in Sheffield") replaces the held fact that they live with
    their parents; any other home is one more fact."""
    held = [sid for sid, m in related.items() if changes.lives_with_family(m.text) and m.valid_to is None]
    home = next((p for p in proposals if p.event == Event.ADD and p.slot == "home_city"), None)
    if len(held) != 1 or home is None or not _OWN_PLACE.search(text):
        return proposals
    update = home.model_copy(update={"event": Event.UPDATE, "target": held[0], "reason": changes.CHANGED})
    return [update if p is home else p for p in proposals]
