"""A ChatGPT data export: ``conversations.json`` (a list of conversations, each a tree of messages
in ``mapping``). The thread shown last (``current_node`` back to the root) is read; every user and
assistant turn becomes an episodic memory of the conversation's session, the chat can be reopened
from its transcript, then facts are extracted from the user's turns as if they were said now."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from memory.errors import ImportFormatError
from memory.extraction import Turn
from memory.types import Event, MemoryInput, MemoryType, Source, SourceKind

if TYPE_CHECKING:
    from memory.importers import ImportReport, Progress
    from memory.memory import Memory

_ROLES = ("user", "assistant")


class ChatTurn(BaseModel):
    id: str
    role: str
    text: str
    at: datetime | None = None


class Conversation(BaseModel):
    id: str
    title: str
    turns: list[ChatTurn]


def parse(data: Any, max_chars: int) -> tuple[list[Conversation], list[str]]:
    """The conversations and their turns, and what was passed over (too long, not text)."""
    if not isinstance(data, list):
        raise ImportFormatError("conversations.json of a ChatGPT export is a list of conversations.")
    out, skipped = [], []
    for n, raw in enumerate(data, start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("mapping"), dict):
            raise ImportFormatError(
                f"Conversation {n} of conversations.json has no message 'mapping'; is this a ChatGPT export?"
            )
        conv_id = str(raw.get("conversation_id") or raw.get("id") or f"chatgpt-{n}")
        title = str(raw.get("title") or f"Conversation {n}")
        turns = []
        for node_id, message in _thread(raw["mapping"], raw.get("current_node"), n):
            turn = _turn(node_id, message, n)
            if turn is None:
                continue
            if len(turn.text) > max_chars:
                skipped.append(f"{title}: a {turn.role} message of {len(turn.text):,} characters (too long)")
                continue
            turns.append(turn)
        out.append(Conversation(id=conv_id, title=title, turns=turns))
    return out, skipped


def import_conversations(
    memory: Memory, data: Any, *, user_id: str, progress: Progress | None = None
) -> ImportReport:
    from memory.importers import ImportReport

    conversations, skipped = parse(data, memory.config.max_text_chars)
    report = ImportReport(format="chatgpt", conversations=len(conversations), skipped=skipped)
    total = sum(len(c.turns) for c in conversations)
    done = 0
    for conv in conversations:
        if not conv.turns:
            continue
        episodes = memory.add_batch([_episode(conv, t) for t in conv.turns], user_id=user_id)
        memory.log_conversation(
            [{"role": t.role, "content": t.text} for t in conv.turns], user_id=user_id, session_id=conv.id
        )
        report.memories += len(episodes)
        previous: list[dict[str, str]] = []
        for t in conv.turns:
            if t.role == "user":
                turn = Turn(
                    text=t.text,
                    user_id=user_id,
                    session_id=conv.id,
                    turn_id=t.id,
                    at=t.at or datetime.now(UTC),
                    context=previous[-1:],
                    source=Source(kind=SourceKind.CHAT, session_id=conv.id, turn_id=t.id, role="user"),
                )
                result = memory.remember_turn(turn, keep_episode=False)
                report.memories += sum(1 for op in result.operations if op.event in (Event.ADD, Event.UPDATE))
            previous.append({"role": t.role, "content": t.text})
            done += 1
            report.turns += 1
            if progress is not None:
                progress(done, total)
    return report


def _episode(conv: Conversation, turn: ChatTurn) -> MemoryInput:
    return MemoryInput(
        text=turn.text,
        type=MemoryType.EPISODIC,
        session_id=conv.id,
        occurred_at=turn.at,
        source=Source(kind=SourceKind.CHAT, session_id=conv.id, turn_id=turn.id, role=turn.role),
        metadata={"imported_from": "chatgpt", "conversation": conv.title},
    )


def _thread(mapping: dict[str, Any], current: Any, n: int) -> list[tuple[str, dict[str, Any]]]:
    """The messages from the root to ``current_node`` (the branch shown last); without one, every
    message in time order."""
    if isinstance(current, str) and current in mapping:
        path, seen, node = [], set(), current
        while isinstance(node, str) and node in mapping and node not in seen:
            seen.add(node)
            entry = mapping[node]
            if not isinstance(entry, dict):
                raise ImportFormatError(f"Conversation {n} has a malformed message node {node!r}.")
            path.append((node, entry.get("message")))
            node = entry.get("parent")
        return [(i, m) for i, m in reversed(path) if isinstance(m, dict)]
    messages = [(i, e.get("message")) for i, e in mapping.items() if isinstance(e, dict)]
    messages = [(i, m) for i, m in messages if isinstance(m, dict)]
    return sorted(messages, key=lambda im: _number(im[1].get("create_time")) or 0.0)


def _turn(node_id: str, message: dict[str, Any], n: int) -> ChatTurn | None:
    author = message.get("author")
    role = author.get("role") if isinstance(author, dict) else None
    if role not in _ROLES or (message.get("metadata") or {}).get("is_visually_hidden_from_conversation"):
        return None
    content = message.get("content")
    if not isinstance(content, dict):
        raise ImportFormatError(f"A message of conversation {n} has no 'content' object.")
    if content.get("content_type") not in ("text", "multimodal_text"):
        return None
    parts = content.get("parts")
    if not isinstance(parts, list):
        raise ImportFormatError(f"A message of conversation {n} has no 'parts' list.")
    text = "\n".join(p for p in parts if isinstance(p, str)).replace("\x00", "").strip()
    if not text or not _encodable(text):
        return None
    stamp = _number(message.get("create_time"))
    return ChatTurn(
        id=str(message.get("id") or node_id),
        role=role,
        text=text,
        at=datetime.fromtimestamp(stamp, UTC) if stamp is not None else None,
    )


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
