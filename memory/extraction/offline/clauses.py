"""Read a turn before any rule fires: split it into clauses and give each its mood.

Only a clause whose mood is ``STATEMENT`` (or ``RETRACTION``, a negated statement of a held fact) may
make or change a fact; a ``PLAN`` makes a plan memory; a ``REQUEST`` may be a command to the
assistant; every other mood (question, hypothetical, possibility, quote, someone else as the subject,
idiom) changes nothing. The word lists below are the data that decide it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from memory.extraction.offline import parse
from memory.extraction.offline.rules import ATTRIBUTES, AWAY, DRUG, JOBS


class Mood(StrEnum):
    STATEMENT = "statement"
    RETRACTION = "retraction"
    PLAN = "plan"
    REQUEST = "request"
    QUESTION = "question"
    HYPOTHETICAL = "hypothetical"
    POSSIBILITY = "possibility"
    QUOTE = "quote"
    THIRD_PARTY = "third_party"
    IDIOM = "idiom"


# Moods of a clause that may tell of the user: their own statement or retraction, or a clause read as
# someone else's because its subject was dropped ("currently out of work") or is not the user ("the company
# gave me …"); each reader that takes the last one checks the clause's own words.
MAY_TELL_OF_USER = (Mood.STATEMENT, Mood.RETRACTION, Mood.THIRD_PARTY)
# Moods in which a clause states nothing: it makes no fact, names no replacement and swaps no value.
SAYS_NOTHING = frozenset(
    {Mood.QUESTION, Mood.HYPOTHETICAL, Mood.POSSIBILITY, Mood.PLAN, Mood.QUOTE, Mood.REQUEST, Mood.IDIOM}
)


@dataclass(frozen=True)
class Clause:
    text: str  # normalised, discourse markers stripped, elided "I" restored
    mood: Mood
    lowercase: bool  # the whole turn was typed in lower case (names are not capitalised)


# Casual spellings read as their standard form.
TYPOS = {
    "im": "i'm",
    "ive": "i've",
    "dont": "don't",
    "doesnt": "doesn't",
    "cant": "can't",
    "wont": "won't",
    "didnt": "didn't",
    "isnt": "isn't",
    "gonna": "going to",
    "wanna": "want to",
    "nmae": "name",
    "liv": "live",
    "luv": "love",
    "vegitarian": "vegetarian",
    "vegeterian": "vegetarian",
    "veggie": "vegetarian",
    "pls": "please",
    "colour": "color",
    "favourite": "favorite",
    "plz": "please",
    "u": "you",
    "ur": "your",
    "rn": "right now",
    "bc": "because",
    "fav": "favorite",
    "fave": "favorite",
    "cancelled": "canceled",
}
# Openers and tails that carry no content ("Actually, ...", "Call me crazy, but ...", "..., lol").
_LEAD = re.compile(
    r"^(?:(?:actually|well|so|now|ok|okay|oh|hey|hi|hello|yeah|ya|yep|(?:yes|no)(?=\s*[,!.])|lol|haha|ugh|hmm|btw|"
    r"bestie|bro|dude|mate|babe|omg|wow|yay|originally(?=[\s,]+(?:i|i'm|we)\b)|"
    r"anyway|anyways|honestly|tbh|to be honest|also|and|plus|then|fun fact|turns out(?: that)?|"
    r"these days|nowadays|lately|sorry|"
    r"quick update|big news|fyi|heads up|just so you know|(?:wait|hold on)(?=[\s,!.]+(?:i|i'm|we|my)\b)|not sure if i told you|"
    r"i don't know if you remember(?: but)?|call me (?:crazy|old[- ]fashioned|weird|biased)(?: but)?|"
    r"don't get me wrong|not going to lie|ngl|i mean|guess what|good news|bad news|dear (?:assistant|sir|madam)|"
    r"please be advised(?: that)?|for (?:your|the) records?|(?:just )?a heads up|"
    r"i(?: am|'m)? (?:writing|wish|would like|want|wanted) to (?:inform you|let you know|tell you)(?: that)?|"
    r"i(?: would|'d) like you to know(?: that)?|you should know(?: that)?)\b[\s,:!-]*)+",
    re.IGNORECASE,
)
_TRAIL = re.compile(
    r"[\s,]+(?:lol|haha|btw|though|as you know|remember|right|call me crazy|just saying|honestly|tbh)$",
    re.IGNORECASE,
)
# A clause that is an idiom as a whole: nothing to remember, never a command.
IDIOMS = re.compile(
    r"^(?:never ?mind|never say never|don't worry|no worries|forget (?:it|about it)\b|keep it up|"
    r"keep going|i'm all ears|i'm all set|(?:i'm )?over the moon|(?:i'm )?on cloud nine|i'm dying to|"
    r"i could eat a horse|i'm (?:just )?kidding|(?:i'm )?just saying|don't even get me started|"
    r"call it what you (?:want|like)|call me (?:maybe|later|back|when|sometime|if|tomorrow|tonight)|"
    r"i live (?:for|on)\b|i speak (?:my mind|from experience)|i'm learning (?:a lot|that|so much)|"
    r"count me in|break a leg|i'm on it|i'm game|speak of the devil|i'm not going to lie)",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"\b(?:said|says|say|told me|tells me|keeps? saying|wrote|texted|according to|asked me|claims?)\b"
    r"(?! (?:goodbye|good-bye|bye|farewell)\b)",
    re.IGNORECASE,
)
# A doctor's word about the user is the user's news: "my doctor says I'm not actually coeliac", "the doc
# says I don't need the CPAP anymore". What anyone else says of the user stays theirs ("my mum says I'm lazy").
_CARER = (
    r"\b(?:my |the |our |his |her )?(?:doctor|doc|gp|allergist|dermatologist|derm|gastro|neuro|cardio|physio|"
    r"physiotherapist|specialist|consultant|surgeon|dentist|optician|optometrist|\w+ologist|\w+iatrist)s? "
)
_CARER_SAYS = re.compile(
    _CARER
    + r"(?:says|said|told me|tells me|confirmed|has confirmed|thinks|reckons)(?: that)?,? (?=i\b|i'm\b|i've\b)",
    re.IGNORECASE,
)
# "the doctor took me off metformin": the user is off it now.
_CARER_ENDS = re.compile(
    _CARER + r"(?:has |have |finally |just )*(?:took|taken|take|weaned) me off\b", re.IGNORECASE
)
_HYPOTHETICAL_START = re.compile(
    r"^(?:if|suppose|supposing|imagine|let's say|pretend|unless|assuming|what if|even if|in a world where|"
    r"once)\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:i'd|i would|we'd|we would|i wish|if only|would love to|would like to)\b", re.IGNORECASE
)
_QUESTION_START = re.compile(
    r"^(?:what|what's|where|when|who|why|how|which|do|does|did|is|are|am|can|could|would|should|will|"
    r"have|has|any|isn't|aren't|don't|shall)\b",
    re.IGNORECASE,
)
# A statement said with a rising voice ("I've gone fully vegan now?", "i grew out of my allergy apparently?"):
# the user tells of themselves, with no modal that would make it a question ("I should quit my job?").
_UPTALK = re.compile(
    r"^(?:i|i'm|im|i've|ive|we|we're|we've)\b(?!.*\b(?:should|shall|could|can|might|may|will|would|must|"
    r"ought|need to|have to)\b)(?!.*\b(?:you|your|right|ok|okay|yeah|or not)\?*$)",
    re.IGNORECASE,
)
_POLITE = re.compile(
    r"^(?:please|kindly|can you|could you|would you|will you|would you mind|can u|you can|"
    r"(?:i would|i'd) (?:be (?:very |most |really )?grateful|appreciate it) if you (?:could|would|can)|"
    r"(?:i would|i'd) like you to)\b[\s,]*",
    re.IGNORECASE,
)
# The verbs of "forget …", shared with the command reader (``commands``).
FORGET_VERBS = r"forget|delete|remove|erase|wipe|clear|purge|scratch"
_FORGETTING = re.compile(rf"^(?:{FORGET_VERBS})\b", re.IGNORECASE)
_IMPERATIVE = re.compile(
    rf"^(?:please\s+)?(?:remember|note|keep in mind|{FORGET_VERBS}|ignore|"
    r"not (?:store|remember|keep|save)|call|address|always|never|"
    r"don't|do not|stop|only|answer|reply|respond|use|write|keep|help|give|tell|make|draft|translate|"
    r"recommend|suggest|explain|summari[sz]e|show|find|list|send|plan|book|check|from now on|"
    r"going forward|in (?:the )?future)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:(?:i|we) (?:might|may|could)|maybe|perhaps|probably|possibly|thinking (?:about|of)|"
    r"considering|not sure|unsure|i guess|i think|i don't think|i suppose|i feel like|i believe|"
    # a softened liking is still one ("I kinda like mushrooms now")
    r"(?:kind of|kinda|sort of)(?! (?:like|enjoy|love|prefer|hate|dislike)\b)|"
    r"wondering|who knows|not decided|nothing's decided)\b",
    re.IGNORECASE,
)
_PLAN = re.compile(
    r"^(?:going to|planning (?:to|on)|plan to)\b|"
    r"\b(?:i|we)(?:'m| am|'re| are) (?:going to|planning (?:to|on)|about to|moving to|"
    r"starting\b|leaving\b|quitting\b|retiring\b|adopting\b|visiting\b|relocating to)|"
    r"\b(?:i|we) (?:will|plan to|intend to)\b|\b(?:i'll|we'll)\b",
    re.IGNORECASE,
)
# A time still to come: "taking my nephew to a game next weekend" is a plan, not a current fact.
_FUTURE_TIME = re.compile(
    r"\b(?:tomorrow|tmrw|next (?:week|weekend|month|year|time|spring|summer|fall|autumn|winter|semester|"
    r"term|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|this coming \w+|"
    r"in (?:a|an|one|two|three|a few|\d+) (?:days?|weeks?|months?|years?)(?! ago)|after the holidays)\b",
    re.IGNORECASE,
)
_RETRACTION = re.compile(
    r"\b(?:any ?more|no longer)\b|\b(?:i|we) (?:quit|left|stopped|divorced|broke up)\b|"
    r"\b(?:got|was|were) (?:laid off|fired|let go)\b|\bused to\b|\band i (?:divorced|split up|broke up)\b|"
    r"\bi (?:just )?lost my job\b",
    re.IGNORECASE,
)
# "I left Bristol for a week to see family": a time away, nothing given up.
_AWAY_FOR = re.compile(rf"\bleft .+? {AWAY}", re.IGNORECASE)
_SELF = re.compile(
    r"^(?:i|i'm|i've|i'd|i'll|we|we're|we've|we'll|me|myself|(?:my |our )?[\w'-]+ and (?:i|me)|me and (?:my |our )?[\w'-]+)\b|"
    rf"^my (?:name|favou?rite|birthday|email|phone|address|wifi|password|age|{ATTRIBUTES})\b|"
    r"^(?:everyone|everybody|people|my friends|friends|most people|they) (?:all |usually |just )?calls? me\b|"
    r"^\w+(?:'s| is) (?:now )?my ex\b|^[\w' ]+? (?:laid me off|fired me|let me go|dumped me)\b",
    re.IGNORECASE,
)
# A clause that drops its subject: "Moved to NYC last week!", "not vegan anymore", "fav film is Up".
_ELIDED = [
    (re.compile(r"^(?=favorite [\w' -]+? (?:is|are)\b)", re.I), "my "),
    (re.compile(r"^(?=been \w+ing\b)", re.I), "I've "),  # "been seeing a guy named Ravi"
    (re.compile(rf"^(?=(?:now |also |still )?on {DRUG}\b)", re.I), "I'm "),  # "on levothyroxine now"
    (re.compile(rf"^(?=been on {DRUG}\b)", re.I), "I've "),  # "been on wellbutrin since march"
    (re.compile(r"^(?=employed (?:by|at|with)\b)", re.I), "I'm "),  # "employed by Grant Thornton"
    (re.compile(r"^(?=day job\b)", re.I), "my "),  # "day job is sound engineer at the BBC"
    (re.compile(r"^(?=name(?:'s| is) (?-i:[A-Z])[\w'-]+$)", re.I), "my "),  # "Name's Priya"
    (re.compile(r"^(?=new job (?:at|with)\b)", re.I), "I've got a "),  # "new job at Deloitte!"
    # "art student at Central Saint Martins", "final year med student at Imperial"
    (
        re.compile(
            r"^(?=(?:[\w-]+ ){0,3}(?:student|undergrad|postgrad|sophomore|freshman) at\b(?! heart))", re.I
        ),
        "I'm a ",
    ),
    (
        re.compile(
            r"^(?=(?:(?:huge|big|massive|lifelong|life-long|die-hard|diehard|proud|longtime|long-time|"
            r"loyal|total)\s+)+[\w&.' -]+ (?:fan|supporter)$)",
            re.I,
        ),
        "I'm a ",
    ),
    (
        re.compile(
            r"^(?=(?:just |finally |recently )?(?:moved|left|started|joined|quit|got|became|went|"
            r"graduated|relocated|stopped|used to|sold|gave up|canceled|dropped out|traded|switched|swapped|"
            r"replaced|finished|turned|bought|purchased|adopted|let my|picked up|took up|dropped|ditched|changed my|"
            r"accepted|got hired)\b)",
            re.I,
        ),
        "I ",
    ),
    (
        re.compile(
            r"^(?=(?:not|no longer|no more|still|based|living|working|now working|allergic|done with|ex-|"
            r"at(?! least| all| first| last| times)|with|doing|seeing|dating|off(?! to\b)|"
            r"(?:(?:fully|strictly|completely|totally|mostly|full|100%) )?(?:vegetarian|vegan|pescatarian))\b)",
            re.I,
        ),
        "I'm ",
    ),
]
# "My address is 14 Elm Street", "my ex is named Chris": a named or numbered value of the user's own.
_MY_VALUE = re.compile(
    r"^[Mm]y [\w'-]+(?: [\w'-]+){0,2} (?:is|are) (?:named |called )?(?=[^,]*?(?:\b[A-Z]|\d|\w@\w))"
)
_NO_LONGER = re.compile(
    r"^(?:don't|do not) (?:need|have|own|wear|eat|drink|smoke|play|use|take|work|live|drive|do|go)\b"
    r".*\bany ?more\b",
    re.IGNORECASE,
)
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]+")
_ABBREV = re.compile(r"\b(St|Dr|Mr|Mrs|Ms|Prof|Mt|Ft|Jr|Sr)\.\s", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"]*\"|(?:(?<=\s)|^)'[^']+'(?=[\s.,!?:;]|$)")
_SENTENCE = re.compile(r"[^.!?;\n]+(?:[.!?]+|;|\n|$)")
_SECOND_VERBS = (
    r"started|joined|bought|purchased|picked up|took up|switched to|moved to|working (?:as|at|for)|"
    r"work (?:as|at|for|in)|live (?:in|at|with)|study (?:at|in)"
)
_SECOND_VERB = re.compile(rf"^and (?:then )?(?:have |also )*(?:{_SECOND_VERBS})\b", re.I)
_CLAUSE = re.compile(
    rf",\s*(?!\d)|\s+(?=and (?:then )?(?:have |also )*(?:{_SECOND_VERBS})\b)|"
    r"\s+(?=but (?:thinking|planning|considering|hoping|looking|wanting|might|may|maybe|probably|gonna|want)\b)|"
    r"\s+(?=(?:and|but|so|because|though|although|while|plus|whereas)\s+"
    r"(?:i|i'm|i've|i'd|i'll|we|we're|we've|my|now|not|no longer|still|he|she|they|it|that|there|"
    r"honestly|also|then|the)\b)",
    re.IGNORECASE,
)


def plain(text: str) -> str:
    """Straight quotes, and emoji as sentence breaks."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _EMOJI.sub(". ", text)


# Spoken fillers ("um", "uh", "erm", "like,") and a word said twice ("I've, I've gone"), as dictated text has them.
_FILLER = re.compile(r"(?-i:\b(?:u+m+|u+h+|e+rm+|hm+)\b)[,.]?\s*|(?<=[,\s])like,\s+|^like,\s+", re.IGNORECASE)
_STUTTER = re.compile(r"\b([\w']+),? \1\b(?!')", re.IGNORECASE)
# A sentence typed in capitals is shouted, not a row of names: "WE BOUGHT A HOUSE".
_SHOUTED = re.compile(r"[^.!?\n]+")
# A bulleted or numbered item starts a sentence of its own: "- moved to Leeds", "2) my carrier is now EE",
# and inline "Please update: (1) I have moved to Eugene. (2) I now use a Galaxy A54."
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•·‣◦▪–]+|\(?\d{1,2}[.)]|\(?[a-h]\))[ \t]+", re.MULTILINE)
# "I am not anymore at Bosch": a learner's word order for "no longer".
_NOT_ANY_MORE = re.compile(
    r"\b(i(?:'m| am)) not any ?more (?=(?:at|in|with|working|a|an|the)\b)", re.IGNORECASE
)
# Ways of saying a thing that the readings take in one form: (pattern, said as).
_REWRITES = [
    (re.compile(p, re.IGNORECASE), said_as)
    for p, said_as in (
        # "my favourite band these days is Wet Leg": the time said between the thing and its value
        (r"\b(my [\w' ]{1,30}?) (?:these days|nowadays|now|at the moment|currently|rn) (is|are)\b", r"\1 \2"),
        # "had our first baby, a girl called Lily"
        (r"\bbaby,\s+(?:a |our )?(?=(?:little |beautiful |healthy )?(?:girl|boy)\b)", "baby "),
        # "I work nights as a nurse at St Mary's": the schedule, then the job as its own sentence
        (
            r"\b(i(?:'m)? work(?:ing)? (?:nights|days|weekends|evenings|earlies|lates)) (?=as )",
            r"\1. I work ",
        ),
        (r"\bmade the (?:big )?switch (?=to|from)\b", "switched "),
    )
]
# "I've taken up pottery", "we've sold the van": a change told in the present perfect, read as the past tense.
_PAST = {"taken up": "took up", "given up": "gave up", "gotten rid of": "got rid of"}
_PERFECT = re.compile(
    r"\b(i|we)(?:'ve| have) ((?:just |finally |recently )*)((?:also |now |officially )*)"
    r"(taken up|picked up|given up|gotten rid of|got rid of|sold|quit|stopped|adopted|bought|switched|traded|"
    r"swapped|ditched|dropped|left|started|joined|cancell?ed|moved)\b(?! (?:to|into|off|caring|feeling|thinking)\b)",
    re.IGNORECASE,
)
# A labelled value of the user's own, as a profile line: "phone: Pixel 9", "new carrier: giffgaff".
_LABEL = re.compile(
    rf"(^|[.!?\n]\s*)(?:my )?(?:new |current )?({ATTRIBUTES}|carrier|email|address|name):\s+",
    re.IGNORECASE | re.MULTILINE,
)
_INLINE_ITEM = re.compile(r"(?:(?<=[:.!?;]\s)|(?<=[:.!?;]))\(?(?:\d{1,2}|[a-h])\)\s+")


def _unshouted(sentence: str) -> str:
    words = re.findall(r"[A-Za-z]{2,}", sentence)
    return sentence.lower() if len(words) >= 2 and all(w.isupper() for w in words) else sentence


def normalise(text: str, labels: bool = True) -> str:
    """``plain``, then list markers, shouting, fillers and casual spellings undone, spaces collapsed;
    ``labels``: a labelled line ("phone: Pixel 9") is the user's own value (never in a file's text: a form
    or a CV names someone else's)."""
    text = _LIST_ITEM.sub("", plain(text))
    text = _INLINE_ITEM.sub(". ", text)
    text = _SHOUTED.sub(lambda m: _unshouted(m.group(0)), text)
    text = _STUTTER.sub(r"\1", _FILLER.sub("", text))
    text = _NOT_ANY_MORE.sub(r"\1 no longer ", text)
    text = re.sub(
        r"\b[A-Za-z]+\b",
        lambda m: (
            m.group(0) if m.group(0).isupper() else TYPOS.get(m.group(0).lower(), m.group(0))
        ),  # "RN", "I"
        text,
    )
    text = re.sub(r"\b(from now on|going forward|in (?:the )?future),\s*", r"\1 ", text, flags=re.I)
    text = re.sub(r",\s*(always|from now on|going forward)\b", r" \1", text, flags=re.I)  # "use X, always"
    if labels:
        text = _LABEL.sub(lambda m: f"{m[1]}my {m[2].lower()} is ", text)  # "new phone: Pixel 9"
    for pattern, said_as in _REWRITES:
        text = pattern.sub(said_as, text)
    text = _PERFECT.sub(lambda m: f"{m[1]} {m[2] or ''}{_PAST.get(m[4].lower(), m[4])}", text)
    text = re.sub(r"\s+-\s+|\s+—\s+|:\s+", ". ", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def sentences(text: str) -> list[tuple[str, str]]:
    """(sentence, terminator) pairs; abbreviations like "St." and a dot inside a word ("lena.k@example.org",
    "v2.1") do not end a sentence."""
    protected = re.sub(r"(?<=\w)\.(?=\w)", "\x00", _ABBREV.sub(lambda m: m.group(1) + "\x00 ", text))
    out = []
    for m in _SENTENCE.finditer(protected):
        chunk = m.group(0).replace("\x00", ".").strip()
        body = chunk.rstrip(".!?;\n ")
        if body:
            out.append((body, chunk[len(body) :].strip()))
    return out


def _strip_markers(text: str) -> tuple[str, bool]:
    """Drop openers and tails; True when the clause opened with "but" (a contrast ends a hypothetical)."""
    contrast = bool(re.match(r"^(?:but|though|although|whereas)\b", text, re.I))
    text = re.sub(r"^(?:but|though|although|whereas|because|so|while)\s+", "", text, flags=re.I)
    previous = None
    while previous != text:
        previous = text
        text = _LEAD.sub("", text).strip(" ,")
        text = _TRAIL.sub("", text).strip(" ,")
    return text, contrast


def _restore_subject(text: str) -> str:
    for pattern, subject in _ELIDED:
        if pattern.match(text):
            return subject + text
    return text


def _with_subject(clause: str, after_self: bool) -> str:
    """A clause with the subject the user dropped put back, when the parser reads one ("gave the
    trumpet up" -> "I gave the trumpet up"); word-listed elisions are restored later, as before."""
    if (
        _restore_subject(clause) != clause
        or _SELF.match(clause)
        or IDIOMS.match(clause)
        or _IMPERATIVE.match(_POLITE.sub("", clause))
    ):
        return clause
    if after_self and _INTRODUCTION.match(clause):
        return f"I'm {clause}"  # "hey I'm Kai, 19, from perth"
    subject = parse.elided_subject(clause, after_self)
    if subject is None:
        return clause
    first, rest = clause.split(" ", 1) if " " in clause else (clause, "")
    if first[1:].islower():
        first = first.lower()  # "Stepped down as treasurer" -> "I stepped down as treasurer"
    return f"{subject} {first} {rest}".strip()


def split(text: str, from_document: bool = False) -> list[Clause]:
    """The clauses of a turn, each with its mood (see the module docstring)."""
    said = normalise(text, labels=not from_document)
    parts = sentences(said)
    lowercase, casual = said == said.lower(), _casual(parts)
    clauses: list[Clause] = []
    for sentence, end in parts:
        sentence = _CARER_ENDS.sub("I'm off", _CARER_SAYS.sub("", sentence))
        # "forget what i said about glasgow": an order about the user's words, not a quote of them
        ordered = bool(_FORGETTING.match(command_text(_strip_markers(sentence)[0])))
        reported = not ordered and (bool(_REPORTED.search(sentence)) or bool(_QUOTED.search(sentence)))
        body = _QUOTED.sub(" ", sentence)
        opening = _strip_markers(body)[0]
        question = (end.startswith("?") and not _UPTALK.match(opening)) or bool(
            _QUESTION_START.match(opening) and not _NO_LONGER.match(opening)
        )
        hypothetical = False
        for raw in _pieces(body):
            clause, contrast = _strip_markers(raw.strip())
            if not clause:
                continue
            if contrast:
                hypothetical = False
            if _HYPOTHETICAL_START.match(clause):
                hypothetical = True
            if _NO_LONGER.match(clause):
                clause = "I " + clause  # "don't need glasses anymore": the user's, not a request
            uncased = lowercase or (casual and not _CAPITALISED.search(clause))
            clause = _with_subject(clause, bool(clauses) and clauses[-1].mood in _SPOKE_OF_SELF)
            if not uncased:
                clause = parse.truecased(clause)
            clauses.append(Clause(clause, _mood(clause, question, reported, hypothetical), uncased))
    return [
        Clause(_restore_subject(c.text), c.mood, c.lowercase) if c.mood != Mood.IDIOM else c
        for c in (clauses if from_document else _appositions(clauses))
    ]


# "I got a new phone, a Pixel 9", "company gave me a new truck, Peterbilt 579": the name after the comma
# is the new thing's, said as "my new phone is a Pixel 9".
_NEW_THING = re.compile(r"\b(?:a|an|my|the) (?:brand )?new (?P<x>[a-z]+)$", re.IGNORECASE)
_GOT_NEW = re.compile(
    r"(?:(?:i|we) )?(?:just |finally )?(?:got|bought|have|received|picked up) (?:a|an|my) (?:brand )?new \w+",
    re.IGNORECASE,
)
_NAMED = re.compile(r"^(?:an? |the )?(?-i:[A-Z0-9])[\w.&'+ -]*$")


def _tells_of_user(clause: Clause) -> bool:
    """The user's own statement, or someone else's that is about the user ("the company gave me …")."""
    return clause.mood in _SPOKE_OF_SELF or (
        clause.mood in MAY_TELL_OF_USER and bool(re.search(r"\b(?:me|us)\b", clause.text, re.I))
    )


def _appositions(said: list[Clause]) -> list[Clause]:
    out: list[Clause] = []
    for clause in said:
        before = out[-1] if out else None
        m = _NEW_THING.search(before.text) if before is not None else None
        if m and _tells_of_user(before) and _NAMED.match(clause.text) and len(clause.text.split()) <= 4:
            clause = Clause(f"my new {m['x'].lower()} is {clause.text}", Mood.STATEMENT, clause.lowercase)
            if _GOT_NEW.fullmatch(before.text):
                out.pop()  # "I got a new phone" says no more than the phone's name will
        out.append(clause)
    return out


# What follows a self-introduction without its "I'm": an age, where the user is from.
_INTRODUCTION = re.compile(
    r"^(?:\d{1,2}|(?:originally )?from [a-z][\w .'-]*|"
    rf"(?:an? )?(?:(?!(?:an?|the|\w+ly)\b)[\w-]+ ){{0,2}}(?:{'|'.join(sorted(JOBS - {'student'}, key=len, reverse=True))})"
    r"(?: (?:in|at|for|from) [\w .&'-]+)?)$",
    re.IGNORECASE,
)  # "hey I'm Kai, 19, from perth", "Name's Priya, 34, software engineer in Berlin"
_SPOKE_OF_SELF = (Mood.STATEMENT, Mood.RETRACTION)
_CAPITALISED = re.compile(r"\b(?!I\b|I')[A-Z]")


def _casual(parts: list[tuple[str, str]]) -> bool:
    """Typed without capitals at sentence starts ("we're in queens now. got a cat named Miso"): in a
    clause with no capital, a lower-case word may still be a name, as in an all lower-case turn."""
    starts = [re.sub(r"^[^\w]+", "", body)[:1] for body, _ in parts]
    return bool(starts) and all(c.islower() for c in starts if c)


def _pieces(body: str) -> list[str]:
    """The clause texts of a sentence; "Theo and I broke up" stays whole (the name is the subject), and
    so does "my brother sold his car and bought a van" (the second verb is not the user's)."""
    pieces = _CLAUSE.split(body)
    subject = _strip_markers(pieces[0])[0] if len(pieces) > 1 else ""
    if (
        re.fullmatch(r"(?:my |our )?[\w'-]+", subject) and re.match(r"^and (?:i|we|me)\b", pieces[1], re.I)
    ) or (subject.lower() == "me" and re.match(r"^and (?:my |our )?[\w'-]+\b", pieces[1], re.I)):
        pieces[:2] = [f"{pieces[0]} {pieces[1]}"]
    out: list[str] = []
    for piece in pieces:
        if (
            out
            and _SECOND_VERB.match(piece)
            and not _SELF.match(_restore_subject(_strip_markers(out[-1])[0]))
        ):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _mood(clause: str, question: bool, reported: bool, hypothetical: bool) -> Mood:
    if IDIOMS.match(clause):
        return Mood.IDIOM
    if reported:
        return Mood.QUOTE
    asked = command_text(clause)
    if asked != clause and _IMPERATIVE.match(asked):
        return Mood.REQUEST  # "I would be grateful if you could delete my address", "would you kindly ..."
    if hypothetical or _HYPOTHETICAL.search(clause):
        return Mood.HYPOTHETICAL
    if _IMPERATIVE.match(asked) and not re.match(r"^(?:i|we)\b", clause, re.I):
        return Mood.REQUEST
    if question:
        return Mood.QUESTION
    if _HEDGE.search(clause):
        return Mood.POSSIBILITY
    if _PLAN.search(clause) or _FUTURE_TIME.search(clause):
        return Mood.PLAN
    subject = _restore_subject(clause)
    if not (_SELF.match(subject) or _MY_VALUE.match(subject)):
        return Mood.THIRD_PARTY
    if _RETRACTION.search(subject) and not _AWAY_FOR.search(subject):
        return Mood.RETRACTION
    return Mood.STATEMENT


def forget_order(clause: Clause) -> bool:
    """An order to forget ("forget the Spanish thing", "could you delete my address")."""
    return clause.mood == Mood.REQUEST and bool(_FORGETTING.match(command_text(clause.text)))


def command_text(clause: str) -> str:
    """A request without its polite wrapper: "Can you please forget X" -> "forget X"."""
    previous = None
    while previous != clause:
        previous = clause
        clause = _POLITE.sub("", clause).strip()
    return clause
