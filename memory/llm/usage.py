"""What language-model calls cost: each call is noted for the thread that made it, so a turn can
say how many tokens and seconds its reply and its extraction took, and what that came to."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from memory.config import LLMConfig
from memory.types import LLMUsage

_local = threading.local()


@dataclass(frozen=True)
class LLMCall:
    """One finished call: what it was for, the tokens the server reported, and how long it took."""

    purpose: str  # "reply", "extraction" or "caption"
    prompt_tokens: int
    completion_tokens: int
    seconds: float


@dataclass
class CallLog:
    """The calls made in one ``recording()`` block, and what is left of its extraction budget."""

    calls: list[LLMCall] = field(default_factory=list)
    extraction_budget: int | None = None  # completion tokens extraction may still use; None: no cap

    def of(self, purpose: str) -> list[LLMCall]:
        return [call for call in self.calls if call.purpose == purpose]


@contextmanager
def recording(*, extraction_budget: int | None = None) -> Iterator[CallLog]:
    """Collect the calls this thread makes inside the block (blocks may nest; each sees its own)."""
    log = CallLog(extraction_budget=extraction_budget)
    stack: list[CallLog] = _local.__dict__.setdefault("stack", [])
    stack.append(log)
    try:
        yield log
    finally:
        stack.remove(log)


def note_call(call: LLMCall) -> None:
    """Record a finished call in every open ``recording()`` block of this thread."""
    for log in _local.__dict__.get("stack", ()):
        log.calls.append(call)
        if call.purpose == "extraction" and log.extraction_budget is not None:
            log.extraction_budget -= call.completion_tokens


def extraction_allowance(cap: int) -> int:
    """Completion tokens the next extraction call may use: ``cap``, or less when the turn's budget
    (the innermost ``recording()`` that has one) is partly spent. 0 means nothing is left."""
    for log in reversed(_local.__dict__.get("stack", ())):
        if log.extraction_budget is not None:
            return max(0, min(cap, log.extraction_budget))
    return cap


def summarise(calls: list[LLMCall], config: LLMConfig) -> LLMUsage:
    """Totals of these calls, with their cost when the model has a price in the config."""
    prompt = sum(call.prompt_tokens for call in calls)
    completion = sum(call.completion_tokens for call in calls)
    return LLMUsage(
        calls=len(calls),
        prompt_tokens=prompt,
        completion_tokens=completion,
        seconds=round(sum(call.seconds for call in calls), 3),
        cost_usd=price(config, prompt, completion),
    )


def price(config: LLMConfig, prompt_tokens: int, completion_tokens: int) -> float | None:
    """US dollars for these tokens, or None when no price is configured for the model."""
    if config.price_in_per_mtok is None and config.price_out_per_mtok is None:
        return None
    per_in = config.price_in_per_mtok or 0.0
    per_out = config.price_out_per_mtok or 0.0
    return (prompt_tokens * per_in + completion_tokens * per_out) / 1_000_000
