"""Stable record ids: a hash of the natural key, so re-ingesting changes nothing."""
from __future__ import annotations

import hashlib
from pathlib import Path


def stable_id(*parts: object) -> str:
    """16 hex characters of sha256 over the parts (None and numbers included)."""
    key = "\x1f".join(["" if p is None else str(p) for p in parts])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def file_sha256(path: str | Path) -> str:
    """The file's content hash, a document's id."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
