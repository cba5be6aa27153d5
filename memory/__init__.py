"""Long-term memory for chat assistants: semantic, episodic and procedural memories with provenance."""

from memory.config import MemoryConfig
from memory.errors import MemoryLayerError
from memory.memory import Memory, MemoryInput
from memory.types import AddResult, Event, HistoryEntry, MemoryHit, MemoryItem, MemoryType, Operation, Source

__all__ = [
    "AddResult",
    "Event",
    "HistoryEntry",
    "Memory",
    "MemoryConfig",
    "MemoryHit",
    "MemoryInput",
    "MemoryItem",
    "MemoryLayerError",
    "MemoryType",
    "Operation",
    "Source",
]
