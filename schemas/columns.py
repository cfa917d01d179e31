"""What each KB column holds: record fields carry their column's description, which the
site's metadata reads (kb/site.py), so a column is described where it is defined."""
from __future__ import annotations

from dataclasses import field
from typing import Any

__all__ = ["CHAR_END", "CHAR_START", "COUNCIL", "DOCUMENT_ID", "ID", "PAGE", "column"]

ID = "Stable id: a hash of the record's natural key, unchanged by re-ingesting"
DOCUMENT_ID = "The source document (documents.id)"
COUNCIL = "Canonical council name"
PAGE = "Page of the source document the text is on (1-based; text files have one page)"
CHAR_START = "Offset in documents.text where the source span starts"
CHAR_END = "Offset in documents.text where the source span ends (documents.text[char_start:char_end])"


def column(description: str, **kwargs: Any) -> Any:
    """A dataclass field whose KB column is described as `description`."""
    return field(metadata={"description": description}, **kwargs)
