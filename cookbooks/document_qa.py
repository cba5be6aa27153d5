"""Document Q&A: upload a file, ask about it, see the page each answer came from.

python cookbooks/document_qa.py path/to/file.pdf "your question"
"""

from __future__ import annotations

import sys
import tempfile

from memory import Memory, MemoryConfig
from memory.errors import IngestionError


def main(path: str, question: str, data_dir: str | None = None) -> list[str]:
    config = MemoryConfig(data_dir=data_dir or tempfile.mkdtemp(prefix="docqa-"))
    with Memory(config) as mem:
        try:
            result = mem.ingest(
                path, user_id="reader", progress=lambda done, total: print(f"\rpage {done}/{total}", end="")
            )
        except IngestionError as exc:
            print(f"\ncannot read {path}: {exc}")
            return []
        print(f"\n{result.file_name}: {result.pages} pages, {len(result.memories_added)} passages")
        for skipped in result.skipped:
            print(f"  skipped {skipped.where}: {skipped.why}")
        answers = []
        for hit in mem.search(question, user_id="reader", limit=3):
            answers.append(f"[{hit.memory.source.label()}] {hit.text}")
            print(answers[-1])
        return answers


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
