"""Figures read from tables."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Metric:
    id: str
    document_id: str
    council: str | None
    measure: str
    dimension: str | None
    period: str | None
    value: float
    unit: str | None
    page: int
    table_id: str | None = None
