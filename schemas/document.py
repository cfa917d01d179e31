"""Source documents."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from schemas.columns import COUNCIL, column


class DocType(str, Enum):
    STRATEGY = "strategy"
    COMMITTEE_REPORT = "committee_report"
    PROGRESS_UPDATE = "progress_update"
    ACTION_PLAN = "action_plan"
    OTHER = "other"


@dataclass
class Document:
    id: str = column("sha256 of the file's bytes (hex)")
    council: str | None = column(COUNCIL)
    title: str | None = column("Document title as printed")
    doc_type: str = column("strategy, committee_report, progress_update, action_plan or other")
    strategy: str | None = column("The strategy the document belongs to, with its period")
    published: str | None = column(
        "Date of publication, meeting or version (ISO 8601, as precise as the document says), or empty")
    source: str = column("Path or URL the file was ingested from")
    pages: int = column("Page count (text files: 1)")
    text: str = column("Full extracted text: what every record's char_start/char_end point into")
    fallback_pages: str | None = column(
        "JSON list of the pages read by pdfplumber because PDFium's text of them was short or wrong "
        "(glyphs it maps to no character, control or private-use characters); empty when none was",
        default=None)
    fetched_at: str | None = column(
        "When the file was downloaded (ISO 8601), for documents ingested from a URL", default=None)
    ocr_pages: str | None = column(
        "JSON list of the pages read by OCR (scanned pages with no text layer), or empty", default=None)
    ocr_confidence: float | None = column(
        "Mean Tesseract word confidence (0-100) over the OCR'd pages, or empty", default=None)
