"""Input checks shared by the library's entry points: ids, users, sessions, texts and messages.
Each refuses bad input with an ``InvalidInputError`` a user can act on, before anything is stored."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from memory.agent_scope import TENANT_SEPARATOR, agent_of, check_agent, is_agent_owner
from memory.errors import InvalidInputError
from memory.types import canonical_id

# A speaker's label before a stored chat turn ("Melanie: ..."), and a picture's caption after it.
_LABEL = re.compile(r"^[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2}: ")
_CAPTION = re.compile(r"\s*\[image: [^\]]*\]")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def is_question(text: str) -> bool:
    """A turn that only asks something (it tells the memory little about the user): it ends with a
    question, and whatever it says besides questions is an interjection of at most three words
    ("Cool! What type of guitar?", "Thanks, Mel! Any tips?")."""
    said = [s.strip() for s in _SENTENCE.findall(_CAPTION.sub("", _LABEL.sub("", text.strip())))]
    said = [s for s in said if s]
    return bool(said) and said[-1].endswith("?") and all(s.endswith("?") or len(s.split()) <= 3 for s in said)


# A turn that asks the assistant to forget: its retractions erase instead of closing, and the offline
# reply never offers it as something remembered.
_FORGET = re.compile(r"\b(forget|erase|delete|remove|wipe)\b", re.IGNORECASE)


def wants_forgetting(text: str) -> bool:
    """A forget word anywhere ("forget", "delete", "removed"…): the cheap first test of ``orders_forgetting``."""
    return bool(_FORGET.search(text))


@lru_cache(maxsize=512)  # one turn is asked about once per DELETE it makes and once more by the reply
def orders_forgetting(text: str) -> bool:
    """The user asks the assistant to forget ("forget my phone number", "could you delete my address?"),
    as the clause reader reads the turn, or the turn is such an order as it is kept (its mark); "I had
    my appendix removed" and "did you forget my birthday?" are not."""
    if FORGOTTEN_MARK in text:
        return True
    if not wants_forgetting(text):
        return False
    from memory.extraction.offline.clauses import forget_order, split

    return any(forget_order(clause) for clause in split(text))


# "what do you know about me?", "what have I told you?", "tell me about myself": the user asks for all
# that is remembered of them, which no single search ranks (the facts share no words with the question).
_SO_FAR = r"(?:\s+(?:so far|until now|yet|already|now))?\s*[?.!]*\s*$"
_ABOUT_SELF = re.compile(
    "|".join(
        rf"\b{ask}{_SO_FAR}"
        for ask in (
            r"what (?:else |all )?(?:do|did|can) you (?:know|remember|recall)(?: about (?:me|myself)| of me)?",
            r"what (?:do|did) you (?:have|keep|store|hold)(?: stored| saved)? (?:about|on) me",
            r"what (?:have|did) i (?:told|tell) you(?: about (?:me|myself))?",
            r"tell me (?:everything |all |what )?(?:you know |you remember )?about (?:me|myself)",
            r"who am i",
            r"what(?:'s|s| is) in your memory",
            r"(?:summari[sz]e|list|show me)(?: all)? (?:what you know|everything you know|what you remember"
            r"|everything you remember|my memories)(?: about me)?",
            r"what are my memories",
        )
    ),
    re.IGNORECASE,
)


def asks_about_self(text: str) -> bool:
    """The message asks what the assistant knows of the user as a whole."""
    return bool(_ABOUT_SELF.search(text.strip()))


FORGOTTEN_MARK = "[asked to forget something]"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def without_forget_orders(text: str) -> str:
    """A turn that made the memory forget, as it is kept: its sentences that ask to forget give way to
    one mark, so the order does not keep what it forgot ("Forget that I live in Berlin. Thanks!" ->
    "[asked to forget something] Thanks!")."""
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        if not wants_forgetting(sentence):
            kept.append(sentence)
        elif FORGOTTEN_MARK not in kept:
            kept.append(FORGOTTEN_MARK)
    return " ".join(s for s in kept if s.strip())


_WORD = re.compile(r"[\w']+")
_FIRST_PERSON = frozenset("i me my mine myself we us our ours ourselves".split())
_SECOND_PERSON = frozenset("you your yours yourself yourselves ya y'all u ur".split())


@lru_cache(maxsize=4096)  # asked of the same hits search after search
def speaks_to_other(text: str) -> bool:
    """A turn that speaks of the one it is said to more than of its speaker ("Wow, Caroline, that painting
    is awesome! What inspired you?"): it says little about its speaker."""
    first = second = 0
    for word in _WORD.findall(_CAPTION.sub("", _LABEL.sub("", text.strip())).lower()):
        word = word.split("'", 1)[0] if word not in _SECOND_PERSON else word  # "you're", "i'm", "we've"
        first += word in _FIRST_PERSON
        second += word in _SECOND_PERSON
    return second > first


def check_encodable(text: str, what: str) -> None:
    """NUL bytes and lone surrogates cannot be stored or embedded: refuse them in words."""
    if "\x00" in text:
        raise InvalidInputError(f"{what} contains a NUL character; send plain text.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInputError(f"{what} is not valid Unicode text (at character {exc.start}).") from exc


def check_user(user_id: Any) -> str:
    if not isinstance(user_id, str) or not user_id.strip():
        raise InvalidInputError(
            "user_id is required (a non-empty string). For the agent's own shared memory, pass "
            "agent_id with scope='agent' instead."
        )
    if is_agent_owner(user_id):
        raise InvalidInputError(
            "That user_id names an agent's shared memory; use agent_id with scope='agent'."
        )
    if len(user_id) > 256:
        raise InvalidInputError("user_id is too long (256 characters at most).")
    # The HTTP service names its users "tenant\x1fuser" (clients cannot send control characters):
    # the one control character a user id may hold. Agent owners start with another one.
    if any(ord(c) < 32 and c != TENANT_SEPARATOR for c in user_id):
        raise InvalidInputError("user_id may not contain control characters.")
    check_encodable(user_id, "user_id")
    return user_id.strip()


def check_owner(owner: Any) -> str:
    """A user id, or an agent's reserved owner (internal callers that already resolved the scope)."""
    if is_agent_owner(owner):
        check_agent(agent_of(owner), required=True)
        return owner
    return check_user(owner)


def check_session(session_id: Any) -> str:
    if not isinstance(session_id, str) or not session_id.strip() or len(session_id) > 256:
        raise InvalidInputError("session_id must be a non-empty string of at most 256 characters.")
    return session_id.strip()


def check_id(memory_id: Any) -> str:
    """Any spelling of a memory id becomes its one canonical form, so no spelling can reach past a check."""
    canonical = canonical_id(memory_id)
    if canonical is None:
        raise InvalidInputError(f"{memory_id!r} is not a memory id.")
    return canonical


def check_limit(limit: Any) -> int:
    """A count of results asked for: a whole number of at least 1."""
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise InvalidInputError("limit must be a whole number of at least 1.")
    return limit


def check_text(text: Any, max_chars: int) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError("The text is empty.")
    if len(text) > max_chars:
        raise InvalidInputError(
            f"The text is {len(text):,} characters; the limit for one message is "
            f"{max_chars:,}. Upload it as a file instead, and it will be split into parts."
        )
    check_encodable(text, "The text")
    return text.strip()


def normalise_messages(messages: Any, max_chars: int) -> list[dict[str, str]]:
    """A string, or a list of {role, content} dicts, as checked messages."""
    if isinstance(messages, str):
        return [{"role": "user", "content": check_text(messages, max_chars)}]
    if not isinstance(messages, list) or not messages:
        raise InvalidInputError("messages must be a string or a non-empty list of {role, content} dicts.")
    out = []
    for m in messages:
        if not isinstance(m, dict) or "content" not in m:
            raise InvalidInputError("Each message needs a 'role' and a 'content'.")
        role = m.get("role", "user")
        if role not in ("user", "assistant", "system"):
            raise InvalidInputError(f"Unknown message role {role!r}.")
        out.append({"role": role, "content": check_text(m["content"], max_chars)})
    return out


def check_logged_messages(messages: Any) -> list[tuple[str, str]]:
    """Chat messages to log as shown: (role, content) rows, each kept whole (a log, not a memory)."""
    rows = []
    for m in messages:
        if (
            not isinstance(m, dict)
            or m.get("role") not in ("user", "assistant")
            or not isinstance(m.get("content"), str)
        ):
            raise InvalidInputError(
                "Each logged message needs a role (user or assistant) and a text content."
            )
        rows.append((m["role"], m["content"]))
    return rows
