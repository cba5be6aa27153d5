"""The FastAPI application: one Memory per process, API keys, limits, error mapping, health.

`python -m memory serve --host 127.0.0.1 --port 8765` runs it under uvicorn (one worker: the embedded
stores allow one process per data directory; scale out with more shards, see deploy/README.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from memory.config import MemoryConfig
from memory.errors import RequestTooLargeError
from memory.server import agents, errors
from memory.server.auth import KeyStore, RateLimiter
from memory.server.idempotency import IdempotencyStore
from memory.server.routes import router

MB = 1024 * 1024
MULTIPART_SLACK = 64 * 1024  # form fields and boundaries around an upload


def keys_path(config: MemoryConfig) -> Path:
    """Where the API key hashes live: ``server.keys_path``, else the data directory."""
    return config.resolve(config.server.keys_path, "keys.sqlite")


@dataclass
class Service:
    """What the endpoints share: the one Memory of this process, the key store, limits, responses."""

    config: MemoryConfig
    memory: Any
    keys: KeyStore
    limiter: RateLimiter
    idempotency: IdempotencyStore

    @classmethod
    def open(cls, config: MemoryConfig, memory: Any = None) -> Service:
        from memory import Memory

        server = config.server
        keys = KeyStore(keys_path(config))
        idem = IdempotencyStore(
            config.resolve(None, "idempotency.sqlite"), server.idempotency_hours, server.idempotency_max_rows
        )
        return cls(
            config,
            memory if memory is not None else Memory(config),
            keys,
            RateLimiter(server.rate_per_s, server.burst),
            idem,
        )

    def close(self) -> None:
        self.memory.close()
        self.keys.close()
        self.idempotency.close()


class BodyLimit:
    """Refuses (413) a body over the limit before the endpoint sees it: by Content-Length when it is
    sent, and by reading the body (at most the limit) before passing it on, so a chunked or mislabelled
    body cannot go past it. Uploads get the ingestion limit, JSON bodies their own."""

    def __init__(self, app: ASGIApp, json_bytes: int, upload_bytes: int) -> None:
        self.app, self.json_bytes, self.upload_bytes = app, json_bytes, upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        upload = scope["path"].rstrip("/").endswith("/ingest")
        limit = self.upload_bytes if upload else self.json_bytes
        what = "upload" if upload else "JSON body"
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._refuse(send, what, limit)
            return
        chunks, seen = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > limit:
                await self._refuse(send, what, limit)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(send: Send, what: str, limit: int) -> None:
        size = f"{limit / MB:.1f} MB" if limit >= MB else f"{limit // 1024} KB"
        error = RequestTooLargeError(f"The {what} is over the limit of {size}.")
        await errors.error_response(error)({"type": "http"}, None, send)  # type: ignore[arg-type]


def create_app(config: MemoryConfig | None = None, memory: Any = None) -> FastAPI:
    config = config or MemoryConfig()
    service = Service.open(config, memory)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(
        title="Memory service",
        description="Long-term memory for chat assistants over HTTP; send 'Authorization: Bearer <key>'.",
        version="1",
        lifespan=lifespan,
    )
    app.state.service = service
    errors.install(app)
    app.include_router(router)
    app.include_router(agents.router)

    @app.middleware("http")
    async def shard_header(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        if config.server.shard:
            response.headers["X-Memory-Shard"] = config.server.shard
        return response

    app.add_middleware(
        BodyLimit,
        json_bytes=int(config.server.max_json_mb * MB),
        upload_bytes=int(config.ingestion.max_file_mb * MB) + MULTIPART_SLACK,
    )

    @app.get("/health", summary="Liveness: the process answers")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", summary="Readiness: the stores are open and answer")
    def ready() -> JSONResponse:
        try:
            service.memory.count(user_id="\x1fready")  # no tenant is empty: this user holds nothing
        except Exception as exc:
            body = errors.error_body("ServiceUnavailableError", f"The stores are not ready: {exc}")
            return JSONResponse(body, status_code=503)
        return JSONResponse({"status": "ready", "shard": config.server.shard or None})

    return app


def serve(config: MemoryConfig, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(create_app(config), host=host, port=port, log_level="warning", workers=1)
