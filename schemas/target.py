"""Measurable aims: a number and/or a deadline."""
from __future__ import annotations

from dataclasses import dataclass

from schemas.columns import CHAR_END, CHAR_START, COUNCIL, DOCUMENT_ID, ID, PAGE, column


@dataclass
class Target:
    id: str = column(ID)
    document_id: str = column(DOCUMENT_ID)
    council: str | None = column(COUNCIL)
    action_id: str | None = column("The action that states the target (actions.id), or empty")
    text: str = column("The sentence that states the target")
    metric: str | None = column("What is counted")
    value_min: float | None = column("Lowest number aimed for (8 in 8 - 10)")
    value_max: float | None = column("Highest number aimed for (10 in 8 - 10)")
    unit: str | None = column("people, percent, days per FTE ...")
    period: str | None = column("per year ..., or empty")
    deadline_text: str | None = column("The deadline as written, or empty")
    deadline_date: str | None = column("ISO date for deadline_text where one can be derived, or empty")
    page: int = column(PAGE)
    char_start: int = column(CHAR_START)
    char_end: int = column(CHAR_END)
