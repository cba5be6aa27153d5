"""The MCP server driven by the SDK's own client: stdio (spawning `python -m memory mcp`) and
streamable HTTP (a real server process on 127.0.0.1)."""

from __future__ import annotations

import json
import subprocess
import sys

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.server.processes import REPO_ROOT, child_env, free_port, stop_process, wait_port

TOOLS = {"add_memory", "search_memories", "list_memories", "delete_memory"}


def payload(result) -> object:
    """A tool's structured result (the SDK wraps a non-object result in {"result": ...})."""
    data = result.structured_content
    if data is None:
        data = json.loads(result.content[0].text)
    return data["result"] if isinstance(data, dict) and set(data) == {"result"} else data


def test_stdio_tools_add_search_list_delete_and_ingest(tmp_path) -> None:
    notes = tmp_path / "trip.txt"
    notes.write_text("The ferry to Bergen leaves at 07:45 from pier 3.\n")
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "memory", "--data-dir", str(tmp_path / "data"), "mcp", "--user", "ann"],
        env=child_env(),
        cwd=str(REPO_ROOT),
    )

    async def session() -> None:
        async with Client(params, read_timeout_seconds=120) as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            assert tools == TOOLS | {"ingest_file"}
            added = payload(await client.call_tool("add_memory", {"text": "I live in Oslo."}))
            assert "User lives in Oslo." in [op.get("new_text") for op in added["operations"]]
            found = payload(await client.call_tool("search_memories", {"query": "where do I live"}))
            assert found[0]["text"] == "User lives in Oslo."
            ingested = payload(await client.call_tool("ingest_file", {"path": str(notes)}))
            assert ingested["memories_added"] >= 1
            listed = payload(await client.call_tool("list_memories", {"memory_type": "semantic"}))
            assert "User lives in Oslo." in [m["text"] for m in listed]
            await client.call_tool("delete_memory", {"memory_id": found[0]["id"]})
            after = payload(await client.call_tool("list_memories", {}))
            assert found[0]["id"] not in [m["id"] for m in after]
            refused = await client.call_tool("add_memory", {"text": "   "})
            assert refused.is_error and "The text is empty." in refused.content[0].text
            missing = await client.call_tool("delete_memory", {"memory_id": found[0]["id"]})
            assert missing.is_error and "No memory" in missing.content[0].text

    anyio.run(session)


def test_http_transport_has_no_local_file_tool(tmp_path) -> None:
    port = free_port()
    log = open(tmp_path / "mcp.log", "wb")
    args = ["--data-dir", str(tmp_path / "data"), "mcp", "--user", "bob", "--transport", "http"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "memory", *args, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=child_env(),
        cwd=REPO_ROOT,
    )

    async def session() -> None:
        async with Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=120) as client:
            assert {t.name for t in (await client.list_tools()).tools} == TOOLS
            refused = await client.call_tool("ingest_file", {"path": "/etc/hostname"})
            assert refused.is_error
            await client.call_tool("add_memory", {"text": "I prefer tea.", "infer": False})
            listed = payload(await client.call_tool("list_memories", {}))
            assert [m["text"] for m in listed] == ["I prefer tea."]

    try:
        wait_port(port, proc)
        anyio.run(session)
    finally:
        stop_process(proc)
        log.close()
    with pytest.raises(OSError):  # the process is gone: nothing listens on its port
        import socket

        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_stdio_tools_can_use_a_memory_service(service, acme) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "memory", "mcp", "--user", "zoë", "--url", service.url],
        env=child_env(MEMORY_API_KEY=service.keys["acme"]),
        cwd=str(REPO_ROOT),
    )

    async def session() -> None:
        async with Client(params, read_timeout_seconds=120) as client:
            await client.call_tool("add_memory", {"text": "I play the cello.", "infer": False})

    anyio.run(session)
    assert [m.text for m in acme.get_all(user_id="zoë")] == ["I play the cello."]
