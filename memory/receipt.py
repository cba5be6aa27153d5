"""A receipt per chat turn: retrieval time, memory operations applied, and the language-model tokens,
seconds and cost of the reply and of the extraction, each on its own."""

from __future__ import annotations

from pydantic import BaseModel

from memory.types import AddResult, Event, LLMUsage

EVENT_WORDS = {Event.ADD: "added", Event.UPDATE: "updated", Event.DELETE: "ended", "FORGET": "forgotten"}


class TurnReceipt(BaseModel):
    """What one turn took. ``reply``/``extraction`` are None when no language model was asked."""

    retrieval_ms: float
    llm: bool  # a language model is configured
    reply: LLMUsage | None = None
    extraction: LLMUsage | None = None
    operations: dict[str, int] | None = None  # {"ADD": 2, ...}; None while the write runs
    remembered: bool = True  # False in a temporary chat
    write_failed: bool = False

    @property
    def cost_usd(self) -> float | None:
        costs = [
            u.cost_usd for u in (self.reply, self.extraction) if u is not None and u.cost_usd is not None
        ]
        return sum(costs) if costs else None

    def line(self) -> str:
        """One compact line, e.g. 'retrieval 12 ms · memory: 2 added · reply: 310 tokens in, 42 out, 0.8 s · …'."""
        parts = [f"retrieval {self.retrieval_ms:.0f} ms", f"memory: {self._memory_words()}"]
        if not self.llm:
            parts.append("no LLM")
        else:
            parts.append(_usage_words("reply", self.reply))
            if self.remembered:
                parts.append(_usage_words("extraction", self.extraction))
            if self.cost_usd is not None:
                parts.append(f"${self.cost_usd:.4f}")
        return " · ".join(parts)

    def _memory_words(self) -> str:
        if not self.remembered:
            return "not remembered"
        if self.write_failed:
            return "not saved"
        if self.operations is None:
            return "updating…"
        counted = [f"{n} {EVENT_WORDS.get(e, e.lower())}" for e, n in self.operations.items() if n]
        return ", ".join(counted) or "nothing changed"


def operation_counts(result: AddResult) -> dict[str, int]:
    """Operations applied by a write, by event (NONE is not an operation applied)."""
    counts: dict[str, int] = {}
    for op in result.changed():
        key = "FORGET" if op.event == Event.DELETE and op.erased else op.event.value
        counts[key] = counts.get(key, 0) + 1
    return counts


def totals(receipts: list[TurnReceipt]) -> LLMUsage:
    """Chat totals: every reply and extraction call of these turns, summed."""
    usages = [u for r in receipts for u in (r.reply, r.extraction) if u is not None]
    costs = [u.cost_usd for u in usages if u.cost_usd is not None]
    return LLMUsage(
        calls=sum(u.calls for u in usages),
        prompt_tokens=sum(u.prompt_tokens for u in usages),
        completion_tokens=sum(u.completion_tokens for u in usages),
        seconds=round(sum(u.seconds for u in usages), 3),
        cost_usd=sum(costs) if costs else None,
    )


def _usage_words(what: str, usage: LLMUsage | None) -> str:
    if usage is None:
        return f"{what} …"
    if not usage.calls:
        return f"{what}: no LLM call"
    return f"{what}: {usage.prompt_tokens:,} tokens in, {usage.completion_tokens:,} out, {seconds(usage.seconds)}"


def totals_line(receipts: list[TurnReceipt]) -> str:
    """'3 turns · 1,234 tokens in, 210 out · 4.2 s of LLM · $0.0012', or '… · no LLM'."""
    turns = f"{len(receipts)} turn{'s' if len(receipts) != 1 else ''}"
    if not any(r.llm for r in receipts):
        return f"{turns} · no LLM"
    usage = totals(receipts)
    line = f"{turns} · {usage.prompt_tokens:,} tokens in, {usage.completion_tokens:,} out · {seconds(usage.seconds)} of LLM"
    return line + (f" · ${usage.cost_usd:.4f}" if usage.cost_usd is not None else "")


def seconds(value: float) -> str:
    """'0.04 s' for short calls, '12.3 s' for long ones."""
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
