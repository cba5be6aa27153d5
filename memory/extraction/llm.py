"""``LLMExtractor``: one completion per turn proposes ADD/UPDATE/DELETE/NONE operations.

The reply is validated with pydantic after lenient repair; an invalid reply gets one retry that
quotes the error; after that, or at once when the model cannot be reached, the offline extractor
takes the turn, so a turn is never lost.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from memory.config import MemoryConfig
from memory.errors import LLMError
from memory.extraction import Extraction, Extractor, ProposedFact, Turn, short_ids
from memory.extraction.repair import load_json_leniently
from memory.llm import ChatLLM, make_llm
from memory.prompts import EXTRACTION_SCHEMA, extraction_messages, extraction_retry_message
from memory.types import Event, MemoryItem, MemoryType, Relation

log = logging.getLogger(__name__)

MALFORMED_WARNING = "The language model returned malformed output; used the offline rules instead."
_OP_KEYS = ("op", "event", "action", "operation")
_TEXT_KEYS = ("text", "memory", "fact", "content")
_TARGET_KEYS = ("target", "id", "memory_id", "target_id")
_CONFIDENCE_WORDS = {"high": 0.9, "medium": 0.6, "low": 0.3}


class _Triple(BaseModel):
    subject: str
    relation: str
    object: str

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, value: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) == 3:
            return dict(zip(("subject", "relation", "object"), value, strict=True))
        return value


class _Operation(BaseModel):
    model_config = ConfigDict(extra="ignore")

    op: Event
    type: MemoryType = MemoryType.SEMANTIC
    text: str | None = None
    target: str | None = None
    entities: list[str] = Field(default_factory=list)
    relations: list[_Triple] = Field(default_factory=list)
    slot: str | None = None
    reason: str | None = None
    confidence: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalise_keys(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        data = dict(value)
        for canonical, aliases in (("op", _OP_KEYS), ("text", _TEXT_KEYS), ("target", _TARGET_KEYS)):
            if data.get(canonical) is None:
                data[canonical] = next((data[k] for k in aliases if data.get(k) is not None), None)
        if isinstance(data.get("op"), str):
            data["op"] = data["op"].strip().upper()
        if isinstance(data.get("type"), str):
            data["type"] = data["type"].strip().lower()
        elif data.get("type") is None:
            data.pop("type", None)
        if isinstance(data.get("entities"), str):
            data["entities"] = [data["entities"]]
        for key in ("entities", "relations"):
            if data.get(key) is None:
                data[key] = []
        return data

    @field_validator("target", mode="before")
    @classmethod
    def _target_text(cls, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return str(value)  # a bare number

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence(cls, value: Any) -> float | None:
        """0..1; a percentage, a number in a string or a word ("high") is read, anything else dropped."""
        if isinstance(value, str):
            word = value.strip().lower().rstrip("%")
            value = _CONFIDENCE_WORDS.get(word, word)
            try:
                value = float(value)
            except ValueError:
                return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        value = value / 100 if 1 < value <= 100 else value
        return float(value) if 0 <= value <= 1 else None

    @field_validator("entities", mode="before")
    @classmethod
    def _entity_texts(cls, value: Any) -> Any:
        return [str(v) for v in value if v not in (None, "")] if isinstance(value, list) else value

    @model_validator(mode="after")
    def _required_fields(self) -> _Operation:
        if self.op in (Event.ADD, Event.UPDATE) and not (self.text and self.text.strip()):
            raise ValueError(f"{self.op.value} needs a non-empty text")
        if self.op in (Event.UPDATE, Event.DELETE) and not self.target:
            raise ValueError(f"{self.op.value} needs the target id of an existing memory")
        return self


class _Reply(BaseModel):
    operations: list[_Operation]


def parse_reply(raw: str) -> _Reply:
    """The validated operations in a model reply; raises ``ValueError`` saying what is wrong."""
    data = load_json_leniently(raw)
    if isinstance(data, list):
        data = {"operations": data}
    elif isinstance(data, dict) and "operations" not in data:
        if any(key in data for key in _OP_KEYS):
            data = {"operations": [data]}
        else:
            lists = [v for v in data.values() if isinstance(v, list)]
            if len(lists) == 1:
                data = {"operations": lists[0]}
    try:
        return _Reply.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'reply'}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise ValueError(f"the JSON does not match the required format ({problems})") from exc


def normalise_target(target: str | None) -> str | None:
    """'m3', 'M3', '[m3]' and '3' all mean short id 'm3'."""
    if target is None:
        return None
    cleaned = target.strip().strip("[]()<>\"'").strip().lower()
    return f"m{cleaned}" if cleaned.isdigit() else cleaned


class LLMExtractor:
    """The ``Extractor`` that asks the language model once per turn, with ``fallback`` as a safety net."""

    name = "llm"

    def __init__(self, llm: ChatLLM, fallback: Extractor) -> None:
        self.llm = llm
        self.fallback = fallback

    def extract(self, turn: Turn, related: list[MemoryItem]) -> Extraction:
        ids = short_ids(related)
        messages = extraction_messages(
            text=turn.text,
            role=turn.role,
            today=turn.at,
            related=ids,
            context=turn.context,
            from_document=turn.from_document,
            source_label=turn.source.label() if turn.from_document else None,
        )
        try:
            raw = self.llm.complete(messages, json_schema=EXTRACTION_SCHEMA)
            try:
                reply = parse_reply(raw)
            except ValueError as first_error:
                log.info("extraction reply invalid (%s); retrying once", first_error)
                retry = [
                    *messages,
                    {"role": "assistant", "content": raw[:4000]},
                    extraction_retry_message(str(first_error)),
                ]
                reply = parse_reply(self.llm.complete(retry, json_schema=EXTRACTION_SCHEMA))
        except LLMError as exc:
            log.warning("extraction fell back to the offline rules: %s", exc)
            return self._fall_back(
                turn,
                related,
                f"The language model could not be reached ({exc}); used the offline rules instead.",
            )
        except ValueError as exc:
            log.warning("extraction reply invalid after one retry (%s)", exc)
            return self._fall_back(turn, related, MALFORMED_WARNING)
        return self._to_extraction(reply, ids, turn)

    def _fall_back(self, turn: Turn, related: list[MemoryItem], warning: str) -> Extraction:
        result = self.fallback.extract(turn, related)
        return result.model_copy(update={"warnings": [warning, *result.warnings]})

    def _to_extraction(self, reply: _Reply, ids: dict[str, MemoryItem], turn: Turn) -> Extraction:
        facts: list[ProposedFact] = []
        warnings: list[str] = []
        for op in reply.operations:
            target = normalise_target(op.target)
            if target is not None and target not in ids:
                warnings.append(
                    f"The language model referred to memory {op.target!r}, which it was not shown; "
                    "that change was ignored."
                )
                continue
            if op.op == Event.NONE and target is None:
                continue  # "nothing to do" needs no record
            targets_rule = target is not None and ids[target].type == MemoryType.PROCEDURAL
            if turn.from_document and (op.type == MemoryType.PROCEDURAL or targets_rule):
                warnings.append(
                    "Ignored an instruction found in document data: documents cannot change "
                    "how the assistant behaves."
                )
                continue
            facts.append(
                ProposedFact(
                    event=op.op,
                    text=op.text.strip() if op.text else None,
                    type=op.type,
                    target=target,
                    slot=op.slot,
                    entities=_unique(e.strip() for e in op.entities if e.strip()),
                    relations=_unique(
                        Relation(
                            subject=t.subject.strip(), relation=t.relation.strip(), object=t.object.strip()
                        )
                        for t in op.relations
                        if t.subject.strip() and t.relation.strip() and t.object.strip()
                    ),
                    reason=op.reason,
                    confidence=op.confidence,
                )
            )
        return Extraction(
            facts=facts,
            warnings=_unique(warnings),
            extractor=self.name,
            turn_entities=_unique(e for fact in facts for e in fact.entities),
            turn_relations=_unique(r for fact in facts for r in fact.relations),
        )


def _unique(items: Any) -> list:
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def make_extractor(config: MemoryConfig) -> Extractor:
    """The LLM extractor (with the offline one as fallback) when a model is configured, else the offline one."""
    from memory.extraction.offline import OfflineExtractor

    offline = OfflineExtractor()
    llm = make_llm(config.llm)
    return LLMExtractor(llm, fallback=offline) if llm is not None else offline
