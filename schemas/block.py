"""Layout blocks: the unit every extractor reads."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


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

    kind: BlockKind
    text: str
    page: int
    seq: int = 0
    level: int | None = None
    numbering: str | None = None
    marker: str | None = None  # the bullet glyph or list number that opened the item
    indent: float = 0.0
    heading_path: list[str] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None
    cells: list[list[str | None]] | None = None  # table rows, header first
    caption: str | None = None
    char_start: int = 0
    char_end: int = 0
    pages: list[int] = field(default_factory=list)  # every page the block spans
    id: str | None = None
