"""A strategy's numbered or named priority."""
from __future__ import annotations

from dataclasses import dataclass

from schemas.columns import CHAR_END, CHAR_START, COUNCIL, DOCUMENT_ID, ID, PAGE, column


@dataclass
class Priority:
    id: str = column(ID)
    document_id: str = column(DOCUMENT_ID)
    council: str | None = column(COUNCIL)
    number: int | None = column("The priority's number, when it has one")
    title: str = column("The priority as printed")
    page: int = column(PAGE)
    char_start: int = column(CHAR_START)
    char_end: int = column(CHAR_END)
