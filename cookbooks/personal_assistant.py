"""A personal assistant that remembers you across sessions (works with or without an LLM).

python cookbooks/personal_assistant.py            # offline rules, answers from memory
MEMORY_LLM__BASE_URL=http://127.0.0.1:11434/v1 MEMORY_LLM__MODEL=llama3.1:8b python cookbooks/personal_assistant.py
"""

from __future__ import annotations

import sys
import tempfile

from memory import Memory, MemoryConfig
from memory.assistant import Assistant


def main(data_dir: str | None = None) -> list[str]:
    config = MemoryConfig(**({"data_dir": data_dir} if data_dir else {}))
    replies = []
    with Memory(config) as mem, Assistant(mem) as assistant:
        script = [
            ("monday", "Hi, I'm Priya. I live in Leeds and I'm vegetarian."),
            ("monday", "From now on, keep your answers short."),
            ("friday", "I moved to York last week."),
            ("friday", "Can you suggest a dinner place near where I live?"),
        ]
        for session, message in script:
            turn = assistant.turn(message, user_id="priya", session_id=session)
            reply = "".join(turn.stream())
            turn.wait_write(timeout=60)
            replies.append(reply)
            print(
                f"you> {message}\nassistant> {reply}\n   memories used: {[h.text for h in turn.memories]}\n"
            )
        print("What I know about Priya now:")
        for item in mem.get_all(user_id="priya", types=["semantic", "procedural"]):
            print(f" - [{item.type.value}] {item.text}")
    return replies


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="assistant-"))
