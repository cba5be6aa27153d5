"""The library's own exceptions; the UI shows ``str(error)`` to the user.

MemoryLayerError                 base of everything raised on purpose
├── ConfigError                  a setting is missing or contradicts another
├── InvalidInputError            empty/oversized text, bad id, missing user_id
│   ├── UnsafePathError          a stored path leads outside the data directory
│   ├── UndoError                an operation cannot be undone (forgotten, already undone, built on)
│   ├── StaleChangeError         a pending change no longer fits the memory it was about
│   └── ImportFormatError        a file to import is not in the format it claims; nothing stored
├── NotFoundError                no memory with that id in the caller's scope
├── IsolationError               an id that belongs to another user: nothing is written
├── WriteQueueFullError          too many turns wait to be remembered; retry in a moment
├── StoreError                   a store failed (wraps the vendor exception)
│   └── StoreLockedError         the data directory is in use by another process
├── LLMError                     the model could not be reached or answered badly
│   ├── LLMTimeoutError
│   └── LLMResponseError         unparseable / invalid output after repair and retry
├── IngestionError               a file cannot be taken; nothing of it is stored
│   ├── FileTooLargeError
│   ├── UnsupportedFileError     unknown or mismatching content type
│   ├── CorruptFileError
│   ├── EncryptedFileError
│   ├── EmptyFileError           no bytes, or no extractable text
│   └── ImageRejectedError       decompression bomb, too small, unreadable
└── ServiceError                 the memory service refused or could not answer (HTTP client side)
    ├── AuthenticationError      missing, unknown or revoked API key
    ├── ForbiddenError           the key may not do this (agent memory needs an operator key)
    ├── RateLimitError           too many requests for this key; retry after ``retry_after`` seconds
    ├── RequestTooLargeError     the request body is over the service's limit
    ├── IdempotencyError         an Idempotency-Key was reused with a different request
    └── ServiceUnavailableError  the service cannot be reached or is not ready
"""

from __future__ import annotations


class MemoryLayerError(Exception):
    """Base of every error the memory library raises on purpose."""


class ConfigError(MemoryLayerError):
    pass


class InvalidInputError(MemoryLayerError, ValueError):
    pass


class NotFoundError(MemoryLayerError, KeyError):
    """Carries the id it is about (``memory_id``) beside the message."""

    def __init__(self, message: str, memory_id: str | None = None) -> None:
        super().__init__(message)
        self.memory_id = memory_id

    def __str__(self) -> str:  # KeyError quotes its message; we want plain words
        return str(self.args[0]) if self.args else "not found"


class IsolationError(MemoryLayerError):
    """An input names a memory of another user (in any spelling of its id); nothing was written."""


class StoreError(MemoryLayerError):
    pass


class StoreLockedError(StoreError):
    pass


class LLMError(MemoryLayerError):
    pass


class LLMTimeoutError(LLMError):
    pass


class LLMResponseError(LLMError):
    pass


class IngestionError(MemoryLayerError):
    pass


class FileTooLargeError(IngestionError):
    pass


class UnsupportedFileError(IngestionError):
    pass


class CorruptFileError(IngestionError):
    pass


class EncryptedFileError(IngestionError):
    pass


class EmptyFileError(IngestionError):
    pass


class ImageRejectedError(IngestionError):
    pass


class UnsafePathError(InvalidInputError):
    """A stored file path points outside the data directory (or outside its owner's media)."""


class UndoError(InvalidInputError):
    """An operation cannot be undone: it forgot something, was undone already, or a later change
    builds on it. Carries the operation id."""

    def __init__(self, message: str, operation_id: str | None = None) -> None:
        super().__init__(message)
        self.operation_id = operation_id


class StaleChangeError(InvalidInputError):
    """A pending change was answered after the memory it was about changed: nothing was applied."""


class ImportFormatError(InvalidInputError):
    """A file to import is malformed or not in the expected format; nothing of it was stored."""


class ServiceError(MemoryLayerError):
    """The memory service refused a request or could not be reached."""


class AuthenticationError(ServiceError):
    pass


class ForbiddenError(ServiceError):
    """The key is valid but may not do this (e.g. an app key writing an agent's shared memory)."""


class RateLimitError(ServiceError):
    def __init__(self, message: str, retry_after: float = 1.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RequestTooLargeError(ServiceError):
    pass


class IdempotencyError(ServiceError):
    pass


class ServiceUnavailableError(ServiceError):
    pass


class WriteQueueFullError(MemoryLayerError):
    """Too many turns are waiting to be remembered; the caller should retry in a moment."""
