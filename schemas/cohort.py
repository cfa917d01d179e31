"""Trainee and early-career cohorts."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from schemas.columns import CHAR_END, CHAR_START, COUNCIL, DOCUMENT_ID, ID, PAGE, column


class CohortStatus(str, Enum):
    PLANNED = "planned"
    STARTED = "started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    QUALIFIED = "qualified"
    RETAINED = "retained"


@dataclass
class Cohort:
    id: str = column(ID)
    document_id: str = column(DOCUMENT_ID)
    council: str | None = column(COUNCIL)
    programme: str = column(
        "Canonical programme name (Step Up to Social Work, Frontline, Social Work Degree Apprenticeship, ASYE ...)")
    cohort_label: str | None = column("The cohort as written (cohort 8, eighth cohort), or empty")
    cohort_number: int | None = column("The cohort's number (eighth gives 8), or empty")
    participants: int | None = column("Number of people in the cohort, or empty")
    status: str = column("planned, started, in_progress, completed, qualified or retained")
    as_of: str | None = column("ISO date or year the figure refers to, or empty")
    text: str = column("The sentence or sentences that state the cohort")
    page: int = column(PAGE)
    char_start: int = column(CHAR_START)
    char_end: int = column(CHAR_END)
