"""Word documents (.docx) -> layout blocks, through python-docx.

A Word file says what each paragraph is: headings by their style ("Heading 2", "Title") or
outline level, list items by their numbering (the number Word prints, worked out from the
numbering definitions and the items before it: "3.", "(b)", "ii."; bullets as "•"), and
tables by their cells (a merged cell's text in its first slot, the slots it covers empty,
as for PDF tables). Pages are where Word last laid the text out (its rendered page breaks),
else the explicit page breaks. A legacy `.doc` file is refused with what to do instead.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import DocumentTooLarge, UnreadableDocument
from extract.layout.blocks import assign_heading_paths, split_marker
from extract.settings import ExtractSettings
from schemas import Block, BlockKind

__all__ = ["WordDocument", "docx_to_document"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre)\s*(\d)$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_BULLET_FORMATS = {"bullet", "none"}


@dataclass
class WordDocument:
    """What a Word file gives the pipeline."""

    blocks: list[Block]
    pages: int
    title: str | None = None
    published: str | None = None
    info: dict = field(default_factory=dict)


def docx_to_document(path: str | Path, settings: ExtractSettings | dict | None = None) -> WordDocument:
    """Read a .docx file into blocks.

    Raises:
        UnreadableDocument: a .doc file, a file that is not a Word document (a renamed ZIP,
            truncated), or one with no text.
        DocumentTooLarge: over `max_file_mb`.
    """
    settings = ExtractSettings.resolve(settings)
    path = Path(path)
    name = str(path)
    if path.suffix.lower() == ".doc":
        raise UnreadableDocument(name, "a legacy Word .doc file is not read; save it as .docx or PDF and ingest that")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableDocument(name, "empty file (0 bytes)")
    if size > settings.max_file_mb * 1024 * 1024:
        raise DocumentTooLarge(name, f"{size / 1048576:.2f} MB is over the {settings.max_file_mb:g} MB limit")
    document = _open(name)
    numbering = _Numbering(document)
    reader = _Reader(numbering, pages_by_render=bool(document.element.body.findall(f".//{_W}lastRenderedPageBreak")))
    for child in _body_elements(document.element.body):
        if child.tag == f"{_W}p":
            reader.paragraph(child, document)
        else:
            reader.table(child)
    title = _SPACE.sub(" ", document.core_properties.title or "").strip() or None
    return WordDocument(blocks=assign_heading_paths(reader.blocks), pages=reader.page, title=title,
                        info={"Title": title or "", "running_headers": []})


def _body_elements(parent):
    """The body's paragraphs and tables in order, those inside content controls (a cover page,
    a template's fields) included."""
    for child in parent.iterchildren():
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _body_elements(child)


def _open(name: str):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(name):
        raise UnreadableDocument(name, "not a Word document (not a .docx package: truncated or another format)")
    try:
        return docx.Document(name)
    except (PackageNotFoundError, KeyError, ValueError) as e:
        raise UnreadableDocument(name, f"not a Word document ({_one_line(e) or type(e).__name__})") from None
    except Exception as e:  # a damaged part: python-docx raises whatever its XML or ZIP reader raised
        raise UnreadableDocument(name, f"corrupt Word document ({type(e).__name__}: {_one_line(e)})") from None


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:120]


class _Numbering:
    """The numbers Word prints for list paragraphs: counters per list and level, as Word keeps them."""

    def __init__(self, document) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> (numFmt, lvlText, start)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(f"{_W}abstractNumId"): a for a in root.findall(f"{_W}abstractNum")}
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            levels = abstract.get(ref.get(f"{_W}val")) if ref is not None else None
            for lvl in levels.findall(f"{_W}lvl") if levels is not None else []:
                self.formats[(num.get(f"{_W}numId"), _int(lvl.get(f"{_W}ilvl"), 0))] = (
                    _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "", _int(_val(lvl, "start"), 1))

    def marker(self, num_id: str, level: int) -> str | None:
        fmt = self.formats.get((num_id, level))
        if fmt is None or num_id == "0":
            return None
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, fmt[2] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]  # a new item at this level restarts the ones below it
        if fmt[0] in _BULLET_FORMATS:
            return "•"

        def number(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            own = self.formats.get((num_id, at), fmt)
            return _format(counters.get(at, own[2]), own[0])
        return re.sub(r"%(\d)", number, fmt[1]).strip() or _format(counters[level], fmt[0])


def _val(element, tag: str) -> str | None:
    child = element.find(f"{_W}{tag}")
    return child.get(f"{_W}val") if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _format(number: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        out = ""
        for value, roman in _ROMAN:
            while number >= value:
                out, number = out + roman, number - value
        return out.upper() if fmt == "upperRoman" else out
    return str(number)


@dataclass
class _Reader:
    numbering: _Numbering
    pages_by_render: bool
    blocks: list[Block] = field(default_factory=list)
    page: int = 1
    styles: dict[str | None, _Style] = field(default_factory=dict)

    def style(self, p, document) -> _Style:
        """The paragraph's style, looked up once per style id (python-docx searches every style each time)."""
        from docx.enum.style import WD_STYLE_TYPE

        ref = p.find(f"{_W}pPr/{_W}pStyle")
        style_id = ref.get(f"{_W}val") if ref is not None else None
        if style_id not in self.styles:
            self.styles[style_id] = _style_of(document.part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH))
        return self.styles[style_id]

    def paragraph(self, p, document) -> None:
        from docx.text.paragraph import Paragraph

        start_page = self.page
        self.page += self._breaks(p)
        text = _SPACE.sub(" ", Paragraph(p, document).text).strip()
        if not text:
            return
        page = start_page if not self._breaks_before_text(p) else self.page
        style = self.style(p, document)
        if style.contents_entry:
            return
        level = _heading_level(p, style)
        if level is not None:
            self.blocks.append(Block(kind=BlockKind.HEADING, text=text, page=page, level=level, pages=[page]))
            return
        num_id, ilvl = _list_position(p, style)
        marker = self.numbering.marker(num_id, ilvl) if num_id else None
        written, numbering, rest = split_marker(text)
        if marker is None and written:
            marker, text = written, rest.strip() or text
        elif marker is None and numbering:
            text = rest.strip() or text
        kind = BlockKind.LIST_ITEM if marker else BlockKind.PARAGRAPH
        self.blocks.append(Block(kind=kind, text=text, page=page, marker=marker,
                                 numbering=None if marker else numbering, indent=float(ilvl), pages=[page]))

    def table(self, tbl) -> None:
        rows = _table_rows(tbl)
        if not rows:
            return
        if max(len(r) for r in rows) < 2 or len(rows) < 2:  # a one-cell frame round text
            for row in rows:
                for cell in row:
                    if cell:
                        self.blocks.append(Block(kind=BlockKind.PARAGRAPH, text=cell, page=self.page,
                                                 pages=[self.page]))
            return
        text = "\n".join(" | ".join(c or "" for c in row) for row in rows)
        self.blocks.append(Block(kind=BlockKind.TABLE, text=text, page=self.page, cells=rows, pages=[self.page]))
        self.page += sum(self._breaks(p) for p in tbl.iter(f"{_W}p"))

    def _breaks(self, p) -> int:
        if self.pages_by_render:
            return len(p.findall(f".//{_W}lastRenderedPageBreak"))
        return sum(1 for br in p.iter(f"{_W}br") if br.get(f"{_W}type") == "page") + (
            1 if p.find(f"{_W}pPr/{_W}pageBreakBefore") is not None else 0)

    def _breaks_before_text(self, p) -> bool:
        """A break before the paragraph's first text puts the whole paragraph on the new page."""
        for node in p.iter(f"{_W}t", f"{_W}br", f"{_W}lastRenderedPageBreak", f"{_W}pageBreakBefore"):
            return node.tag != f"{_W}t"
        return False


@dataclass(frozen=True)
class _Style:
    """What a paragraph style says, worked out once per style: its heading level and list."""

    level: int | None
    num_id: str | None
    ilvl: str | None
    contents_entry: bool = False  # a table of contents line ("TOC 1"): the headings again, with page numbers


def _style_of(style) -> _Style:
    level = num_id = ilvl = None
    contents_entry = (getattr(style, "name", "") or "").lower().startswith("toc")
    while style is not None:
        name = (style.name or "").strip()
        match = _HEADING_STYLE.match(name)
        if level is None and name.lower() in ("title", "subtitle"):
            level = 1 if name.lower() == "title" else 2
        elif level is None and match:
            level = int(match.group(1))
        num_pr = style.element.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None and num_id is None:
            num_id, ilvl = _val(num_pr, "numId"), ilvl if ilvl is not None else _val(num_pr, "ilvl")
        style = style.base_style
    return _Style(level, num_id, ilvl, contents_entry)


def _heading_level(p, style: _Style) -> int | None:
    if style.level is not None:
        return style.level
    outline = p.find(f"{_W}pPr/{_W}outlineLvl")
    level = _int(outline.get(f"{_W}val"), 9) if outline is not None else 9
    return level + 1 if 0 <= level < 9 else None


def _list_position(p, style: _Style) -> tuple[str | None, int]:
    """(numId, ilvl) of a list paragraph, from its own properties or its style's."""
    num_pr = p.find(f"{_W}pPr/{_W}numPr")
    num_id = _val(num_pr, "numId") if num_pr is not None else None
    ilvl = _val(num_pr, "ilvl") if num_pr is not None else None
    return num_id or style.num_id, _int(ilvl if ilvl is not None else style.ilvl, 0)


def _table_rows(tbl) -> list[list[str | None]]:
    """The table's grid: a horizontally merged cell spans its gridSpan, a vertically merged
    one continues (None) below its first row."""
    rows: list[list[str | None]] = []
    for tr in tbl.findall(f"{_W}tr"):
        row: list[str | None] = []
        for tc in tr.findall(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span = _int(_val(props, "gridSpan"), 1) if props is not None else 1
            merge = props.find(f"{_W}vMerge") if props is not None else None
            continued = merge is not None and merge.get(f"{_W}val") in (None, "continue")
            text = " ".join(_SPACE.sub(" ", "".join(t.text or "" for t in p.iter(f"{_W}t"))).strip()
                            for p in tc.iter(f"{_W}p"))
            row.append(None if continued else (_SPACE.sub(" ", text).strip() or None))
            row.extend([None] * (max(1, min(span, 100)) - 1))
        if any(row):
            rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]
