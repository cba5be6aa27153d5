"""The library's error tree as HTTP: each error class has a status, the body is
``{"error": {"type": <class name>, "message": str(error)}}`` so the client can raise the same class."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from memory import errors as E

log = logging.getLogger("memory.server")

# Most specific first: the first class the error is an instance of gives the status.
STATUS: list[tuple[type[E.MemoryLayerError], int]] = [
    (E.AuthenticationError, 401),
    (E.ForbiddenError, 403),
    (E.RateLimitError, 429),
    (E.RequestTooLargeError, 413),
    (E.IdempotencyError, 409),
    (E.ServiceUnavailableError, 503),
    (E.InvalidInputError, 400),
    (E.IsolationError, 403),
    (E.NotFoundError, 404),
    (E.FileTooLargeError, 413),
    (E.UnsupportedFileError, 415),
    (E.IngestionError, 422),
    (E.StoreLockedError, 503),
    (E.StoreError, 500),
    (E.LLMTimeoutError, 504),
    (E.LLMError, 502),
    (E.ConfigError, 500),
    (E.MemoryLayerError, 500),
]


def status_of(error: E.MemoryLayerError) -> int:
    return next(code for cls, code in STATUS if isinstance(error, cls))


def error_body(kind: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"type": kind, "message": message}}


def error_response(error: E.MemoryLayerError) -> JSONResponse:
    headers = {}
    if isinstance(error, E.RateLimitError):
        headers["Retry-After"] = str(int(error.retry_after))
    return JSONResponse(
        error_body(type(error).__name__, str(error)), status_code=status_of(error), headers=headers
    )


def install(app: FastAPI) -> None:
    """Register the handlers: library errors, request validation, HTTP errors, and the unexpected."""

    @app.exception_handler(E.MemoryLayerError)
    async def _library(_: Request, exc: E.MemoryLayerError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
        message = "The request is invalid: " + "; ".join(parts)
        return JSONResponse(error_body("InvalidInputError", message), status_code=400)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        kind = "NotFoundError" if exc.status_code == 404 else "InvalidInputError"
        return JSONResponse(error_body(kind, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return JSONResponse(
            error_body("MemoryLayerError", f"Internal error: {type(exc).__name__}"), status_code=500
        )
