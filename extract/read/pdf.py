"""PDF file -> lines and table blocks in reading order (PDFium and pdfplumber, each page read once).

Two character sources feed one builder. A page's characters come either from pdfplumber
(pdfminer's layout, read once) or from PDFium (`extract.read.pdfium`, several times faster);
both give the same per-page character dicts, and everything after that (words, lines,
columns, unruled tables, running headers, table merging) is shared. With `engine="auto"`
(the default) PDFium reads every page, and on a page whose vector paths could draw a ruled
table pdfplumber's table finder runs on PDFium's paths, classified as pdfminer would
(`_DrawnPage`); rotated pages and paths inside form XObjects go to pdfplumber whole.
`engine="pdfplumber"` is the reference path (see bench/bench_ingest.py).
"""
from __future__ import annotations

import bisect
import functools
import io
import math
import operator
import os
import re
import statistics
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pdfplumber
from pdfplumber.container import Container
from pdfplumber.table import Table, TableFinder, merge_edges
from pdfminer.cmapdb import CMapParser, FileUnicodeMap
from pdfminer.encodingdb import EncodingDB
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTLine
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import PDFObjRef, resolve1

from extract.read import ocr, pdfium
from extract.errors import DocumentTooLarge, ExtractionTimeout, UnreadableDocument
from extract.settings import ExtractSettings
from schemas import Block, BlockKind, Line

__all__ = ["PdfContent", "pdf_to_items", "table_text"]

# The PDF spec lets the header sit anywhere in the first 1024 bytes.
_MAGIC_WINDOW = 1024
_HTML_RE = re.compile(rb"<\s*(!doctype\s+html|html|head|body)\b", re.IGNORECASE)
# "3", "- 3 -", "(3)", "Page 3", "Page 3 of 12", "3 / 12", "iv": printed page numbers.
_PAGE_NUMBER_RE = re.compile(
    r"^(page\s*)?[-–(\[]?\s*(\d{1,4}|[ivxlc]{1,7})\s*[-–)\]]?(\s*(of|/)\s*\d{1,4})?$", re.IGNORECASE
)
_BOLD_RE = re.compile(r"bold|black|heavy", re.IGNORECASE)
_DIGITS_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"\s+")
_bottom = operator.itemgetter("bottom")
_SUBSET_TAG_RE = re.compile(r"^[A-Z]{6}\+")
# Table finding is pdfplumber's default "lines" strategy: ruled tables only.
_TABLE_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class PdfContent:
    """What a PDF gives the block builder: lines and table blocks in reading order."""

    items: list[Line | Block]
    pages: int
    metadata: dict = field(default_factory=dict)  # PDF info strings, "running_headers", "fallback_pages"


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    sizes: list[float]
    bold_chars: int


@dataclass
class _PageChars:
    """One page as either engine reads it: the builder's only input."""

    number: int
    width: float
    height: float
    bbox: tuple[float, ...]
    chars: list[dict]  # text, x0, x1, top, bottom, size, upright, fontname (pdfplumber's keys)
    tables: list[Block]  # ruled tables, already cut out of `chars` by the builder
    fell_back: bool = False  # read by pdfplumber because PDFium's text of it was short or wrong
    # PDFium's characters in text runs, on a page where no ruled table or drawn bullet needs
    # them one by one (`chars` is then empty).
    runs: list[pdfium.TextRun] = field(default_factory=list)

    def char_texts(self) -> list[str]:
        """The text of each character, in `chars` and in `runs`."""
        return [c["text"] for c in self.chars] + [t for run in self.runs for t in run.texts]


@dataclass
class _Page:
    number: int
    height: float
    lines: list[Line]
    tables: list[Block]


def pdf_to_items(path: str | os.PathLike[str], settings: ExtractSettings | dict | None = None) -> PdfContent:
    """Read a PDF into lines and table blocks in reading order.

    Args:
        path: the PDF file.
        settings: `ExtractSettings`, a dict of overrides, or None for the defaults.
    Returns:
        `PdfContent` with `items` (`Line`s and table `Block`s, whole document, reading order),
        `pages` (page count) and `metadata` (the PDF info dictionary as strings, may be empty,
        with "running_headers" and "fallback_pages": the pages PDFium read short or wrong,
        which pdfplumber read instead).
    Raises:
        UnreadableDocument: empty file, not a PDF, corrupt, encrypted, or no text layer.
        DocumentTooLarge: over `max_file_mb` or `max_pages`.
        ExtractionTimeout: reading took longer than `timeout_s`.
    """
    settings = ExtractSettings.resolve(settings)
    name = str(path)
    _check_file(Path(path), settings)
    started = time.monotonic()
    with _opened(name) as pdf:
        page_count = _page_count(pdf, name, settings)
        metadata = _metadata(pdf)
        pages = []
        scanned: dict[int, float | None] = {}  # page number -> mean OCR word confidence
        fell_back = []
        for chars in _read_chars(pdf, name, settings):
            if not chars.chars and not chars.runs and not chars.tables and ocr.ocr_available():
                chars = _ocr_chars(name, chars, scanned)
            pages.append(_build_page(chars, settings))
            if chars.fell_back:
                fell_back.append(chars.number)
            if time.monotonic() - started > settings.timeout_s:
                raise ExtractionTimeout(name, f"took longer than {settings.timeout_s:g} s "
                                              f"(stopped at page {chars.number} of {page_count})")
    if not any(p.lines or p.tables for p in pages):
        if scanned:
            raise UnreadableDocument(name, "no text layer, and OCR found no words (a blank or unreadable scan)")
        if ocr.ocr_available():
            raise UnreadableDocument(name, "no text on any page and no scanned image to read "
                                           "(blank pages or broken content streams)")
        raise UnreadableDocument(name, f"no text layer (scanned or image-only PDF); {ocr.INSTALL_HINT}")
    if scanned:
        metadata["ocr_pages"] = sorted(scanned)
        found = [c for c in scanned.values() if c is not None]
        metadata["ocr_confidence"] = round(sum(found) / len(found), 1) if found else None
    metadata["running_headers"] = _drop_running_lines(pages, settings)
    metadata["fallback_pages"] = fell_back
    items = _merge_continued_tables([_page_items(p, settings) for p in pages])
    return PdfContent(items=items, pages=page_count, metadata=metadata)


def _ocr_chars(name: str, chars: _PageChars, scanned: dict[int, float | None]) -> _PageChars:
    """A page without a text layer, read by OCR (`extract.read.ocr`) into the same characters."""
    page = ocr.ocr_page(name, chars.number - 1)
    if page is None:
        return chars
    scanned[chars.number] = page.confidence
    return replace(chars, chars=page.chars)


def table_text(rows: list[list[str | None]]) -> str:
    """A table as text: cells joined with " | ", rows with newlines."""
    return "\n".join(" | ".join(cell or "" for cell in row) for row in rows)


# --- opening and refusing -------------------------------------------------------------


def _check_file(path: Path, settings: ExtractSettings) -> None:
    name = str(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(_MAGIC_WINDOW)
    except FileNotFoundError:
        raise UnreadableDocument(name, "no such file") from None
    except OSError as e:
        raise UnreadableDocument(name, f"cannot be opened ({e.strerror or e})") from None
    if size == 0:
        raise UnreadableDocument(name, "empty file (0 bytes)")
    if size > settings.max_file_mb * 1024 * 1024:
        raise DocumentTooLarge(name, f"{size / 1048576:.2f} MB is over the {settings.max_file_mb:g} MB limit")
    if b"%PDF-" not in head:
        if _HTML_RE.search(head):
            raise UnreadableDocument(name, "not a PDF: it is an HTML page saved with a .pdf name")
        raise UnreadableDocument(name, "not a PDF (no %PDF- header)")


@contextmanager
def _opened(name: str) -> Iterator[pdfplumber.PDF]:
    """`_open`, closed quietly: pdfplumber's `close()` walks the page tree again, and on a
    corrupt one (a MediaBox of keywords) raises a second error that hides the refusal."""
    pdf = _open(name)
    try:
        yield pdf
    finally:
        try:
            pdf.close()
        except Exception:
            pass


def _open(name: str) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(name)
    except Exception as e:  # pdfplumber wraps every pdfminer failure in PdfminerException
        raise _unreadable(name, e) from None


def _unreadable(name: str, error: Exception) -> UnreadableDocument:
    cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return UnreadableDocument(name, "encrypted PDF (a password is required to read it)")
    detail = str(cause).strip() or type(cause).__name__
    return UnreadableDocument(name, f"corrupt or unparseable PDF ({detail[:200]})")


def _page_count(pdf: pdfplumber.PDF, name: str, settings: ExtractSettings) -> int:
    try:
        count = len(pdf.pages)
    except Exception as e:
        raise _unreadable(name, e) from None
    if count == 0:
        raise UnreadableDocument(name, "corrupt or unparseable PDF (no pages found)")
    if count > settings.max_pages:
        raise DocumentTooLarge(name, f"{count} pages is over the {settings.max_pages} page limit")
    return count


def _metadata(pdf: pdfplumber.PDF) -> dict[str, str]:
    """The info dictionary with string values only (dates stay as the PDF writes them)."""
    out = {}
    for key, value in pdf.metadata.items():
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str) and value.strip():
            out[str(key)] = value.strip()
    return out


# --- choosing the engine per page -------------------------------------------------------


def _read_chars(pdf: pdfplumber.PDF, name: str, settings: ExtractSettings) -> Iterator[_PageChars]:
    """Each page's characters (and ruled tables) from the engine the settings choose for it."""
    document = _open_pdfium(pdf, name) if settings.engine != "pdfplumber" else None
    if document is None:
        for page in pdf.pages:
            yield _plumber_chars(page, name, settings)
        return
    fonts: dict[int, tuple[str, float]] = {}  # font object id -> name, descent: read once per document
    cases: dict[int, tuple[str, dict[str, str]]] = {}  # font object id -> name, case map: the same
    try:
        for index, page in enumerate(pdf.pages):
            yield _engine_chars(pdf, document, index, page, name, settings, fonts, cases)
    finally:
        document.close()


def _engine_chars(pdf: pdfplumber.PDF, document: Any, index: int, page: Any, name: str,
                  settings: ExtractSettings, fonts: dict[int, tuple[str, float]],
                  cases: dict[int, tuple[str, dict[str, str]]]) -> _PageChars:
    try:
        fast = document[index]
        # A rotated page is left to the reference path, which turns its text the pdfminer way,
        # and so (under "auto") is a page whose form XObjects draw paths: page_shapes gives
        # None for it, as those paths are in the form's coordinates.
        to_plumber = bool(fast.get_rotation())
        shapes = [] if to_plumber else pdfium.page_shapes(fast)
        if shapes is None:
            to_plumber, shapes = settings.engine == "auto", []
        read = None if to_plumber else pdfium.read_page(fast, index + 1, _font_descents(pdf, page, fonts))
        fast.close()
    except Exception as e:
        raise _page_error(name, index + 1, e) from None
    if read is None:
        return _plumber_chars(page, name, settings)
    runs = read.runs
    _apply_case_maps(runs, _case_maps(page, cases))
    texts = set().union(*(run.texts for run in runs))
    plain = all(t.isascii() and t.isprintable() for t in texts)
    if not plain:
        _normalise_run_glyphs(runs, texts)
    bullets = [_bullet_char(s, read.height, 0.0, 0.0) for s in shapes if s.kind != "line" and _is_drawn_bullet(s)]
    tables = []
    if settings.engine == "auto" and settings.detect_tables and \
            _draws_rules([(s.kind == "line", s.width, s.height, s.y0) for s in shapes]):
        drawn = _DrawnPage(read, shapes)
        try:
            # PDFium leaves out the space glyphs some writers draw (pdfminer keeps them), so
            # a word gap is a gap wider than the builder's: a fifth of the type size.
            tables = _find_tables(drawn, settings, x_tolerance_ratio=_WORD_GAP)
        except Exception as e:
            raise _page_error(name, index + 1, e) from None
    chars = []
    if bullets or tables:  # a drawn bullet takes a letter's box; a table's characters are cut out
        chars, runs = read.chars + bullets, []
        _align_bullets(chars)
    fast_read = _PageChars(read.number, read.width, read.height, read.bbox, chars, tables, runs=runs)
    if _suspect(read, plain, texts):
        reference = _plumber_chars(page, name, settings)
        if _better_read(fast_read, reference):
            return replace(reference, fell_back=True)
    return fast_read


# PDFium's text of a page may be short or wrong past this many text objects that give no
# text, or characters that are wrong (and this share of them): one odd glyph is no loss.
_SUSPECT_OBJECTS = 10
_SUSPECT_CHARS = 2
_SUSPECT_SHARE = 0.05
# pdfplumber's reading replaces PDFium's when it holds this much more text.
_LONGER = 1.02
# Symbol, Wingdings and Dingbats glyphs sit at U+F020-U+F0FF (the symbol-font convention),
# read the same by both engines: private-use characters elsewhere are a font's own codes.
_SYMBOL_FONT_AREA = range(0xF020, 0xF100)


def _suspect(read: pdfium.PdfiumPage, plain: bool, texts: set[str]) -> bool:
    """Whether PDFium's text of a page may be short (text objects whose glyphs it maps to no
    character) or wrong (replacement, control, unassigned or private-use characters); a
    `plain` page (printable ASCII only) has none of the latter; `texts` are the distinct
    texts of its characters."""
    if read.unmapped_objects >= max(_SUSPECT_OBJECTS, _SUSPECT_SHARE * read.text_objects):
        return True
    if plain:
        return False
    char_texts = [t for run in read.runs for t in run.texts]
    return _wrong_chars(char_texts, texts) > max(_SUSPECT_CHARS, _SUSPECT_SHARE * len(char_texts))


def _better_read(fast: _PageChars, reference: _PageChars) -> bool:
    """Whether pdfplumber's reading of a page holds more text, or fewer wrong characters."""
    fast_texts, reference_texts = fast.char_texts(), reference.char_texts()
    longer = _letters(reference_texts) > _LONGER * _letters(fast_texts) + _SUSPECT_CHARS
    return longer or _wrong_chars(reference_texts) < _wrong_chars(fast_texts)


def _letters(char_texts: list[str]) -> int:
    return sum(len(t) for t in char_texts if not t.isspace())


def _wrong_chars(char_texts: list[str], distinct: set[str] | None = None) -> int:
    """How many characters (by their texts) are wrong; `distinct`: their distinct texts, when
    the caller has them."""
    wrong = {t for t in (distinct if distinct is not None else set(char_texts)) if _is_wrong(t)}
    return sum(1 for t in char_texts if t in wrong) if wrong else 0


@functools.lru_cache(maxsize=4096)
def _is_wrong(text: str) -> bool:
    for ch in text:
        kind = unicodedata.category(ch)
        if ch == "\ufffd" or (kind in ("Cc", "Cn") and ch not in "\t\n\r") or \
                (kind == "Co" and ord(ch) not in _SYMBOL_FONT_AREA):
            return True
    return False


class _DrawnPage(Container):
    """What pdfplumber's table finder reads of a page (characters, rules, box), from PDFium.

    The objects are pdfplumber's dicts with the keys its edge and text helpers use, in the
    PDFium characters' coordinates, so table cells are cut from the same characters.
    """

    def __init__(self, read: pdfium.PdfiumPage, shapes: list[pdfium.Shape]) -> None:
        self.page_number, self.width, self.height, self.bbox = read.number, read.width, read.height, read.bbox
        chars = read.chars
        for c in chars:
            c["doctop"] = c["top"]
        self._objects = {"char": chars, "line": [], "rect": [], "curve": []}
        for shape in shapes:
            self._objects[shape.kind].append(self._plumber_object(shape))

    def _plumber_object(self, shape: pdfium.Shape) -> dict:
        top, bottom = self.height - shape.y1, self.height - shape.y0
        return {"object_type": shape.kind, "x0": shape.x0, "x1": shape.x1, "y0": shape.y0, "y1": shape.y1,
                "top": top, "bottom": bottom, "doctop": top, "width": shape.width, "height": shape.height,
                "pts": [(x, self.height - y) for x, y in shape.pts], "fill": shape.fill}

    @property
    def objects(self) -> dict[str, list[dict]]:
        return self._objects

    def find_tables(self, table_settings: dict) -> list[Table]:
        tables = TableFinder(self, table_settings).tables
        for table in tables:
            # `Table.extract` tests every character of its page against every row and cell;
            # those outside the table (by the same midpoint test) are in none of them.
            bbox = table.bbox
            table.page = _TableChars([c for c in self.chars if _mid_in(c, bbox)])
        return tables


@dataclass
class _TableChars:
    chars: list[dict]


def _mid_in(c: dict, bbox: tuple[float, float, float, float]) -> bool:
    """pdfplumber's test of a character in a table cell: its middle inside the half-open box."""
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return bbox[0] <= x < bbox[2] and bbox[1] <= y < bbox[3]


_RULE_MIN_POINTS = 100.0  # a horizontal line this long may be a table's rule


def _draws_rules(paths: list[tuple[bool, float, float, float]]) -> bool:
    """Whether painted paths (straight line or not, width, height, bottom) could draw a ruled
    table: any box or curve may draw cell borders; lines need to run both ways, or three long
    ones across of one width (a table ruled above, under its header and below: underlines and
    separators make no table). A rule drawn a cell at a time is as long as its segments at
    one height together."""
    horizontal = vertical = False
    across: dict[int, float] = defaultdict(float)
    for is_line, width, height, y in paths:
        if not is_line:
            return True
        horizontal |= height < 1
        vertical |= width < 1
        if height < 1:
            across[round(y)] += width
    rules = [w for w in across.values() if w >= _RULE_MIN_POINTS]
    return (horizontal and vertical) or \
        any(sum(1 for w in rules if abs(w - width) <= _RULE_ALIGN) >= 3 for width in rules)


def _open_pdfium(pdf: pdfplumber.PDF, name: str) -> Any | None:
    """The PDFium document, or None (pdfplumber reads it all) when PDFium sees it differently."""
    try:
        document = pdfium.open_pdf(name)
    except Exception:
        return None
    if len(document) != len(pdf.pages):
        document.close()
        return None
    return document


def _font_descents(pdf: pdfplumber.PDF, page: Any, known: dict[int, tuple[str, float]]) -> dict[str, float]:
    """The descent (per em) pdfminer gives each of the page's fonts, by name without subset tag.

    pdfminer puts a character's bottom at the font descriptor's Descent (0 when a PDF writer
    leaves it out); PDFium guesses it from the font program. Taking pdfminer's value from the
    font dictionaries (no content stream is parsed) keeps the two engines' lines identical.
    `known` remembers fonts by object id across the document's pages.
    """
    out: dict[str, float] = {}
    for resources in _resource_dicts(page.page_obj.resources):
        for font_id, spec in (resolve1(resources.get("Font")) or {}).items():
            objid = spec.objid if isinstance(spec, PDFObjRef) else None  # pdfminer's cache key
            if objid is None or objid not in known:
                try:
                    read = _descriptor_descent(resolve1(spec))
                    if read is None:
                        font = pdf.rsrcmgr.get_font(objid, resolve1(spec))
                        read = (font.fontname, font.get_descent())
                except Exception:  # a font pdfminer cannot read: PDFium's own descent is used
                    continue
                fontname = read[0] if isinstance(read[0], str) else str(font_id)
                read = (_SUBSET_TAG_RE.sub("", fontname), read[1])
                if objid is None:
                    out[read[0]] = read[1]
                    continue
                known[objid] = read
            fontname, descent = known[objid]
            out[fontname] = descent
    return out


_DESCRIBED_SUBTYPES = {"Type1", "MMType1", "TrueType", "CIDFontType0", "CIDFontType2"}


def _descriptor_descent(spec: dict) -> tuple[Any, float] | None:
    """(font name, descent per em) as pdfminer's font object would give them, read from the
    font descriptor alone; None where pdfminer does more than that (the standard 14 fonts'
    built-in metrics, Type 3 fonts), which is then left to pdfminer.

    Building pdfminer's font parses its ToUnicode map, which the descent does not need.
    """
    subtype = getattr(resolve1(spec.get("Subtype")), "name", None)
    if subtype == "Type0":
        descendants = resolve1(spec.get("DescendantFonts"))
        spec = resolve1(descendants[0]) if descendants else {}
        subtype = getattr(resolve1(spec.get("Subtype")), "name", None)
    if subtype not in _DESCRIBED_SUBTYPES:
        return None
    if subtype in ("Type1", "MMType1", "TrueType") and \
            getattr(resolve1(spec.get("BaseFont")), "name", None) in FONT_METRICS:
        return None
    descriptor = resolve1(spec.get("FontDescriptor"))
    if not isinstance(descriptor, dict):
        return None
    fontname = resolve1(descriptor.get("FontName", "unknown"))
    descent = resolve1(descriptor.get("Descent", 0))
    if not isinstance(descent, (int, float)):
        return None
    return getattr(fontname, "name", fontname), -abs(descent) * 0.001


_SIMPLE_SUBTYPES = {"Type1", "MMType1", "TrueType"}
# A ToUnicode entry (or range) that gives a letter's one-byte code the other case of the
# letter ("<48> <0068>": where the encoding keeps ASCII's places, as nearly all do): only a
# map that has one is parsed, which pdfminer's CMap parser does slowly.
_CASE_FLIP_RE = re.compile(b"|".join(
    b"<%02X>\\s*(?:<[0-9A-F]{2}>\\s*)?<00%02X>" % (c, ord(chr(c).swapcase()))
    for c in (*range(0x41, 0x5B), *range(0x61, 0x7B))), re.IGNORECASE)


def _case_maps(page: Any, known: dict[int, tuple[str, dict[str, str]]]) -> dict[str, dict[str, str]]:
    """Per font of the page (by name without subset tag), the letters PDFium gives in the case
    the glyph is drawn in where the font's ToUnicode map gives the other case, mapped to the
    ToUnicode's: pdfminer reads that map, as copying the text from a viewer does (a writer
    that styles typed lower-case letters as capitals keeps what was typed there). `known`
    remembers fonts by object id across the document's pages."""
    out: dict[str, dict[str, str]] = {}
    for resources in _resource_dicts(page.page_obj.resources):
        for font_id, spec in (resolve1(resources.get("Font")) or {}).items():
            objid = spec.objid if isinstance(spec, PDFObjRef) else None
            if objid is None or objid not in known:
                try:
                    read = _case_map(resolve1(spec))
                except Exception:  # a font pdfminer cannot read: PDFium's text stands
                    read = ("", {})
                if objid is None:
                    if read[1]:
                        out[read[0]] = read[1]
                    continue
                known[objid] = read
            fontname, cases = known[objid]
            if cases:
                out[fontname] = cases
    return out


def _case_map(spec: dict) -> tuple[str, dict[str, str]]:
    """(font name without subset tag, {encoded letter: ToUnicode letter}) for a simple font
    whose ToUnicode map gives some codes the other case of the letter its encoding names."""
    if getattr(resolve1(spec.get("Subtype")), "name", None) not in _SIMPLE_SUBTYPES or \
            spec.get("ToUnicode") is None:
        return "", {}
    stream = resolve1(spec.get("ToUnicode"))
    if not hasattr(stream, "get_data"):
        return "", {}
    data = stream.get_data()
    if not _CASE_FLIP_RE.search(data):
        return "", {}
    to_unicode = FileUnicodeMap()
    CMapParser(to_unicode, io.BytesIO(data)).run()
    encoding = resolve1(spec.get("Encoding"))
    base, differences = "StandardEncoding", None
    if isinstance(encoding, dict):
        base = getattr(resolve1(encoding.get("BaseEncoding")), "name", base)
        differences = resolve1(encoding.get("Differences"))
    elif encoding is not None:
        base = getattr(encoding, "name", base)
    encoded = EncodingDB.get_encoding(base, differences)
    declared = {u for u in to_unicode.cid2unichr.values()}
    cases = {}
    for code, unicode in to_unicode.cid2unichr.items():
        letter = encoded.get(code)
        if letter and len(unicode) == 1 and letter != unicode and letter.swapcase() == unicode \
                and letter not in declared:
            cases[letter] = unicode
    name = getattr(resolve1(spec.get("BaseFont")), "name", "")
    return _SUBSET_TAG_RE.sub("", name if isinstance(name, str) else ""), cases


def _apply_case_maps(runs: list[pdfium.TextRun], maps: dict[str, dict[str, str]]) -> None:
    if not maps:
        return
    for run in runs:
        cases = maps.get(run.fontname)
        if cases:
            run.texts = [cases.get(t, t) for t in run.texts]


def _resource_dicts(resources: Any) -> Iterator[dict]:
    """A page's resources and those of the form XObjects it draws (one level down)."""
    resources = resolve1(resources) or {}
    yield resources
    for xobject in (resolve1(resources.get("XObject")) or {}).values():
        stream = resolve1(xobject)
        if getattr(stream, "get", None) and stream.get("Resources") is not None:
            yield resolve1(stream.get("Resources")) or {}


def _page_error(name: str, number: int, error: Exception) -> UnreadableDocument:
    return UnreadableDocument(name, f"corrupt or unparseable PDF (page {number}: "
                                    f"{str(error)[:200] or type(error).__name__})")


def _plumber_chars(page: Any, name: str, settings: ExtractSettings) -> _PageChars:
    try:
        chars, has_rules = _layout_chars(page)
        _normalise_glyphs(chars, raw_codes=True)
        tables = []
        if has_rules and settings.detect_tables:
            _normalise_glyphs(page.chars, raw_codes=True)  # what the table finder cuts cells from
            tables = _find_tables(page, settings)
    except Exception as e:
        raise _page_error(name, page.page_number, e) from None
    read = _PageChars(page.page_number, float(page.width), float(page.height),
                      tuple(float(v) for v in page.bbox), chars, tables)
    page.close()  # drop pdfplumber's per-page object cache; we have what we need
    return read


# --- one page: chars -> rows -> words -> lines (columns resolved) + tables -------------------


def _build_page(page: _PageChars, settings: ExtractSettings) -> _Page:
    """Lines in reading order and tables, from either engine's characters."""
    tables = list(page.tables)
    boxes = [t.bbox for t in tables if t.bbox]
    if page.runs:
        row_runs = _chars_to_rows(_runs_on_page(page.runs, page.bbox), settings.y_tolerance, _run_bottom)
    else:
        left, top, right, bottom = page.bbox[:4]
        # Text placed off the page (outside its box) is not printed.
        kept = [c for c in page.chars
                if c["upright"] and c["x1"] > left and c["x0"] < right and c["bottom"] > top and c["top"] < bottom]
        if boxes:
            kept = [c for c in kept if not _in_boxes(c, boxes)]
        row_runs = [_char_runs(row) for row in _chars_to_rows(kept, settings.y_tolerance)]
    rows = [_row_words(row, settings) for row in row_runs]
    rows = [r for r in rows if r]
    if settings.detect_tables:
        rows, unruled = _unruled_tables(rows, page.number, page.height, settings)
        tables += unruled
    lines = _rows_to_lines(rows, page.number, page.width, page.height, settings)
    return _Page(page.number, page.height, lines, tables)


# Bullets and marks of the symbol fonts as each engine reads them: PDFium gives the private-use
# code (U+F0xx) or the byte as a C1 control character, pdfminer the same or "(cid:N)".
_SYMBOL_FONT_RE = re.compile(r"symbol|wingding|webding|dingbat", re.IGNORECASE)
_SYMBOL_GLYPHS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf06e": "▪", "\uf06c": "●", "\uf0d8": "➢",
                  "\uf0fc": "✓", "\uf076": "❖", "\uf0e0": "➢", "\uf0a8": "▪"}
_C1_CONTROLS = range(0x80, 0xA0)
# pdfminer gives a ZapfDingbats glyph as its byte (PDFium as Adobe's Unicode for it): the
# list marks among them.
_DINGBATS = {"l": "●", "n": "■", "u": "◆", "v": "❖", "3": "✓", "4": "✔", "o": "❏", "q": "❑", "H": "★"}


def _normalise_glyphs(chars: list[dict], raw_codes: bool = False) -> None:
    """Symbol-font bullets as the glyphs they draw, the same whichever engine read them, and
    C1 control characters as the Windows-1252 punctuation a mis-declared font meant.

    `raw_codes`: pdfminer's characters, which may be a glyph's code as ASCII ("(cid:153)",
    a ZapfDingbats byte); PDFium's ASCII is always what it says (`_normalise_run_glyphs`)."""
    odd = {t for t in {c["text"] for c in chars}
           if not t.isascii() or (raw_codes and (t.startswith("(cid:") or t in _DINGBATS))}
    if not odd:
        return
    for c in chars:
        text = c["text"]
        if text in odd:
            c["text"] = _normal_glyph(text, c["fontname"])


def _normalise_run_glyphs(runs: list[pdfium.TextRun], texts: set[str]) -> None:
    """`_normalise_glyphs` for PDFium's characters; `texts`: their distinct texts."""
    odd = {t for t in texts if not t.isascii()}
    for run in runs:
        if not odd.isdisjoint(run.texts):
            run.texts = [_normal_glyph(t, run.fontname) if t in odd else t for t in run.texts]


# Ligatures as one character ("ﬁ", U+FB01), as pdfminer reads a ligature glyph, are their
# letters, as PDFium reads the same glyph: the two engines store the same text, and "first"
# is found by search.
_LIGATURES = frozenset(chr(c) for c in range(0xFB00, 0xFB07))


@functools.lru_cache(maxsize=1024)
def _normal_glyph(text: str, fontname: str) -> str:
    if text in _LIGATURES:
        return unicodedata.normalize("NFKC", text)
    if _SYMBOL_FONT_RE.search(fontname):
        if "Dingbats" in fontname and text in _DINGBATS:
            return _DINGBATS[text]
        if text.isascii() and not text.startswith("(cid:"):
            return text  # a letter of a symbol font pdfminer maps (Symbol's Greek)
        if text in _SYMBOL_GLYPHS:
            return _SYMBOL_GLYPHS[text]
        if text.startswith("(cid:") or any(ord(ch) in _C1_CONTROLS or unicodedata.category(ch) == "Co" for ch in text):
            return "•"  # a mark with no Unicode of its own: at a line's start, a bullet
        return text
    if text in _SYMBOL_GLYPHS:
        return _SYMBOL_GLYPHS[text]
    if text.isascii():
        return text  # "(cid:N)" or a letter in a font that is no symbol font
    return "".join(bytes([ord(ch)]).decode("cp1252", "replace") if ord(ch) in _C1_CONTROLS else ch for ch in text)


# Some writers (browsers' print to PDF among them) draw a list's bullets as small filled
# shapes rather than print a glyph: a filled dot or square about a letter's size.
_BULLET_SIZE = (1.5, 8.0)
_DRAWN_BULLET = "drawn-bullet"  # the font name such a bullet's character gets


def _is_drawn_bullet(obj: LTCurve | pdfium.Shape) -> bool:
    low, high = _BULLET_SIZE
    return bool(obj.fill) and low <= obj.width <= high and low <= obj.height <= high \
        and abs(obj.width - obj.height) < 1.5


def _bullet_char(obj: LTCurve | pdfium.Shape, height: float, mb_x0: float, mb_top: float) -> dict:
    """A drawn bullet as the character a word processor would have printed there."""
    middle = height - (obj.y0 + obj.y1) / 2 + mb_top
    size = obj.height * 2.5  # a dot is about 40% of its font size
    return {"text": "•", "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0, "top": middle - size * 0.7,
            "bottom": middle + size * 0.3, "size": size, "upright": True, "fontname": _DRAWN_BULLET}


def _align_bullets(chars: list[dict]) -> None:
    """Give each drawn bullet the box of the first letter after it on its line, so the two
    share a row (a dot's own box is far shorter than the type it marks)."""
    bullets = [c for c in chars if c["fontname"] == _DRAWN_BULLET]
    if not bullets:
        return
    letters = sorted((c for c in chars if c["fontname"] != _DRAWN_BULLET and not c["text"].isspace()),
                     key=lambda c: c["x0"])
    starts = [c["x0"] for c in letters]
    for b in bullets:
        middle = (b["top"] + b["bottom"]) / 2
        for c in letters[bisect.bisect_left(starts, b["x1"]):]:
            if c["x0"] > b["x1"] + 40:
                break
            if c["top"] <= middle <= c["bottom"]:
                b["top"], b["bottom"], b["size"] = c["top"], c["bottom"], c["size"]
                break


def _layout_chars(page: Any) -> tuple[list[dict], bool]:
    """The page's characters (pdfplumber's coordinates and keys) and whether it draws table rules.

    Read straight from the pdfminer layout pdfplumber parses for the page: pdfplumber's own
    `page.chars` turns every object into a dict of some twenty resolved attributes, which
    costs about as much as interpreting the page, and we need six of them.
    """
    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    chars: list[dict] = []
    paths: list[tuple[bool, float, float, float]] = []
    stack = list(reversed(page.layout._objs))
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            fontname = obj.fontname
            chars.append({
                "text": obj.get_text(), "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0,
                "top": height - obj.y1 + mb_top, "bottom": height - obj.y0 + mb_top,
                "size": obj.size, "upright": obj.upright,
                "fontname": fontname if isinstance(fontname, str) else repr(fontname),
            })
        elif isinstance(obj, LTLine):
            paths.append((True, obj.width, obj.height, obj.y0))
        elif isinstance(obj, LTCurve):  # LTRect is a curve too
            paths.append((False, obj.width, obj.height, obj.y0))
            if _is_drawn_bullet(obj):
                chars.append(_bullet_char(obj, height, mb_x0, mb_top))
        elif isinstance(obj, LTContainer):
            stack.extend(reversed(obj._objs))
    _align_bullets(chars)
    return chars, _draws_rules(paths)


def _in_boxes(c: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _chars_to_rows(chars: list[Any], tolerance: float, bottom: Callable[[Any], float] = _bottom) -> list[list[Any]]:
    """Group characters (or text runs) sharing a baseline (chained within `tolerance`), top to bottom."""
    ordered = sorted(chars, key=bottom)
    bottoms = list(map(bottom, ordered))
    starts = [0] + [i for i, (a, b) in enumerate(zip(bottoms, bottoms[1:]), start=1) if b - a > tolerance]
    return [ordered[i:j] for i, j in zip(starts, starts[1:] + [len(ordered)])] if ordered else []


def _runs_on_page(runs: list[pdfium.TextRun], bbox: tuple[float, ...]) -> list[pdfium.TextRun]:
    """The upright characters inside the page's box (text placed off the page is not printed)."""
    left, top, right, bottom = bbox[:4]
    out = []
    for run in runs:
        if not (run.upright and run.bottom > top and run.top < bottom):
            continue
        if min(run.x1s) > left and max(run.x0s) < right:
            out.append(run)
            continue
        inside = [i for i, (x0, x1) in enumerate(zip(run.x0s, run.x1s)) if x1 > left and x0 < right]
        if inside:
            out.append(replace(run, texts=[run.texts[i] for i in inside], x0s=[run.x0s[i] for i in inside],
                               x1s=[run.x1s[i] for i in inside]))
    return out


def _char_runs(chars: list[dict]) -> list[pdfium.TextRun]:
    """Each character as a run of its own."""
    return [pdfium.TextRun([c["text"]], [c["x0"]], [c["x1"]], c["top"], c["bottom"], c["size"], c["upright"],
                           c["fontname"]) for c in chars]


def _split_runs(runs: list[pdfium.TextRun]) -> list[pdfium.TextRun]:
    return [replace(run, texts=[text], x0s=[x0], x1s=[x1])
            for run in runs for text, x0, x1 in zip(run.texts, run.x0s, run.x1s)]


def _left_to_right(row: list[pdfium.TextRun]) -> list[pdfium.TextRun]:
    """The row's runs in an order that reads its characters left to right (by x0, ties in
    the row's order): the runs by their first character where each one's characters are in
    x order and no two runs overlap, else each character as a run of its own."""
    runs = sorted(row, key=_first_x0)
    if all(run.x0s == sorted(run.x0s) for run in runs) and \
            all(a.x0s[-1] < b.x0s[0] for a, b in zip(runs, runs[1:])):
        return runs
    return sorted(_split_runs(row), key=_first_x0)


def _row_words(row: list[pdfium.TextRun], settings: ExtractSettings) -> list[_Word]:
    """Split a row into words at spaces and at horizontal gaps.

    Runs once per character of the document: one pass, the word being built in locals, and
    what a run's characters share read once per run."""
    words: list[_Word] = []
    x_tolerance = settings.x_tolerance
    texts: list[str] = []  # the word being built: its characters' texts and sizes, bold ones, box
    sizes: list[float] = []
    bold = 0
    x0 = x1 = top = bottom = last_x1 = 0.0
    previous_text, previous_x0, previous_top = None, 0.0, 0.0
    for run in _left_to_right(row):
        size, run_top, run_bottom = run.size, run.top, run.bottom
        gap_limit = _WORD_GAP * size
        gap = x_tolerance if x_tolerance < gap_limit else gap_limit
        in_bold = _is_bold(run.fontname)
        for text, c_x0, c_x1 in zip(run.texts, run.x0s, run.x1s):
            if text == previous_text and abs(c_x0 - previous_x0) < 1 and abs(run_top - previous_top) < 1:
                continue  # fake bold: the same glyph printed twice at (almost) the same spot
            previous_text, previous_x0, previous_top = text, c_x0, run_top
            if text.isspace():
                if texts:
                    words.append(_Word("".join(texts), x0, x1, top, bottom, sizes, bold))
                    texts = []
                continue
            if texts and c_x0 - last_x1 > gap:
                words.append(_Word("".join(texts), x0, x1, top, bottom, sizes, bold))
                texts = []
            last_x1 = c_x1
            if texts:
                if last_x1 > x1:
                    x1 = last_x1
                if run_top < top:
                    top = run_top
                if run_bottom > bottom:
                    bottom = run_bottom
            else:
                x0, x1, top, bottom, sizes, bold = c_x0, last_x1, run_top, run_bottom, [], 0
            texts.append(text)
            sizes.append(size)
            bold += in_bold
    if texts:
        words.append(_Word("".join(texts), x0, x1, top, bottom, sizes, bold))
    return words


_run_bottom = operator.attrgetter("bottom")


def _first_x0(run: pdfium.TextRun) -> float:
    return run.x0s[0]
_WORD_GAP = 0.2  # a gap between letters wider than this share of the type size splits words


@functools.lru_cache(maxsize=256)
def _is_bold(fontname: str) -> bool:
    # Asked for every character: a document has a handful of fonts.
    return bool(_BOLD_RE.search(fontname))


def _make_line(words: list[_Word], page: int) -> Line:
    # Once per line of the document: one pass over its words.
    texts: list[str] = []
    sizes: list[float] = []
    bold = 0
    top, x1, bottom = words[0].top, words[0].x1, words[0].bottom
    for w in words:
        texts.append(w.text)
        sizes += w.sizes
        bold += w.bold_chars
        if w.top < top:
            top = w.top
        if w.x1 > x1:
            x1 = w.x1
        if w.bottom > bottom:
            bottom = w.bottom
    return Line(
        text=" ".join(texts), page=page, x0=round(words[0].x0, 2), top=round(top, 2), x1=round(x1, 2),
        bottom=round(bottom, 2), size=round(_median(sizes), 2), bold=bold * 2 > len(sizes),
    )


def _median(values: list[float]) -> float:
    """`statistics.median`, without its checks: asked once per line."""
    values = sorted(values)
    half = len(values) // 2
    return values[half] if len(values) % 2 else (values[half - 1] + values[half]) / 2


# --- two-column regions -----------------------------------------------------------------


def _rows_to_lines(rows: list[list[_Word]], page: int, width: float, height: float,
                   settings: ExtractSettings) -> list[Line]:
    """Lines in reading order: a two-column region is read left column first."""
    body = [not _in_margin(r[0].top, r[0].bottom, height, settings) for r in rows]
    gutter = _find_gutter(rows, body, settings)
    if gutter is None:
        return [_make_line(r, page) for r in rows]
    lines: list[Line] = []
    for start, end, split in _regions(rows, body, gutter, settings):
        if not split:
            lines.extend(_make_line(r, page) for r in rows[start:end])
            continue
        for side in (0, 1):
            for r in rows[start:end]:
                part = [w for w in r if (w.x1 <= gutter) == (side == 0)]
                if part:
                    lines.append(_make_line(part, page))
    return lines


def _in_margin(top: float, bottom: float, height: float, settings: ExtractSettings) -> bool:
    return bottom < height * settings.margin_share or top > height * (1 - settings.margin_share)


def _clear(row: list[_Word], x: float, half_gap: float) -> bool:
    return all(w.x1 + half_gap <= x or w.x0 - half_gap >= x for w in row)


def _find_gutter(rows: list[list[_Word]], body: list[bool], settings: ExtractSettings) -> float | None:
    """The x of a vertical gutter that splits a run of body rows into two text columns, if any."""
    candidates = set()
    for row, in_body in zip(rows, body):
        if in_body:
            for a, b in zip(row, row[1:]):
                if b.x0 - a.x1 >= settings.min_gutter:
                    candidates.add(round((a.x1 + b.x0) / 2))
    best, best_rows = None, 0
    for x in sorted(candidates):
        covered = sum(end - start for start, end, split in _regions(rows, body, x, settings) if split)
        if covered > best_rows:
            best, best_rows = float(x), covered
    return best


def _regions(rows: list[list[_Word]], body: list[bool], x: float,
             settings: ExtractSettings) -> list[tuple[int, int, bool]]:
    """Runs of rows (start, end, is_two_column) for a candidate gutter at `x`."""
    half = settings.min_gutter / 2
    out: list[tuple[int, int, bool]] = []
    start = 0
    # Margin rows do not suggest gutters (a header's left and right parts would), but they
    # may sit in a two-column region: a page's body can start inside the top margin.
    clear = [_clear(r, x, half) for r in rows]
    for i in range(1, len(rows) + 1):
        if i == len(rows) or clear[i] != clear[start]:
            out.append((start, i, clear[start] and _two_columns(rows[start:i], x, settings)))
            start = i
    return out


def _two_columns(rows: list[list[_Word]], x: float, settings: ExtractSettings) -> bool:
    """Both sides hold running text: enough lines, and lines wide enough to be prose, not a table."""
    left = [r for r in rows if any(w.x1 <= x for w in r)]
    right = [r for r in rows if any(w.x0 >= x for w in r)]
    if min(len(left), len(right)) < settings.min_column_lines:
        return False
    left_words = statistics.median(sum(1 for w in r if w.x1 <= x) for r in left)
    right_words = statistics.median(sum(1 for w in r if w.x0 >= x) for r in right)
    return min(left_words, right_words) >= 4


# --- tables -------------------------------------------------------------------------------


# A one-row table starting this high on a page (share of its height) may run on from the page before.
_CONTINUATION_TOP = 0.2


def _find_tables(page: Any, settings: ExtractSettings, **text_settings: Any) -> list[Block]:
    """Ruled tables of at least two columns and two rows (a lone box is a frame, not a table),
    or of one row at the top of the page: the last row of a table that began on the page before;
    and tables drawn with horizontal rules only (`_banded_tables`), which take the place of
    the ruled fragments inside them.

    `text_settings` go to pdfplumber's `extract_text` for each cell."""
    found = []
    tables = page.find_tables(_TABLE_SETTINGS)
    sides = [side for table in tables for side in _rule_ends(page, table.bbox)]
    if sides:
        tables = page.find_tables(dict(_TABLE_SETTINGS, explicit_vertical_lines=sides))
    for table in tables:
        rows, bbox = _inside_frame(table, table.extract(**text_settings))
        rows = _split_unruled_rows(rows)
        if _under_split(rows):
            rows = _text_cells(page, bbox, settings, text_settings) or rows
        enough_rows = len(rows) >= 2 or (len(rows) == 1 and bbox[1] < _CONTINUATION_TOP * float(page.height))
        if enough_rows and max(len(r) for r in rows) >= 2 and any(any(c for c in r) for r in rows):
            found.append(_table_block(rows, bbox, page.page_number, "ruled"))
    for band in _banded_tables(page, settings, text_settings, found):
        found = [t for t in found if not _mid_in_box(t.bbox, band.bbox)] + [band]
    return sorted((t for t in found if not _is_chart(page, t.bbox)), key=lambda t: t.bbox[1])


def _inside_frame(table: Table, rows: list[list[str | None]]) -> tuple[list[list[str | None]], tuple]:
    """The rows and box of a ruled table without its title and its note inside the frame
    drawn round an exhibit: rows at its top and at its foot, one cell across the whole table
    each. (A table's own title row, a pivot table's, has no such row at its foot.)"""
    start, end = 0, len(rows)
    while start < end and _one_cell_across(rows[start]):
        start += 1
    while end > start and _one_cell_across(rows[end - 1]):
        end -= 1
    if end - start < 2 or start == 0 or end == len(rows):
        return rows, table.bbox
    kept = table.rows[start:end]
    return rows[start:end], (table.bbox[0], kept[0].bbox[1], table.bbox[2], kept[-1].bbox[3])


def _one_cell_across(row: list[str | None]) -> bool:
    return len(row) >= 2 and bool(row[0]) and all(c is None for c in row[1:])


# A ruled table's rules may run on past its outer vertical rules, over a stub column at the
# left (the rows' labels) or a last column at the right that has no rule beside it.
_OVERHANG = 5.0  # points


def _rule_ends(page: Any, bbox: tuple) -> list[dict]:
    """Vertical lines where the horizontal rules across a ruled table end, on a side where
    two of them or more run past its outer vertical rule over text: pdfplumber's lattice
    needs a vertical edge to close the cells there."""
    x0, top, x1, bottom = bbox
    across = [e for e in _horizontal_rules(page)
              if top - 2 <= e["top"] <= bottom + 2 and e["x0"] < x1 and e["x1"] > x0]
    sides = []
    for ends, inner in (([e["x0"] for e in across if e["x0"] < x0 - _OVERHANG], x0),
                        ([e["x1"] for e in across if e["x1"] > x1 + _OVERHANG], x1)):
        if len(ends) < 2:
            continue
        x = min(ends) if inner == x0 else max(ends)
        strip = (min(x, inner), top, max(x, inner), bottom)
        if any(_mid_in(c, strip) and not c["text"].isspace() for c in page.chars):
            sides.append({"object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom,
                          "width": 0.0, "height": bottom - top})
    return sides


# A chart's frame and grid lines draw boxes as a table's rules do; what is inside them is
# mostly not text (a table's cells cover at least a twentieth of it in ink), and plotted
# lines are curves.
_SPARSE = 0.05
_PLOTTED_CURVES = 10


def _is_chart(page: Any, bbox: tuple) -> bool:
    ink = sum((c["x1"] - c["x0"]) * (c["bottom"] - c["top"]) for c in page.chars
              if _mid_in(c, bbox) and not c["text"].isspace())
    share = ink / max(_area(bbox), 1.0)
    curves = sum(1 for c in page.curves if _mid_in(c, bbox))
    return share < _SPARSE or (curves >= _PLOTTED_CURVES and share < 2 * _SPARSE)


# Tables drawn with horizontal rules only: a run of long rules of one width (a top rule, one
# under the header, one at the foot) with rows of aligned cells between them.
_RULE_MIN_WIDTH = 0.25  # share of the page width
_RULE_ALIGN = 6.0  # points: rules of one table start and end within this of each other
_WHOLE = 0.8  # a ruled table this big (share of the band's area) is the band's table
_RULE_THICKNESS = 3.0  # points
_CROWDED = 0.2  # share of a ruled table's cells holding three figures or more: rules left out
_PROSE_WIDTH = 0.6  # a one-cell line this wide (share of the rules' width) is prose, not a row


def _banded_tables(page: Any, settings: ExtractSettings, text_settings: dict, ruled: list[Block]) -> list[Block]:
    """Tables between runs of horizontal rules, but for those that are `ruled` tables' own
    rules: a full grid (its rules cut the cells), rules inside one, or around several."""
    out = []
    runs = [r for r in _rule_runs(page) if not any(_holds_run(t.bbox, r) for t in ruled)]
    if not runs:
        return out
    page_chars = [c for c in page.chars if c.get("upright", True)]
    for x0, x1, tops in _table_runs(runs, page_chars, settings):
        box = (x0, tops[0], x1, tops[-1])
        inside = [t for t in ruled if _mid_in_box(t.bbox, box)]
        if len(inside) > 1 or any(_area(t.bbox) >= _WHOLE * _area(box) for t in inside) or \
                any(_mid_in_box(box, t.bbox) for t in ruled):
            continue
        chars = [c for c in page_chars if _mid_in(c, box)]
        rows = _text_rows(chars, settings)
        if not _banded(rows, tops):
            continue
        cells = _text_cells(page, box, settings, text_settings, chars=chars)
        if cells:
            out.append(_table_block(cells, box, page.page_number, "rules_horizontal"))
    return out


def _text_cells(page: Any, box: tuple, settings: ExtractSettings, text_settings: dict,
                chars: list[dict] | None = None) -> list[list[str | None]]:
    """The cells of the table in `box` as pdfplumber's `text` strategies cut them (columns
    from the words' alignment, rows from their lines), with the box's sides as explicit
    lines; none when they give fewer than two rows or columns. (Rules inside the box would
    make cells of whole bands, spanning the rows the text cuts.)"""
    if chars is None:
        chars = [c for c in page.chars if c.get("upright", True) and _mid_in(c, box)]
    tables = _RegionPage(page, box, chars).find_tables({
        "vertical_strategy": "text", "horizontal_strategy": "text",
        "explicit_vertical_lines": [box[0], box[2]], "explicit_horizontal_lines": [box[1], box[3]],
        "text_x_tolerance_ratio": _WORD_GAP, "text_x_tolerance": settings.x_tolerance})
    if not tables:
        return []
    table = max(tables, key=lambda t: _area(t.bbox))
    cells = [row for row in table.extract(**text_settings) if any(row)]
    return cells if len(cells) >= 2 and max(len(r) for r in cells) >= 2 else []


def _under_split(rows: list[list[str | None]]) -> bool:
    """A ruled table whose rules leave out the columns: many of its cells hold several
    figures side by side ("86.2 13.8 0 3,375")."""
    filled = [c for row in rows for c in row if c]
    crowded = sum(1 for c in filled if _several_figures(c))
    return bool(filled) and crowded >= max(2, _CROWDED * len(filled))


def _several_figures(cell: str) -> bool:
    """Three figures or more, two of them of several characters: not the letter-spaced
    digits of one date ("0 3 / 2 5 / 2 0 16")."""
    figures = [token for token in cell.split() if _FIGURE_RE.match(token)]
    return len(figures) >= 3 and sum(1 for f in figures if len(f) > 1) >= 2


def _holds_run(bbox: tuple, run: tuple[float, float, list[float]]) -> bool:
    """Every rule of the run is one of a ruled table's own (inside its box)."""
    x0, x1, tops = run
    return bbox[0] - 2 <= x0 and x1 <= bbox[2] + 2 and bbox[1] - 2 <= tops[0] and tops[-1] <= bbox[3] + 2


def _rule_runs(page: Any) -> list[tuple[float, float, list[float]]]:
    """Long horizontal rules grouped by their extent: (x0, x1, tops), two rules or more."""
    groups: list[tuple[float, float, list[float]]] = []
    long_enough = _RULE_MIN_WIDTH * float(page.width)
    for edge in sorted(_horizontal_rules(page), key=lambda e: e["top"]):
        if edge["x1"] - edge["x0"] < long_enough:
            continue
        for x0, x1, tops in groups:
            if abs(x0 - edge["x0"]) <= _RULE_ALIGN and abs(x1 - edge["x1"]) <= _RULE_ALIGN:
                if edge["top"] - tops[-1] > 3:  # the two edges of one thin box are one rule
                    tops.append(edge["top"])
                break
        else:
            groups.append((edge["x0"], edge["x1"], [edge["top"]]))
    return [g for g in groups if len(g[2]) >= 2]


def _horizontal_rules(page: Any) -> list[dict]:
    """Lines and thin boxes drawn as rules (a box's edges frame something and rule nothing),
    joined where a writer draws a rule a cell at a time."""
    drawn = [e for o in page.lines + page.rects if o["height"] < _RULE_THICKNESS
             for e in pdfplumber.utils.obj_to_edges(o) if e["orientation"] == "h"]
    return merge_edges(drawn, _RULE_THICKNESS, _RULE_THICKNESS, _RULE_THICKNESS, _RULE_THICKNESS)


def _table_runs(runs: list[tuple[float, float, list[float]]], chars: list[dict],
                settings: ExtractSettings) -> list[tuple[float, float, list[float]]]:
    """Runs of rules cut where the space between two rules is not inside a table: text
    beside the rules (they underline part of a wider table or of a page of columns), or a
    line of prose across them (the caption of the next table)."""
    out = []
    chars = sorted(chars, key=_middle)
    middles = [_middle(c) for c in chars]
    for x0, x1, tops in runs:
        start = 0
        for i, (a, b) in enumerate(zip(tops, tops[1:]), start=1):
            between = chars[bisect.bisect_left(middles, a):bisect.bisect_left(middles, b)]
            beside = any(c["x1"] < x0 - 2 or c["x0"] > x1 + 2 for c in between if not c["text"].isspace())
            if beside or any(_is_prose(r, x1 - x0) for r in _text_rows(between, settings)):
                if i - start >= 2:
                    out.append((x0, x1, tops[start:i]))
                start = i
        if len(tops) - start >= 2:
            out.append((x0, x1, tops[start:]))
    return out


def _middle(c: dict) -> float:
    return (c["top"] + c["bottom"]) / 2


def _is_prose(row: list[_Word], width: float) -> bool:
    return len(_cells(row)) == 1 and row[-1].x1 - row[0].x0 >= _PROSE_WIDTH * width


def _text_rows(chars: list[dict], settings: ExtractSettings) -> list[list[_Word]]:
    return [r for r in (_row_words(_char_runs(row), settings) for row in _chars_to_rows(chars, settings.y_tolerance)) if r]


def _banded(rows: list[list[_Word]], tops: list[float]) -> bool:
    """Rows of cells between the rules: most rows split in two or more cells, and text
    between most pairs of rules (a chart's grid lines have none between them)."""
    if len(rows) < 3:
        return False
    split = sum(1 for r in rows if len(_cells(r)) >= 2)
    filled = sum(1 for a, b in zip(tops, tops[1:]) if any(a <= r[0].top < b for r in rows))
    return split * 2 >= len(rows) and split >= 2 and filled * 2 >= len(tops) - 1


def _mid_in_box(inner: tuple, outer: tuple) -> bool:
    x, y = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= x <= outer[2] and outer[1] <= y <= outer[3]


def _area(box: tuple) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


class _RegionPage(Container):
    """One region of a page as pdfplumber's table finder reads it: its characters only, so
    that the `text` strategies see the table's words and no others."""

    def __init__(self, page: Any, bbox: tuple, chars: list[dict]) -> None:
        self.page_number, self.width, self.height, self.bbox = page.page_number, page.width, page.height, bbox
        self._objects = {"char": [dict(c, doctop=c.get("doctop", c["top"])) for c in chars]}

    @property
    def objects(self) -> dict[str, list[dict]]:
        return self._objects

    def extract_words(self, **kwargs: Any) -> list[dict]:
        return pdfplumber.utils.extract_words(self.chars, **kwargs)

    def find_tables(self, table_settings: dict) -> list[Table]:
        tables = TableFinder(self, table_settings).tables
        for table in tables:
            table.page = _TableChars(self.chars)
        return tables


_FIGURE_RE = re.compile(r"^[-–(£$€]?\d[\d,.]*%?\)?\*?$")


def _split_unruled_rows(rows: list[list[str | None]]) -> list[list[str | None]]:
    """Rows of a ruled table whose rules leave out the rows inside a band (one rule above
    and below a block of figures): where two or more cells of a row hold the same number of
    lines and one of them is a column of figures, each line is a row of its own. A cell
    wrapped onto two lines beside one-line cells is left whole."""
    out: list[list[str | None]] = []
    for row in rows:
        lines = [cell.split("\n") if cell else [] for cell in row]
        counts = {len(cell_lines) for cell_lines in lines if cell_lines}
        filled = sum(1 for cell_lines in lines if cell_lines)
        figures = any(len(cell_lines) > 1 and all(_FIGURE_RE.match(x.strip()) for x in cell_lines)
                      for cell_lines in lines)
        if len(counts) == 1 and filled >= 2 and figures:
            n = counts.pop()
            out.extend([cell_lines[i] if cell_lines else None for cell_lines in lines] for i in range(n))
        else:
            out.append(row)
    return out


# "98 452": digits grouped by a gap (or a thin space) rather than a comma.
_GROUPED_RE = re.compile(r"^\d{1,3}(?: \d{3})+$")
_COMMA_GROUPED_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_FIGURE_COLUMN = 0.6  # share of a column's cells that are figures (the rest: its header)


def _join_digit_groups(cells: list[list[str | None]]) -> list[list[str | None]]:
    """A number split at its thousands by a reading gap ("98 452": a writer that leaves the
    comma's room but draws no comma) is one number again, in a column of figures whose other
    cells group by commas ("18,870"). A column grouped by spaces throughout ("29 300", as
    European tables print it) is left as printed; its cells read as one number each."""
    width = max((len(r) for r in cells), default=0)
    for i in range(width):
        column = [r[i] for r in cells if i < len(r) and r[i]]
        commas = sum(1 for c in column if _COMMA_GROUPED_RE.match(c))
        figures = sum(1 for c in column if _FIGURE_RE.match(c) or _GROUPED_RE.match(c))
        if commas and figures >= _FIGURE_COLUMN * len(column):
            for row in cells:
                if i < len(row) and row[i] and _GROUPED_RE.match(row[i]):
                    row[i] = row[i].replace(" ", "")
    return cells


def _table_block(rows: list[list[str | None]], bbox: tuple, page: int, found_by: str) -> Block:
    cells = [[_cell_text(c) for c in row] for row in rows]
    cells = _join_digit_groups([row for row in cells if any(row)])  # rows left empty say nothing
    box = tuple(round(v, 2) for v in bbox)
    return Block(kind=BlockKind.TABLE, text=table_text(cells), page=page, bbox=box, cells=cells,
                 pages=[page], boxes=[(page, *box)], found_by=found_by)


def _cell_text(cell: str | None) -> str | None:
    if cell is None:
        return None
    return _SPACE_RE.sub(" ", cell.replace("-\n", "-")).strip()


# Tables drawn without rules: a run of rows whose words fall into the same three or more
# columns, separated by gaps much wider than a space. Two-cell rows are left alone: bullets
# and numbered paragraphs ("3.5   Text") look just like them.


def _unruled_tables(rows: list[list[_Word]], page: int, height: float,
                    settings: ExtractSettings) -> tuple[list[list[_Word]], list[Block]]:
    cells = [_cells(r) for r in rows]
    kept: list[list[_Word]] = []
    tables: list[Block] = []
    i = 0
    while i < len(rows):
        end, columns = _grid_run(rows, cells, i, height, settings)
        block = None
        if columns:
            first = _header_rows(rows, cells, i, columns)
            block = _grid_block(cells[first:end], columns, page)
        if block is not None and not _holds_prose(block.cells) and not _mostly_marks(block.cells):
            del kept[len(kept) - (i - first):]
            tables.append(block)
            i = end
        else:
            kept.append(rows[i])
            i += 1
    return kept, tables


_PROSE_WORDS = 6  # a column whose cells run to this many words (median) is running text


def _holds_prose(cells: list[list[str | None]]) -> bool:
    """A column of running text: the lines of a text column beside a chart's labels or a
    column of figures, not a table."""
    for column in zip(*cells):
        filled = [len(c.split()) for c in column if c]
        if len(filled) >= 3 and statistics.median(filled) >= _PROSE_WORDS:
            return True
    return False


def _mostly_marks(cells: list[list[str | None]]) -> bool:
    """Most cells hold no letter or digit: a chart's plotted markers (drawn as bullets) in
    rows and columns, not a table."""
    filled = [c for row in cells for c in row if c]
    return sum(1 for c in filled if not any(ch.isalnum() for ch in c)) * 2 > len(filled)


def _cells(row: list[_Word]) -> list[list[_Word]]:
    """Split a row at gaps wider than 1 em (a space is about 0.3 em): between table columns."""
    out = [[row[0]]]
    for a, b in zip(row, row[1:]):
        if b.x0 - a.x1 > a.sizes[-1]:
            out.append([])
        out[-1].append(b)
    return out


def _grid_run(rows: list[list[_Word]], cells: list[list[list[_Word]]], start: int, height: float,
              settings: ExtractSettings) -> tuple[int, list[tuple[float, float]]]:
    """Where a table starting at `start` ends and its column spans; no columns if none starts."""
    if len(cells[start]) < settings.min_table_columns or _in_margin(rows[start][0].top, rows[start][0].bottom, height, settings):
        return start, []
    columns = _spans(cells[start])
    end = start + 1
    while end < len(rows) and _close(rows[end - 1], rows[end]):
        merged = _merge_columns(columns, cells[end])
        if merged is None:
            break
        columns, end = merged, end + 1
    while end > start and len(cells[end - 1]) < settings.min_table_columns and not _tight(rows, end - 1):
        end -= 1  # a short line after the table is text that happens to line up
    full = sum(1 for c in cells[start:end] if len(c) >= settings.min_table_columns)
    if full < settings.min_table_rows or len(columns) < settings.min_table_columns:
        return start, []
    return end, columns


def _header_rows(rows: list[list[_Word]], cells: list[list[list[_Word]]], start: int,
                 columns: list[tuple[float, float]]) -> int:
    """How far above `start` the table's header rows reach: close rows whose cells sit in its columns."""
    while start > 0 and _close(rows[start - 1], rows[start]):
        row = cells[start - 1]
        if len(row) == 1 and row[0][0].x0 < columns[0][1]:
            break  # a lone line at the left edge is a title or caption above the table
        if _merge_columns(columns, row, grow=False) is None:
            break
        start -= 1
    return start


def _spans(cells: list[list[_Word]]) -> list[tuple[float, float]]:
    return [(c[0].x0, c[-1].x1) for c in cells]


def _tight(rows: list[list[_Word]], i: int) -> bool:
    """Row `i` hugs the row above: the second line of a wrapped cell, not text after the table."""
    size = statistics.median(rows[i][0].sizes)
    return min(w.top for w in rows[i]) - max(w.bottom for w in rows[i - 1]) < 0.3 * size


def _close(above: list[_Word], below: list[_Word]) -> bool:
    size = statistics.median(above[0].sizes)
    return min(w.top for w in below) - max(w.bottom for w in above) <= 1.5 * size


def _merge_columns(columns: list[tuple[float, float]], cells: list[list[_Word]],
                   grow: bool = True) -> list[tuple[float, float]] | None:
    """Columns widened by a row's cells, or None when a cell straddles two columns or none.

    A header cell (`grow=False`) may span several columns ("FY 2022/23" over twelve months)
    but must start in one of them.
    """
    columns = list(columns)
    left, right = columns[0][0], columns[-1][1]
    for x0, x1 in _spans(cells):
        hits = [i for i, (a, b) in enumerate(columns) if x0 < b and x1 > a]
        if not grow:
            # ... and may run past the last column's figures ("Per worker" over "22.1").
            inside = left - 2 <= x0 and (x1 - x0) * 2 < right - left
            if not inside or not any(a - 2 <= x0 < b for a, b in columns):
                return None
            continue
        if len(hits) > 1:
            return None
        if hits:
            a, b = columns[hits[0]]
            columns[hits[0]] = (min(a, x0), max(b, x1))
        elif len(cells) < 2:
            return None  # a lone line off every column is text, not a cell
        else:
            columns.append((x0, x1))
    columns.sort()
    if any(b > c for (_, b), (c, _) in zip(columns, columns[1:])):
        return None
    return columns


def _grid_block(rows: list[list[list[_Word]]], columns: list[tuple[float, float]], page: int) -> Block:
    grid: list[list[str | None]] = []
    for row in rows:
        out: list[str | None] = [None] * len(columns)
        for cell in row:
            i = next(i for i, (a, b) in enumerate(columns) if a - 2 <= cell[0].x0 < b)
            out[i] = " ".join(w.text for w in cell)
        grid.append(out)
    words = [w for row in rows for cell in row for w in cell]
    bbox = (min(w.x0 for w in words), min(w.top for w in words),
            max(w.x1 for w in words), max(w.bottom for w in words))
    return _table_block(grid, bbox, page, "aligned_text")


# --- running headers, footers and page numbers --------------------------------------------


def _drop_running_lines(pages: list[_Page], settings: ExtractSettings) -> list[str]:
    """Remove page numbers and lines repeated at about the same height on most pages.

    Returns the running headers and footers removed (not page numbers): they can carry the
    document's version and date.
    """
    occurrences: dict[str, list[tuple[int, float, Line]]] = defaultdict(list)
    for index, page in enumerate(pages):
        for line in page.lines:
            if _in_margin(line.top, line.bottom, page.height, settings):
                # Footers are compared by distance from the page bottom (page sizes may vary).
                y = line.top if line.top < page.height / 2 else line.bottom - page.height
                occurrences[_running_key(line.text)].append((index, y, line))
    needed = max(2, math.ceil(settings.header_footer_min_share * len(pages)))
    drop: set[int] = set()
    headers: set[str] = set()
    for key, seen in occurrences.items():
        if _PAGE_NUMBER_RE.match(key.replace("#", "1")):
            drop.update(id(line) for _, _, line in seen)
            continue
        repeated = _repeated(seen, needed, settings.header_footer_y_tolerance)
        drop.update(id(line) for line in repeated)
        headers.update(line.text for line in repeated)
    for page in pages:
        page.lines = [line for line in page.lines if id(line) not in drop]
    return sorted(headers)


def _running_key(text: str) -> str:
    # Page numbers and dates inside a running line change from page to page.
    return _SPACE_RE.sub(" ", _DIGITS_RE.sub("#", text.lower())).strip()


def _repeated(seen: list[tuple[int, float, Line]], needed: int, tolerance: float) -> list[Line]:
    best: list[tuple[int, float, Line]] = []
    for _, y, _line in seen:
        near = [s for s in seen if abs(s[1] - y) <= tolerance]
        if len({s[0] for s in near}) > len({s[0] for s in best}):
            best = near
    return [line for _, _, line in best] if len({s[0] for s in best}) >= needed else []


# --- page items: tables placed in the flow, gaps, captions; tables continued across pages ---


def _page_items(page: _Page, settings: ExtractSettings) -> list[Line | Block]:
    items: list[Line | Block] = list(page.lines)
    for table in sorted(page.tables, key=lambda t: t.bbox[1]):
        items.insert(_insert_at(items, table), table)
    previous: Line | Block | None = None
    for item in items:
        if isinstance(item, Line):
            item.gap_before = _gap(previous, item)
        elif isinstance(previous, Line) and _is_caption(previous, item, settings):
            item.caption = previous.text
        previous = item
    return items


def _insert_at(items: list[Line | Block], block: Block) -> int:
    """Before the first line from the table's top down that shares its horizontal extent."""
    x0, top, x1, _ = block.bbox
    for i, item in enumerate(items):
        item_x0, item_top, item_x1, _ = _box(item)
        if item_top >= top - 1 and item_x0 < x1 and item_x1 > x0:
            return i
    return len(items)


def _box(item: Line | Block) -> tuple[float, float, float, float]:
    if isinstance(item, Line):
        return item.x0, item.top, item.x1, item.bottom
    return item.bbox


def _gap(previous: Line | Block | None, line: Line) -> float:
    """Vertical gap to the line (or table) above in the same flow; 0 at a page or column start."""
    if previous is None:
        return 0.0
    above = _box(previous)[3]
    if line.top < _box(previous)[1]:
        return 0.0  # moved up: the start of the next column
    return round(max(0.0, line.top - above), 2)


def _is_caption(line: Line, table: Block, settings: ExtractSettings) -> bool:
    height = max(line.bottom - line.top, 1.0)
    return (len(line.text) <= settings.max_caption_chars
            and 0 <= table.bbox[1] - line.bottom <= 2.5 * height)


def _merge_continued_tables(pages: list[list[Line | Block]]) -> list[Line | Block]:
    """One list for the document, a table running on from the previous page made one block."""
    items: list[Line | Block] = []
    for page_items in pages:
        first = page_items[0] if page_items else None
        last = items[-1] if items else None
        if _continues(last, first):
            items[-1] = _join_tables(last, first)
            page_items = page_items[1:]
        items.extend(page_items)
    return items


def _continues(last: Line | Block | None, first: Line | Block | None) -> bool:
    return (isinstance(last, Block) and isinstance(first, Block)
            and last.kind == first.kind == BlockKind.TABLE
            and first.page == last.pages[-1] + 1
            and _width(last.cells) == _width(first.cells))


def _width(cells: list[list[str | None]] | None) -> int:
    return max((len(r) for r in cells or []), default=0)


def _join_tables(head: Block, tail: Block) -> Block:
    rows = list(tail.cells or [])
    if rows and head.cells and rows[0] == head.cells[0]:
        rows = rows[1:]  # the header row repeated on the new page
    cells = (head.cells or []) + rows
    return replace(head, cells=cells, text=table_text(cells), pages=head.pages + tail.pages,
                   boxes=head.boxes + tail.boxes)
