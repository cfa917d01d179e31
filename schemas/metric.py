"""Figures read from tables."""
from __future__ import annotations

from dataclasses import dataclass

from schemas.columns import COUNCIL, DOCUMENT_ID, ID, PAGE, column


@dataclass
class Metric:
    id: str = column(ID)
    document_id: str = column(DOCUMENT_ID)
    council: str | None = column(COUNCIL)
    measure: str = column("What is measured (agency staff, sickness ...)")
    dimension: str | None = column("The breakdown the value belongs to (service, team ...), or empty")
    period: str | None = column("The month (ISO) or financial year the value is for")
    value: float = column("The figure")
    unit: str | None = column("Unit of the value, or empty")
    page: int = column(PAGE)
    table_id: str | None = column("The table block the figure was read from (blocks.id)", default=None)
