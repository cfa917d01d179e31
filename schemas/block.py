"""Layout blocks: the unit every extractor reads."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from schemas.columns import CHAR_END, CHAR_START, ID, PAGE, column


class BlockKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"


@dataclass
class Line:
    """One line of text with whatever layout evidence its source gives.

    PDF lines carry geometry and font size; text-file lines carry only their
    indentation (as `x0`, in characters) and page (form feeds).
    """

    text: str
    page: int = 1
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    size: float | None = None
    bold: bool = False
    gap_before: float = 0.0  # vertical gap (PDF points) or blank lines (text) above the line


@dataclass
class Block:
    """A heading, paragraph, list item or table, in reading order."""

    kind: BlockKind = column("heading, paragraph, list_item or table")
    text: str = column("The block's text (documents.text[char_start:char_end])")
    page: int = column(PAGE)
    seq: int = column("Position of the block in the document's reading order", default=0)
    level: int | None = column("Heading level (1 is the top), for headings", default=None)
    numbering: str | None = column(
        "The heading's or paragraph's own numbering (3.6, Priority 2), when it has one", default=None)
    marker: str | None = column("The bullet glyph or list number that opened a list item", default=None)
    indent: float = column("Left indent of the block (PDF points, or characters in text files)", default=0.0)
    heading_path: list[str] = column(
        "JSON list of the headings the block sits under, outermost first", default_factory=list)
    bbox: tuple[float, float, float, float] | None = column(
        "Bounding box on the page (x0, top, x1, bottom in PDF points); PDFs only", default=None)
    cells: list[list[str | None]] | None = column(
        "JSON list of table rows, header first; tables only", default=None)
    caption: str | None = column("The table's caption, when it has one", default=None)
    char_start: int = column(CHAR_START, default=0)
    char_end: int = column(CHAR_END, default=0)
    pages: list[int] = column("Every page a table spans", default_factory=list)
    boxes: list[tuple[int, float, float, float, float]] = column(
        "A table's box on each page it spans: (page, x0, top, x1, bottom) in PDF points; PDFs only",
        default_factory=list)
    found_by: str | None = column(
        "Why a table was found: ruled (a grid of rules), rules_horizontal (rules across only) "
        "or aligned_text (no rules: words in aligned columns)", default=None)
    id: str | None = column(ID, default=None)
