"""Actions, achievements, commitments and next steps."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from schemas.columns import CHAR_END, CHAR_START, COUNCIL, DOCUMENT_ID, ID, PAGE, column


class ActionKind(str, Enum):
    COMMITMENT = "commitment"
    PROGRESS = "progress"


@dataclass
class Action:
    id: str = column(ID)
    document_id: str = column(DOCUMENT_ID)
    council: str | None = column(COUNCIL)
    priority_id: str | None = column("The priority it sits under (priorities.id), or empty")
    text: str = column("The statement, whitespace-normalised, line breaks and hyphenation repaired")
    kind: str = column(
        "commitment (forward-looking: will, next steps, planned, aims) or progress (reported as done or under way)")
    lead: str | None = column("Who is responsible, as written, or empty")
    due_text: str | None = column("The deadline as written (by March 2023, early 2023, annually), or empty")
    due_date: str | None = column("ISO date for due_text where one can be derived, or empty")
    page: int = column(PAGE)
    char_start: int = column(CHAR_START)
    char_end: int = column(CHAR_END)
    embedded: bool = column(
        "1 when the commitment is a promising sentence cut from a progress item", default=False)
