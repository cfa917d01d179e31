"""Measurable aims: a number and/or a deadline."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Target:
    id: str
    document_id: str
    council: str | None
    action_id: str | None
    text: str
    metric: str | None
    value_min: float | None
    value_max: float | None
    unit: str | None
    period: str | None
    deadline_text: str | None
    deadline_date: str | None
    page: int
    char_start: int
    char_end: int
