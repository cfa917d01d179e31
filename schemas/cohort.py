"""Trainee and early-career cohorts."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class CohortStatus(str, Enum):
    PLANNED = "planned"
    STARTED = "started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    QUALIFIED = "qualified"
    RETAINED = "retained"


@dataclass
class Cohort:
    id: str
    document_id: str
    council: str | None
    programme: str
    cohort_label: str | None
    cohort_number: int | None
    participants: int | None
    status: str
    as_of: str | None
    text: str
    page: int
    char_start: int
    char_end: int
