"""The library's own exceptions; the UI shows ``str(error)`` to the user.

MemoryLayerError                 base of everything raised on purpose
├── ConfigError                  a setting is missing or contradicts another
├── InvalidInputError            empty/oversized text, bad id, missing user_id
├── NotFoundError                no memory with that id in the caller's scope
├── StoreError                   a store failed (wraps the vendor exception)
│   └── StoreLockedError         the data directory is in use by another process
├── LLMError                     the model could not be reached or answered badly
│   ├── LLMTimeoutError
│   └── LLMResponseError         unparseable / invalid output after repair and retry
└── IngestionError               a file cannot be taken; nothing of it is stored
    ├── FileTooLargeError
    ├── UnsupportedFileError     unknown or mismatching content type
    ├── CorruptFileError
    ├── EncryptedFileError
    ├── EmptyFileError           no bytes, or no extractable text
    └── ImageRejectedError       decompression bomb, too small, unreadable
"""

from __future__ import annotations


class MemoryLayerError(Exception):
    """Base of every error the memory library raises on purpose."""


class ConfigError(MemoryLayerError):
    pass


class InvalidInputError(MemoryLayerError, ValueError):
    pass


class NotFoundError(MemoryLayerError, KeyError):
    def __str__(self) -> str:  # KeyError quotes its message; we want plain words
        return str(self.args[0]) if self.args else "not found"


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


class WriteQueueFullError(MemoryLayerError):
    """Too many turns are waiting to be remembered; the caller should retry in a moment."""
