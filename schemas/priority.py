"""A strategy's numbered or named priority."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Priority:
    id: str
    document_id: str
    council: str | None
    number: int | None
    title: str
    page: int
    char_start: int
    char_end: int
