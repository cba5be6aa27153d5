"""The memory as MCP tools (official `mcp` SDK): `python -m memory mcp --user U` over stdio, or
`--transport http` (streamable HTTP on 127.0.0.1).

The user is fixed when the server starts, never chosen by a tool call. ``ingest_file`` reads a local
path, so it exists only over stdio, where the caller is the local user; over HTTP it is not offered.
With ``--url`` the tools talk to a memory service (MemoryClient, key in $MEMORY_API_KEY) instead of
opening the data directory.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from memory.config import MemoryConfig
from memory.errors import ConfigError, MemoryLayerError
from memory.types import MemoryItem, MemoryType

F = TypeVar("F", bound=Callable[..., Any])
INSTRUCTIONS = (
    "Long-term memory of one user. Call search_memories before answering questions about the user; "
    "call add_memory with what the user tells you about themselves."
)


def _as_tool_error(fn: F) -> F:
    """Library errors reach the model as the tool's error text (its words, no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MemoryLayerError as exc:
            raise ToolError(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def _brief(item: MemoryItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "text": item.text,
        "type": item.type.value,
        "source": item.source.label(),
        "created_at": item.created_at.isoformat(),
    }


def build_server(memory: Any, user: str, *, local_files: bool) -> MCPServer:
    """The MCP tools over ``memory`` (a Memory or a MemoryClient) for one user."""
    server = MCPServer("memory", instructions=INSTRUCTIONS)

    @server.tool()
    @_as_tool_error
    def add_memory(text: str, infer: bool = True) -> dict[str, Any]:
        """Remember what the user said. With infer, facts, preferences and rules are extracted and
        reconciled with what is already known; the message itself is kept too."""
        result = memory.add(text, user_id=user, infer=infer)
        return {
            "operations": [op.model_dump(mode="json", exclude_none=True) for op in result.changed()],
            "warnings": result.warnings,
        }

    @server.tool()
    @_as_tool_error
    def search_memories(query: str, limit: int = 5) -> list[dict[str, Any]]:
        """The user's memories most related to the query, best first."""
        hits = memory.search(query, user_id=user, limit=limit)
        return [{**_brief(h.memory), "similarity": h.similarity} for h in hits]

    @server.tool()
    @_as_tool_error
    def list_memories(
        limit: int = 50, memory_type: Literal["semantic", "episodic", "procedural"] | None = None
    ) -> list[dict[str, Any]]:
        """The user's memories, newest first; optionally only one type."""
        types = [MemoryType(memory_type)] if memory_type else None
        return [_brief(i) for i in memory.get_all(user_id=user, types=types, limit=limit)]

    @server.tool()
    @_as_tool_error
    def delete_memory(memory_id: str) -> str:
        """Forget one memory by its id (from search_memories or list_memories)."""
        memory.delete(memory_id, user_id=user)
        return f"Deleted {memory_id}."

    if local_files:

        @server.tool()
        @_as_tool_error
        def ingest_file(path: str) -> dict[str, Any]:
            """Remember a local PDF, image or text file (a path on this machine)."""
            result = memory.ingest(Path(path).expanduser(), user_id=user)
            return {
                "file_name": result.file_name,
                "pages": result.pages,
                "memories_added": len(result.memories_added),
                "duplicate": result.duplicate,
                "skipped": [f"{s.where}: {s.why}" for s in result.skipped],
            }

    return server


def run_mcp(
    config: MemoryConfig,
    *,
    user: str,
    transport: Literal["stdio", "http"] = "stdio",
    host: str = "127.0.0.1",
    port: int = 8766,
    url: str | None = None,
) -> None:
    """Serve the tools until the client disconnects (stdio) or the process is stopped (http)."""
    if url:
        from memory.client import MemoryClient

        key = os.environ.get("MEMORY_API_KEY")
        if not key:
            raise ConfigError("--url needs the service's API key in the MEMORY_API_KEY environment variable.")
        memory: Any = MemoryClient(url, key)
    else:
        from memory import Memory

        memory = Memory(config)
    try:
        server = build_server(memory, user, local_files=transport == "stdio")
        if transport == "stdio":
            server.run("stdio")
        else:
            server.run("streamable-http", host=host, port=port)
    finally:
        memory.close()
