"""Plain-text input (as PDF-to-text tools write it) -> lines and table blocks."""
from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path

from extract.errors import UnreadableDocument
from extract.layout.trackers import tracker_rows
from schemas import Block, BlockKind, Line

_PAGE_NUMBER = re.compile(r"^\s*(page\s+)?\d{1,3}(\s+of\s+\d{1,3})?\s*$", re.IGNORECASE)
# A running header is long enough not to be a repeated section label ("What we do:").
_MIN_HEADER_CHARS = 20
_MIN_HEADER_REPEATS = 3


def read_text_file(path: str | Path) -> str:
    """Decode a text file: UTF-8 first, then cp1252 (what Windows exports write)."""
    data = Path(path).read_bytes()
    if not data.strip():
        raise UnreadableDocument(str(path), "the file is empty")
    if b"\x00" in data[:4096]:
        raise UnreadableDocument(str(path), "binary content, not a text file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


@lru_cache(maxsize=1)
def _furniture() -> tuple[re.Pattern, re.Pattern]:
    data = json.loads(resources.files("extract").joinpath("patterns/furniture.json").read_text("utf-8"))
    return tuple(re.compile("|".join(f"(?:{p})" for p in data[k]), re.IGNORECASE) for k in ("lines", "suffixes"))


def without_furniture(line: str) -> str:
    """The line without web-page furniture: empty for a furniture line ("Skip to content",
    "Additional documents:", "Page 2 of 9"), else the line without a trailing file-link
    label ("... Update pdf icon PDF 206 KB")."""
    lines, suffixes = _furniture()
    stripped = line.strip().replace("\u00a0", " ")
    if not stripped or lines.match(stripped):
        return ""
    return suffixes.sub("", line.rstrip())


def _cut_word(text: str) -> str:
    """A page saved up to a byte cap ends mid-word, with no final newline: the cut word is not
    the document's, so it is dropped (a finished last line ends in punctuation, a short one
    is a label or heading)."""
    if text.endswith(("\n", "\r")) or not text[-1:].isalpha():
        return text
    last_line = text[text.rfind("\n") + 1:]
    if len(last_line.strip()) < 30 or " " not in last_line.strip():
        return text
    return text[:len(text) - len(re.search(r"\S*$", text).group(0))].rstrip(" ,;(")


def text_to_items(text: str) -> list[Line | Block]:
    """Lines (with indentation and the blank lines before them) and tab-separated tables."""
    text = _cut_word(text)
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    raw = [line if "\t" in line else without_furniture(line) for line in raw]
    headers = running_headers(raw)
    items: list[Line | Block] = []
    table_rows: list[list[str | None]] = []
    blank = 0
    page = 1
    skip_to = 0
    for at, raw_line in enumerate(raw):
        if at < skip_to:
            continue
        tracker = tracker_rows(raw, at) if raw_line.strip() and "\t" not in raw_line else None
        if tracker:  # a table flattened to one cell a line
            if table_rows:
                items.append(_table_block(table_rows, page))
                table_rows = []
            rows, skip_to = tracker
            items.append(_table_block(rows, page))
            blank = 0
            continue
        page += raw_line.count("\f")
        line = raw_line.replace("\f", "").rstrip(" \r\n")
        if _is_table_row(line):
            table_rows.append(_cells(line))
            blank = 0
            continue
        if table_rows:
            items.append(_table_block(table_rows, page))
            table_rows = []
        line = line.rstrip()
        if not line.strip():
            blank += 1
            continue
        if line.strip() in headers or (_PAGE_NUMBER.match(line) and not _among_figures(raw, at)):
            continue
        indent = len(line) - len(line.lstrip())
        items.append(Line(text=line.strip(), page=page, x0=float(indent), x1=float(len(line)),
                          gap_before=float(blank)))
        blank = 0
    if table_rows:
        items.append(_table_block(table_rows, page))
    return items


def running_headers(lines: list[str]) -> set[str]:
    """Lines repeated on many pages: the same long line three or more times (a section label
    such as "What we do:" or "How do we know?" recurs too, but is not a header)."""
    counts = Counter(line.strip() for line in lines if "\t" not in line)
    return {
        line for line, n in counts.items()
        if n >= _MIN_HEADER_REPEATS and len(line) >= _MIN_HEADER_CHARS
        and not line.endswith((":", "?")) and not (line.startswith("(") and line.endswith(")"))
    }


_FIGURE = re.compile(r"^\s*[£$]?\d[\d,.]*\s*(?:%|[km]|bn)?\s*$|^\s*(?:19|20)\d\d(?:\s*[/\-–]\s*\d{2,4})?\s*$",
                     re.IGNORECASE)


def _among_figures(lines: list[str], at: int) -> bool:
    """A bare number next to another figure or a year is a table cell a dump printed a line
    each, not a page number (which stands among prose)."""
    def neighbour(step: int) -> str:
        i = at + step
        while 0 <= i < len(lines) and not lines[i].strip():
            i += step
        return lines[i] if 0 <= i < len(lines) else ""
    return any(_FIGURE.match(neighbour(step)) for step in (-1, 1))


def _is_table_row(line: str) -> bool:
    # A "LABEL:\tvalue" pair is one tab, a table row has several cells or an empty lead cell.
    return line.count("\t") >= 2 or (line.startswith("\t") and line.strip() != "")


def _cells(line: str) -> list[str | None]:
    return [c.strip() or None for c in line.split("\t")]


def _table_block(rows: list[list[str | None]], page: int) -> Block:
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    # Trailing columns that are empty in every row are tab padding, not cells.
    while width > 1 and all(r[width - 1] is None for r in rows):
        width -= 1
        rows = [r[:width] for r in rows]
    text = "\n".join(" | ".join(c or "" for c in r) for r in rows)
    return Block(kind=BlockKind.TABLE, text=text, page=page, cells=rows, pages=[page])
