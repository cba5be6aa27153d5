"""The OpenAI-protocol stub server now lives in ``memory.bench.openai_stub``; re-exported for the tests.

Standalone: ``python -m tests.openai_server --port 8011`` (same as ``python -m memory.bench.openai_stub``).
"""

from memory.bench.openai_stub import (
    EXTRACTION_MARKER,
    OpenAIStubServer,
    Recorded,
    Reply,
    ReplyLike,
    as_reply,
    default_responder,
    fake_embedding,
    is_extraction_request,
    last_user_text,
    main,
    system_text,
)

__all__ = [
    "EXTRACTION_MARKER",
    "OpenAIStubServer",
    "Recorded",
    "Reply",
    "ReplyLike",
    "as_reply",
    "default_responder",
    "fake_embedding",
    "is_extraction_request",
    "last_user_text",
    "main",
    "system_text",
]

if __name__ == "__main__":
    main()
