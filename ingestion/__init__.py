"""Turn uploaded files (PDF, image, text) into text chunks with provenance; never touches the stores."""

from ingestion.chunking import chunk_text
from ingestion.loader import Chunk, LoadedFile, load_file

__all__ = ["Chunk", "LoadedFile", "chunk_text", "load_file"]
