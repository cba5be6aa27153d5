"""A real local HTTP server speaking the OpenAI protocol, scripted per test.

    with OpenAIStubServer() as server:
        server.queue(Reply(text="hello"), Reply(status=500), Reply(text="late", delay=3))
        ... point a client at server.base_url ...
        assert server.chat_requests[0]["messages"][0]["role"] == "system"

Routes: ``POST /v1/chat/completions`` (JSON or ``stream: true`` SSE ending in ``data: [DONE]``),
``POST /v1/embeddings`` and ``GET /v1/models``. Queued replies are served first, in order; then the
``responder`` (a callable taking the request JSON) answers. Every request is recorded.

Standalone, for UI tests, benchmarks and manual runs: ``python -m memory.bench.openai_stub --port 8011``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

EXTRACTION_MARKER = "[memory-extraction]"  # memory.prompts.EXTRACTION_MARKER, kept import-free here


@dataclass
class Reply:
    """One scripted answer. Give one of text / json / raw, or a non-200 status."""

    text: str | None = None
    json: Any = None  # serialised as the message content
    raw: str | None = None  # content sent verbatim (malformed JSON, prose, ...)
    status: int = 200
    error: str | None = None  # error message for a non-200 status
    delay: float = 0.0  # seconds to wait before answering (client timeouts)
    truncate_after: int | None = None  # drop the connection after this many stream chunks / half the body

    def content(self) -> str:
        if self.raw is not None:
            return self.raw
        if self.json is not None:
            return json.dumps(self.json)
        return self.text or ""


ReplyLike = Reply | str | dict | list | int
Responder = Callable[[dict[str, Any]], ReplyLike]


@dataclass
class Recorded:
    method: str
    path: str
    body: dict[str, Any]


def as_reply(value: ReplyLike) -> Reply:
    """Shortcuts: a str is text, a dict or list is JSON content, an int is an HTTP status."""
    if isinstance(value, Reply):
        return value
    if isinstance(value, bool):
        raise TypeError("a bool is not a reply")
    if isinstance(value, int):
        return Reply(status=value)
    if isinstance(value, str):
        return Reply(text=value)
    return Reply(json=value)


def is_extraction_request(body: dict[str, Any]) -> bool:
    if body.get("response_format"):
        return True
    return any(EXTRACTION_MARKER in _text_of(m.get("content")) for m in body.get("messages", []))


def last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages", [])):
        if message.get("role") == "user":
            return _text_of(message.get("content"))
    return ""


def system_text(body: dict[str, Any]) -> str:
    """All system messages of a chat request, joined."""
    return "\n".join(
        _text_of(m.get("content")) for m in body.get("messages", []) if m.get("role") == "system"
    )


def default_responder(body: dict[str, Any]) -> Reply:
    """Extraction requests get no operations; chat requests get a friendly echo."""
    if is_extraction_request(body):
        return Reply(json={"operations": []})
    said = " ".join(last_user_text(body).split())[:200]
    return Reply(text=f"Hello from the stub model! You said: {said}")


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def fake_embedding(text: str, dims: int) -> list[float]:
    """A deterministic unit vector per text (same text, same vector)."""
    values: list[float] = []
    counter = 0
    while len(values) < dims:
        digest = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        values += [b / 255.0 - 0.5 for b in digest]
        counter += 1
    values = values[:dims]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


class OpenAIStubServer:
    """The server; ``url`` is ``http://127.0.0.1:PORT``, ``base_url`` adds ``/v1`` for clients."""

    def __init__(
        self,
        responder: Responder | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        embedding_dims: int = 8,
        reject_response_format: tuple[str, ...] = (),
        models: tuple[str, ...] = ("stub",),
    ) -> None:
        self.responder: Responder = responder or default_responder
        self.embedding_dims = embedding_dims
        self.reject_response_format = set(reject_response_format)  # e.g. {"json_schema"} -> HTTP 400
        self.models = models
        self.requests: list[Recorded] = []
        self._queue: list[Reply] = []
        self._embedding_queue: list[Reply] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.stub = self
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    def queue(self, *replies: ReplyLike) -> None:
        """Answers for the next chat completion requests, in order."""
        with self._lock:
            self._queue += [as_reply(r) for r in replies]

    def queue_embeddings(self, *replies: ReplyLike) -> None:
        """Failures (status / delay) for the next embedding requests, in order."""
        with self._lock:
            self._embedding_queue += [as_reply(r) for r in replies]

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r.body for r in list(self.requests) if r.path.endswith("/chat/completions")]

    @property
    def extraction_requests(self) -> list[dict[str, Any]]:
        return [b for b in self.chat_requests if is_extraction_request(b)]

    @property
    def reply_requests(self) -> list[dict[str, Any]]:
        """Chat completion requests that are not extraction requests."""
        return [b for b in self.chat_requests if not is_extraction_request(b)]

    @property
    def embedding_requests(self) -> list[dict[str, Any]]:
        return [r.body for r in list(self.requests) if r.path.endswith("/embeddings")]

    def start(self) -> OpenAIStubServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="openai-stub", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes replies that are waiting out a delay
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> OpenAIStubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.pop(0)
        return as_reply(self.responder(body))

    def _next_embedding_failure(self) -> Reply | None:
        with self._lock:
            return self._embedding_queue.pop(0) if self._embedding_queue else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stub: OpenAIStubServer

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)  # skips HTTPServer's reverse DNS lookup
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up (timeouts) are part of the script


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        stub = self.server.stub
        stub.requests.append(Recorded("GET", self.path, {}))
        if self.path.rstrip("/") == "/v1/models":
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "stub"} for m in stub.models]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_error(404, f"no route {self.path}")

    def do_POST(self) -> None:
        stub = self.server.stub
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            self._send_error(400, "the request body is not JSON")
            return
        stub.requests.append(Recorded("POST", self.path, body))
        try:
            if self.path.rstrip("/") == "/v1/chat/completions":
                self._chat(stub, body)
            elif self.path.rstrip("/") == "/v1/embeddings":
                self._embeddings(stub, body)
            else:
                self._send_error(404, f"no route {self.path}")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _chat(self, stub: OpenAIStubServer, body: dict[str, Any]) -> None:
        fmt = (body.get("response_format") or {}).get("type")
        if fmt in stub.reject_response_format:
            self._send_error(400, f"response_format type {fmt!r} is not supported by this server")
            return
        reply = stub._next_reply(body)
        if reply.delay and stub._stopping.wait(reply.delay):
            return
        if reply.status != 200:
            self._send_error(reply.status, reply.error or f"scripted failure {reply.status}")
            return
        content = reply.content()
        model = body.get("model", "stub")
        usage = {
            "prompt_tokens": sum(len(_text_of(m.get("content")).split()) for m in body.get("messages", [])),
            "completion_tokens": len(content.split()),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            self._stream(model, content, usage if include_usage else None, reply.truncate_after)
            return
        completion = {
            "id": "chatcmpl-stub",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": usage,
        }
        if reply.truncate_after is not None:
            data = json.dumps(completion).encode()
            self._start(200, "application/json", length=len(data))
            self.wfile.write(data[: len(data) // 2])
            self._hang_up()
            return
        self._send_json(200, completion)

    def _stream(self, model: str, content: str, usage: dict | None, truncate_after: int | None) -> None:
        self._start(200, "text/event-stream", chunked=True)
        base = {
            "id": "chatcmpl-stub",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
        }
        events = [{**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}]
        for piece in re.findall(r"\s*\S+\s*", content) or [content]:
            events.append(
                {**base, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            )
        events.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if usage is not None:
            events.append({**base, "choices": [], "usage": usage})
        for n, event in enumerate(events):
            if truncate_after is not None and n >= truncate_after:
                self._hang_up()
                return
            self._write_chunk(f"data: {json.dumps(event)}\n\n".encode())
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")

    def _embeddings(self, stub: OpenAIStubServer, body: dict[str, Any]) -> None:
        failure = stub._next_embedding_failure()
        if failure is not None:
            if failure.delay and stub._stopping.wait(failure.delay):
                return
            if failure.status != 200:
                self._send_error(failure.status, failure.error or f"scripted failure {failure.status}")
                return
        texts = body.get("input", [])
        texts = [texts] if isinstance(texts, str) else texts
        data = [
            {"object": "embedding", "index": i, "embedding": fake_embedding(str(t), stub.embedding_dims)}
            for i, t in enumerate(texts)
        ]
        data.reverse()  # servers may answer out of order; clients must sort by index
        tokens = sum(len(str(t).split()) for t in texts)
        self._send_json(
            200,
            {
                "object": "list",
                "data": data,
                "model": body.get("model", "stub"),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )

    def _start(
        self, status: int, content_type: str, *, length: int | None = None, chunked: bool = False
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Cache-Control", "no-cache")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _hang_up(self) -> None:
        self.wfile.flush()
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self._start(status, "application/json", length=len(data))
        self.wfile.write(data)

    def _send_error(self, status: int, message: str) -> None:
        kind = "invalid_request_error" if status < 500 else "server_error"
        self._send_json(status, {"error": {"message": message, "type": kind, "code": status}})


def main() -> None:
    parser = argparse.ArgumentParser(description="A local OpenAI-protocol server with scripted replies.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8011)
    parser.add_argument("--embedding-dims", type=int, default=384)
    args = parser.parse_args()
    server = OpenAIStubServer(host=args.host, port=args.port, embedding_dims=args.embedding_dims)
    print(f"OpenAI-protocol stub listening on {server.base_url}", flush=True)
    try:
        server._httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._httpd.server_close()


if __name__ == "__main__":
    main()
