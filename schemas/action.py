"""Actions, achievements, commitments and next steps."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ActionKind(str, Enum):
    COMMITMENT = "commitment"
    PROGRESS = "progress"


@dataclass
class Action:
    id: str
    document_id: str
    council: str | None
    priority_id: str | None
    text: str
    kind: str
    lead: str | None
    due_text: str | None
    due_date: str | None
    page: int
    char_start: int
    char_end: int
    embedded: bool = False  # a promise cut from a progress item
