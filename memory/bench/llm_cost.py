"""LLM cost per add: requests and prompt size of our one-call extraction against Mem0 1.0.x's two
calls (fact extraction, then update decision; plus three more with its graph on), on the same turns.

Our side runs the real Memory.add against a local OpenAI-protocol server that records every request.
Mem0's side rebuilds its two prompts from its own prompt module (mem0ai 1.0.11, if installed) with
the same turn, the same fact and the same related memories. Tokens are estimated as characters / 4
for both, so the ratio is fair even though the absolute counts are approximate.
Also measures the time memory retrieval adds before the first reply token (Assistant.turn).
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path
from typing import Any

from memory.bench.locomo import turns_of
from memory.bench.stats import percentile
from memory.config import MemoryConfig
from memory.memory import Memory
from memory.types import MemoryType

MEM0_GRAPH_CALLS = 3  # entity extraction, relation extraction, deletion check (mem0 1.0 graph memory)


def _chars(body: dict[str, Any]) -> int:
    total = 0
    for m in body.get("messages", []):
        c = m.get("content")
        total += len(c) if isinstance(c, str) else sum(len(p.get("text", "")) for p in c or [])
    if body.get("response_format"):
        total += len(json.dumps(body["response_format"]))
    return total


def _mem0_prompts() -> Any | None:
    """Mem0's prompt module loaded from its file (its package __init__ pulls in its whole stack)."""
    spec = importlib.util.find_spec("mem0")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "configs" / "prompts.py"
    mod_spec = importlib.util.spec_from_file_location("mem0_prompts_for_bench", path)
    if mod_spec is None or mod_spec.loader is None:
        return None
    module = importlib.util.module_from_spec(mod_spec)
    mod_spec.loader.exec_module(module)
    return module


def run(data: Path, turns: int = 60) -> dict[str, Any]:
    from memory.bench.openai_stub import OpenAIStubServer, is_extraction_request, last_user_text

    conv = json.loads(Path(data).read_text())[0]
    texts = [t.text.split(": ", 1)[1] for t in turns_of(conv)][:turns]

    def responder(body: dict[str, Any]) -> dict[str, Any] | str:
        if is_extraction_request(body):
            said = " ".join(last_user_text(body).split())[:160]
            op = {
                "op": "ADD",
                "type": "semantic",
                "text": f"User said: {said}",
                "target": None,
                "entities": [],
                "relations": [],
            }
            return {"operations": [op]}
        return "ok"

    mem0 = _mem0_prompts()
    ours_chars: list[int] = []
    requests_per_add: list[int] = []
    mem0_chars: list[int] = []
    retrieval_ms: list[float] = []
    with OpenAIStubServer(responder=responder) as server:
        config = MemoryConfig(
            data_dir=Path(tempfile.mkdtemp(prefix="memory-llmcost-")),
            llm={"base_url": server.base_url, "model": "stub", "max_retries": 0},
        )
        mem = Memory(config)
        from memory.assistant import Assistant

        assistant = Assistant(mem)
        try:
            for text in texts:
                before = len(server.chat_requests)
                related = mem.search(
                    text, user_id="bench", types=[MemoryType.SEMANTIC, MemoryType.PROCEDURAL], limit=10
                )
                mem.add(text, user_id="bench")
                new = server.chat_requests[before:]
                requests_per_add.append(len(new))
                ours_chars.append(sum(_chars(r) for r in new))
                if mem0 is not None:
                    system = mem0.USER_MEMORY_EXTRACTION_PROMPT
                    call1 = len(system) + len(f"Input:\nuser: {text}\n")
                    old = [{"id": str(i), "text": h.text} for i, h in enumerate(related)]
                    call2 = len(mem0.get_update_memory_messages(old, [f"User said: {text[:160]}"]))
                    mem0_chars.append(call1 + call2)
            for text in texts[:30]:
                turn = assistant.turn(text + " ?", user_id="bench", session_id="s", remember=False)
                retrieval_ms.append(turn.retrieval_ms)
                "".join(turn.stream())
        finally:
            assistant.close()
            mem.close()
    n = len(texts)
    result: dict[str, Any] = {
        "turns": n,
        "ours": {
            "requests_per_add": sum(requests_per_add) / n,
            "prompt_tokens_per_add": round(sum(ours_chars) / n / 4),
        },
        "retrieval_before_first_token_ms": {
            "p50": round(percentile(retrieval_ms, 0.5), 2),
            "p95": round(percentile(retrieval_ms, 0.95), 2),
        },
    }
    if mem0_chars:
        tokens = round(sum(mem0_chars) / n / 4)
        result["mem0_1_0"] = {
            "requests_per_add": 2,
            "requests_per_add_with_graph": 2 + MEM0_GRAPH_CALLS,
            "prompt_tokens_per_add_without_graph": tokens,
        }
        result["ratio_prompt_tokens_mem0_over_ours"] = round(
            tokens / max(1, result["ours"]["prompt_tokens_per_add"]), 2
        )
    return result
