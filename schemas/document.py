"""Source documents."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class DocType(str, Enum):
    STRATEGY = "strategy"
    COMMITTEE_REPORT = "committee_report"
    PROGRESS_UPDATE = "progress_update"
    ACTION_PLAN = "action_plan"
    OTHER = "other"


@dataclass
class Document:
    id: str
    council: str | None
    title: str | None
    doc_type: str
    strategy: str | None
    published: str | None
    source: str
    pages: int
    text: str
    fetched_at: str | None = None  # when it was downloaded, for documents ingested from a URL
