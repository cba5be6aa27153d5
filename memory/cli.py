"""`python -m memory add|search|list|get|update|delete|history|export|import|ingest|pending|apply|undo|bench
--user U`,
plus the service: `serve`, `keys create|list|revoke`, `mcp`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from memory.errors import MemoryLayerError

COMMANDS = "add search list get update delete delete-all history export import ingest pending apply undo bench".split()
SERVICE_COMMANDS = ("serve", "keys", "mcp")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m memory", description="Long-term memory from the command line."
    )
    parser.add_argument(
        "--data-dir", type=Path, help="data directory (default: $MEMORY_DATA_DIR or ./memory_data)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    sub = parser.add_subparsers(dest="command", required=True)

    def cmd(name: str, help_text: str, user: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        if user:
            p.add_argument("--user", default=None, help="whose memories (a customer)")
            p.add_argument("--agent", default=None, help="the agent; alone, the agent's shared memory")
        return p

    p = cmd("add", "remember a message (facts, preferences and rules are extracted)")
    p.add_argument("text")
    p.add_argument("--session", default=None)
    p.add_argument("--raw", action="store_true", help="store the text as given, without extraction")
    p = cmd("search", "find the memories most related to a query")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--type", action="append", choices=["semantic", "episodic", "procedural"])
    p.add_argument("--past", action="store_true", help="also superseded and retracted memories")
    p = cmd("list", "list memories, newest first")
    p.add_argument("--type", action="append", choices=["semantic", "episodic", "procedural"])
    p.add_argument("--past", action="store_true", help="also superseded and retracted memories")
    p.add_argument("--session", default=None)
    p.add_argument("--limit", type=int, default=None)
    p = cmd("get", "show one memory")
    p.add_argument("id")
    p = cmd("update", "replace a memory's text")
    p.add_argument("id")
    p.add_argument("text")
    p = cmd("delete", "delete one memory")
    p.add_argument("id")
    p = cmd("delete-all", "delete every memory of the user")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p = cmd("history", "the ADD/UPDATE/DELETE history of a memory")
    p.add_argument("id")
    p = cmd("export", "write the user's memories as JSON")
    p.add_argument("--out", type=Path, help="file (default: standard output)")
    p.add_argument("--media", action="store_true", help="a zip with the stored media too (needs --out)")
    p = cmd("import", "load an export, a ChatGPT conversations.json/zip or a Mem0 dump into this user")
    p.add_argument("file", type=Path)
    p.add_argument("--format", choices=["memory", "chatgpt", "mem0"], default=None)
    cmd("pending", "changes waiting for the user's answer")
    p = cmd("apply", "answer a pending change")
    p.add_argument("pending_id")
    p.add_argument("choice", choices=["apply", "keep_both", "ignore"])
    p = cmd("undo", "undo an operation (its id is on the add output and in history)")
    p.add_argument("operation_id")
    p = cmd("ingest", "remember a PDF, image or text file")
    p.add_argument("file", type=Path)
    p.add_argument("--password", default=None, help="password of an encrypted PDF")
    sub.add_parser("bench", help="benchmarks: python -m memory bench locomo|scale|ingest ...", add_help=False)
    add_service_commands(sub)
    return parser


def add_service_commands(sub: Any) -> None:
    p = sub.add_parser("serve", help="run the HTTP service (API keys: `keys create`)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    keys = sub.add_parser("keys", help="API keys of the HTTP service").add_subparsers(
        dest="keys_command", required=True
    )
    create = keys.add_parser("create", help="create a key for a tenant (printed once)")
    create.add_argument("--tenant", required=True)
    create.add_argument("--operator", action="store_true", help="may also manage agents' shared memory")
    keys.add_parser("list", help="list keys (ids, tenants, revoked or not)").add_argument("--tenant")
    keys.add_parser("revoke", help="revoke a key by its id").add_argument("key_id")
    p = sub.add_parser("mcp", help="run the MCP server (stdio, or streamable HTTP)")
    p.add_argument("--user", required=True, help="whose memories the tools read and write")
    p.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8766)
    p.add_argument("--url", help="use a memory service at this URL (key in $MEMORY_API_KEY)")


def run_service(args: argparse.Namespace, config: Any) -> Any:
    """serve / keys / mcp: they open what they need themselves (serve and mcp hold the Memory)."""
    if args.command == "serve":
        from memory.server.app import serve

        serve(config, args.host, args.port)
        return None
    if args.command == "mcp":
        from memory.server.mcp import run_mcp

        run_mcp(
            config, user=args.user, transport=args.transport, host=args.host, port=args.port, url=args.url
        )
        return None
    from memory.server.app import keys_path
    from memory.server.auth import KeyStore

    store = KeyStore(keys_path(config))
    try:
        if args.keys_command == "create":
            key = store.create(args.tenant, role="operator" if args.operator else "app")
            print("API key (shown once; only its hash is stored):", file=sys.stderr)
            return {"tenant": args.tenant, "key": key}
        if args.keys_command == "list":
            return [k.model_dump(mode="json") for k in store.list(args.tenant)]
        store.revoke(args.key_id)
        return {"revoked": args.key_id}
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if "bench" in argv[:3]:
        from memory.bench.cli import main as bench_main

        return bench_main(argv[argv.index("bench") + 1 :])
    args = build_parser().parse_args(argv)
    from memory import Memory, MemoryConfig

    try:
        config = MemoryConfig(**({"data_dir": args.data_dir} if args.data_dir else {}))
        if args.command in SERVICE_COMMANDS:
            result = run_service(args, config)
        else:
            with Memory(config) as mem:
                result = run(mem, args)
    except MemoryLayerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    if result is not None:
        print(json.dumps(result, indent=2, default=str) if args.json else render(args.command, result))
    return 0


def run(mem: Any, args: argparse.Namespace) -> Any:
    from memory.types import MemoryType

    c, user = args.command, getattr(args, "user", None)
    who = scope_args(args)
    types = [MemoryType(t) for t in args.type] if getattr(args, "type", None) else None
    if c == "add":
        return mem.add(args.text, **who, session_id=args.session, infer=not args.raw).model_dump(mode="json")
    if c == "search":
        return [
            h.model_dump(mode="json")
            for h in mem.search(
                args.query, **who, types=types, limit=args.limit, include_past=True if args.past else None
            )
        ]
    if c == "list":
        return [
            i.model_dump(mode="json")
            for i in mem.get_all(
                **who, types=types, session_id=args.session, limit=args.limit, include_past=args.past
            )
        ]
    if c == "get":
        return mem.get(args.id, **who).model_dump(mode="json")
    if c == "update":
        return mem.update(args.id, args.text, **who).model_dump(mode="json")
    if c == "delete":
        mem.delete(args.id, **who)
        return {"deleted": args.id}
    if c == "delete-all":
        if (
            not args.yes
            and input(f"Delete ALL memories of {user or 'agent ' + args.agent}? Type yes: ").strip().lower()
            != "yes"
        ):
            return {"deleted": 0}
        return {"deleted": mem.delete_all(**who)}
    if c == "history":
        return [h.model_dump(mode="json") for h in mem.history(args.id, **who)]
    if c == "export" and args.media:
        if not args.out:
            from memory.errors import InvalidInputError

            raise InvalidInputError("--media writes a zip: give a file with --out.")
        args.out.write_bytes(mem.export(**who, media=True))
        return {"file": str(args.out)}
    if c == "export":
        data = mem.export(**who)
        if args.out:
            args.out.write_text(json.dumps(data, indent=2))
            return {"exported": len(data["memories"]), "file": str(args.out)}
        return data
    if c == "import":
        return {"imported": mem.import_(args.file, **who, format=args.format, progress=_progress)}
    if c == "pending":
        return [p.model_dump(mode="json", exclude={"proposal", "turn"}) for p in mem.pending(user)]
    if c == "apply":
        return mem.apply(args.pending_id, args.choice, user_id=user).model_dump(mode="json")
    if c == "undo":
        return [op.model_dump(mode="json") for op in mem.undo(args.operation_id, user_id=user)]
    if c == "ingest":
        return mem.ingest(args.file, **who, password=args.password).model_dump(mode="json")
    raise AssertionError(c)


def scope_args(args: argparse.Namespace) -> dict[str, Any]:
    """--user (a customer's memory, with --agent also reading the agent's shared one), or --agent
    alone: the agent's shared memory (playbook, knowledge base)."""
    from memory.errors import InvalidInputError

    user, agent = getattr(args, "user", None), getattr(args, "agent", None)
    if user is None and agent is None:
        raise InvalidInputError(
            "Give --user (a customer's memories) or --agent alone (the agent's shared memory)."
        )
    return {"user_id": user, "agent_id": agent} if user is not None else {"agent_id": agent, "scope": "agent"}


def _progress(done: int, total: int) -> None:
    print(f"\r{done:,}/{total:,}", end="\n" if done >= total else "", file=sys.stderr, flush=True)


def _line(m: dict[str, Any]) -> str:
    src = m.get("source") or {}
    where = src.get("file_name") or src.get("kind", "")
    if src.get("page"):
        where += f" p. {src['page']}"
    past = f", past until {str(m['valid_to'])[:10]}" if m.get("valid_to") else ""
    shared = " (agent)" if m.get("scope") == "agent" else ""
    created = str(m.get("created_at", ""))[:16]
    return f"{m['id']}  [{m['type']:<10}]{shared} {m['text']}  ({where}, {created}{past})"


def render(command: str, result: Any) -> str:
    """Readable text for a terminal."""
    if command == "keys":
        if isinstance(result, list):
            return (
                "\n".join(
                    f"{k['key_id']}  {k['tenant']:<20} created {k['created_at'][:19]}"
                    + (f"  revoked {k['revoked_at'][:19]}" if k["revoked_at"] else "")
                    for k in result
                )
                or "(no keys)"
            )
        return result.get("key") or ", ".join(f"{k}: {v}" for k, v in result.items())
    if command in ("list",):
        return "\n".join(_line(m) for m in result) or "(no memories)"
    if command == "search":
        rows = []
        for h in result:
            sim = f"{h['similarity'] * 100:3.0f}%" if h.get("similarity") is not None else "  - "
            rows.append(f"{sim}  {_line(h['memory'])}")
        return "\n".join(rows) or "(nothing found)"
    if command == "pending":
        return "\n".join(f"{p['id']}  {p['question']}  ({' / '.join(p['choices'])})" for p in result) or (
            "(nothing to confirm)"
        )
    if command == "undo":
        return "\n".join(
            f"{op['event']:<6} {op['new_text'] or op['old_text']}  ({op['reason']})" for op in result
        )
    if command in ("add", "apply"):
        rows = [
            f"{op['event']:<6} [{op['type']}] "
            + (
                f"{op['old_text']} -> {op['new_text']}"
                if op["event"] == "UPDATE"
                else (op["new_text"] or op["old_text"] or "")
            )
            + (f"  [undo: {op['id']}]" if op.get("undoable") else "")
            for op in result["operations"]
        ]
        asked = [f"asked: {p['question']}  [pending: {p['id']}]" for p in result.get("pending", [])]
        return "\n".join(rows + asked + [f"warning: {w}" for w in result["warnings"]])
    if command == "history":
        return "\n".join(
            f"{h['at'][:19]}  {h['event']:<6} {h['old_text'] or ''} -> {h['new_text'] or ''}" for h in result
        )
    if command in ("get", "update"):
        return _line(result)
    if command == "ingest":
        text = (
            f"{result['file_name']}: {len(result['memories_added'])} memories from {result['pages']} page(s)"
        )
        if result["duplicate"]:
            text = f"{result['file_name']}: already remembered, nothing added"
        return "\n".join([text] + [f"skipped {s['where']}: {s['why']}" for s in result["skipped"]])
    if command == "export" and "memories" in result:
        return json.dumps(result, indent=2)
    return ", ".join(f"{k}: {v}" for k, v in result.items())
