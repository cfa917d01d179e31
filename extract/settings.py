"""Extraction settings, pdfplumber `TableSettings` style: named defaults, validated once."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar

# "auto": PDFium for every page, pdfplumber's table finder on PDFium's paths where they may
# draw a ruled table; "pdfium": PDFium alone (no ruled tables); "pdfplumber": the reference path.
ENGINES = ("auto", "pdfium", "pdfplumber")


@dataclass
class ExtractSettings:
    """Every tunable of PDF/text extraction, with the defaults the corpus was checked on."""

    # Limits: a file over them is refused (DocumentTooLarge / ExtractionTimeout), not truncated.
    max_file_mb: float = 100.0
    max_html_mb: float = 20.0  # a web page this big is a data dump or an attack, not a paper
    max_pages: int = 2000
    timeout_s: float = 120.0  # per document, checked between pages
    engine: str = "auto"  # one of ENGINES
    # Characters further apart than this (PDF points, and 0.2 em for small type) start a new word.
    x_tolerance: float = 3.0
    # Characters whose baselines differ by at most this much (points) share a line.
    y_tolerance: float = 3.0
    # A line is a running header/footer when its text (digits ignored) recurs at about the same
    # height on at least this share of the document's pages.
    header_footer_min_share: float = 0.5
    # Only lines in the top/bottom share of the page height can be headers, footers or page numbers.
    margin_share: float = 0.12
    # How far (points) a repeated header may drift between pages and still count as the same one.
    header_footer_y_tolerance: float = 6.0
    # A vertical gutter at least this wide (points) between two text columns marks a two-column region.
    min_gutter: float = 12.0
    # ... and it needs at least this many lines on each side.
    min_column_lines: int = 3
    # Ruled tables are looked for only on pages with vector lines/rects (that is what makes them fast).
    detect_tables: bool = True
    # A table drawn without rules needs this many rows of cells in this many aligned columns.
    min_table_rows: int = 3
    min_table_columns: int = 3
    # A line this short (characters) just above a table is taken as its caption.
    max_caption_chars: int = 120

    def __post_init__(self) -> None:
        for name in ("max_file_mb", "max_html_mb", "timeout_s", "x_tolerance", "y_tolerance",
                     "header_footer_y_tolerance", "min_gutter"):
            value = getattr(self, name)
            _require(name, _is_number(value) and value > 0, "must be a positive number")
        for name in ("max_pages", "min_column_lines", "max_caption_chars", "min_table_rows",
                     "min_table_columns"):
            value = getattr(self, name)
            _require(name, _is_number(value) and value == int(value) and value > 0,
                     "must be a positive integer")
        _require("min_table_columns", self.min_table_columns >= 2, "must be at least 2")
        share = self.header_footer_min_share
        _require("header_footer_min_share", _is_number(share) and 0 < share <= 1, "must be in (0, 1]")
        margin = self.margin_share
        _require("margin_share", _is_number(margin) and 0 < margin < 0.5, "must be in (0, 0.5)")
        _require("detect_tables", isinstance(self.detect_tables, bool), "must be true or false")
        _require("engine", self.engine in ENGINES, f"must be one of {', '.join(ENGINES)}")

    @classmethod
    def resolve(cls, settings: ExtractSettings | dict[str, Any] | None = None) -> ExtractSettings:
        """Settings from None (defaults), a dict of overrides, or an `ExtractSettings`."""
        return resolve_settings(cls, settings, "Extract")


_Settings = TypeVar("_Settings")


def resolve_settings(cls: type[_Settings], settings: _Settings | dict[str, Any] | None, label: str) -> _Settings:
    """A settings dataclass from None (its defaults), a dict of overrides, or one already made;
    an unknown name raises `ValueError` naming it (`label` says whose settings they are)."""
    if settings is None:
        return cls()
    if isinstance(settings, cls):
        return settings
    if not isinstance(settings, dict):
        raise ValueError(f"Cannot resolve {label.lower()} settings from {type(settings).__name__}")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise ValueError(f"{label} setting '{unknown[0]}' is not a setting (known: {', '.join(sorted(known))})")
    return cls(**settings)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _require(name: str, ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(f"Extract setting '{name}' {message}")
