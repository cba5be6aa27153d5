"""A name said in the clause after the one that brought in who it names is read with that clause.

"we got a puppy, her name is Biscuit", "adopted a second cat, a tabby called Miso", "we have two kids:
Jonah (7) and Ruth (4)": the splitter makes two clauses of each, and the second alone is about someone
else. Joined ("we got a puppy named Biscuit"), the rule table reads the pet or the children by name.
"""

from __future__ import annotations

import re
from dataclasses import replace

from memory.extraction.offline.clauses import Clause, Mood
from memory.extraction.offline.rules import ANIMALS, FAMILY

_NAME = r"(?P<v>[A-Za-z][\w'-]*)"
# "her name is Biscuit", "he's called Otis", "named him Pickles", "a tabby called Miso".
_NAMED = re.compile(
    rf"^(?:and |also |so )?(?:(?:his|her|its|their) names?(?: is| are|'s)|(?:he|she|it)(?:'s| is) (?:named|called)|"
    rf"(?:i|we) (?:named|called) (?:him|her|it|them)|(?:(?:a|an) )?(?:[\w-]+ ){{0,2}}?(?:named|called)) "
    rf"{_NAME}[\s.!?]*$",
    re.IGNORECASE,
)
# A list of names, each perhaps with an age: "Jonah (7) and Ruth (4)", "Ellie, Sam and baby Rosa".
_NAMES = re.compile(
    r"^(?:(?:baby|little) )?[A-Z][\w'-]*(?: \(\d+\))?(?:(?:,| and|, and|&) (?:(?:baby|little) )?[A-Z][\w'-]*"
    r"(?: \(\d+\))?)*[\s.!?]*$"
)
# What a list of names can follow: "we have two kids", "my three daughters".
_COUNTED = re.compile(r"\b(?:kids|children|sons|daughters|cats|dogs|kittens|puppies|pets)$", re.IGNORECASE)
# A short aside between a pet and its name: "we got a dog? a rescue, his name's Banjo".
_ASIDE = re.compile(r"^(?:an? |the )?[\w-]+(?: [\w-]+)?$")
_ASSERTIVE = (Mood.STATEMENT, Mood.RETRACTION)
# Whom a name can follow: a pet or a relative ("I play bass, a band called The Lilacs" joins nothing).
_WHO = re.compile(rf"\b(?:{ANIMALS}|{FAMILY}|baby|someone|somebody|a guy|a girl)\b", re.IGNORECASE)


# Which kind of being a word names, so that "two kids, Leo and Mia, and a golden retriever called Biscuit"
# does not name a child Biscuit: a breed ("tabby", "retriever") may be any animal's.
_KINDS = {
    **dict.fromkeys(("dog", "dogs", "puppy", "puppies", "pup"), "dog"),
    **dict.fromkeys(("cat", "cats", "kitten", "kittens", "kitty"), "cat"),
    **dict.fromkeys(("rabbit", "bunny"), "rabbit"),
    **dict.fromkeys(("horse", "pony"), "horse"),
    **dict.fromkeys(("fish", "goldfish"), "fish"),
    **dict.fromkeys(("turtle", "tortoise"), "turtle"),
}
_PEOPLE = re.compile(
    rf"\b(?:{FAMILY}|kids|children|sons|daughters|baby|someone|somebody|a guy|a girl)\b", re.I
)
_ANIMAL = re.compile(rf"\b(?:{ANIMALS}|dogs|cats|kittens|puppies)\b", re.IGNORECASE)
# What the user said they have, which a list's next item shares: "I have a cat, and a dog called Rex".
_HAVE = re.compile(
    r"^(?:i|we)(?: (?:also|just|now|still))? (?:have|'ve got|have got|got|own|adopted)\b", re.I
)


_CHILD = {"kids": "child", "children": "child", "sons": "son", "daughters": "daughter", "baby": "child"}


def _kinds(text: str) -> tuple[set[str], set[str]]:
    """The animals a text names (a breed as "animal") and the people, each by its kind."""
    animals = {_KINDS.get(m.group(0).lower(), "animal") for m in _ANIMAL.finditer(text)}
    people = {m.group(0).lower() for m in _PEOPLE.finditer(text)} - set(_KINDS)
    return animals, {_CHILD.get(word, word) for word in people}


def _another(named: str, before: str) -> bool:
    """The naming clause names a being of another kind than the clause before brought in: a son after
    a daughter, a dog after a cat or after the kids; not a tabby after a cat."""
    (my_animals, my_people), (their_animals, their_people) = _kinds(named), _kinds(before)
    if not (my_animals or my_people) or not (their_animals or their_people):
        return False
    if my_people & their_people or my_animals & their_animals:
        return False
    if my_animals and their_animals and "animal" in my_animals | their_animals:
        return False  # a breed may be the animal named before
    return True


def attach(said: list[Clause]) -> list[Clause]:
    """The clauses of a turn, each naming clause joined to the assertive clause before it."""
    out: list[Clause] = []
    listing = False  # the clause before took a list of names, which may go on ("Ellie (9), Sam (6)")
    for clause in said:
        before = out[-1] if out else None
        text = clause.text.strip()
        if before is not None and len(out) > 1 and _ASIDE.match(before.text) and _NAMED.match(text):
            if out[-2].mood in _ASSERTIVE and _WHO.search(out[-2].text):
                out.pop()  # the aside says nothing the name needs
                before = out[-1]
        if before is not None and before.mood in _ASSERTIVE:
            named = _NAMED.match(text)
            if named and _another(text, before.text):
                have = _HAVE.match(before.text)  # the list goes on: "..., and a dog called Rex"
                out.append(
                    replace(clause, text=f"{have.group(0)} {text}", mood=before.mood) if have else clause
                )
                continue
            if named and _WHO.search(before.text):
                out[-1] = replace(before, text=f"{before.text.rstrip(' ,.!')} named {named['v']}")
                continue
            several = listing or bool(re.search(r" and |&|,|\(", text))  # "Seriously." alone is no name
            if _NAMES.match(text) and several and (listing or _COUNTED.search(before.text.rstrip(" ,.!:"))):
                joiner = ", " if listing else " named "
                out[-1] = replace(before, text=f"{before.text.rstrip(' ,.!:')}{joiner}{text}")
                listing = True
                continue
        listing = False
        out.append(clause)
    return out
