"""PDFium character layer: a page's characters with boxes, font size and font name.

pdfplumber spends most of its time having pdfminer turn every page into Python objects;
PDFium (pypdfium2) reads the same characters in C. This module gives the characters in
pdfplumber's coordinates and keys (`text`, `x0`, `x1`, `top`, `bottom`, `size`,
`upright`, `fontname`) so that `extract.pdf` builds words, lines and columns from either
source with the same code. It does not find ruled tables: pages whose vector paths could
draw one go to pdfplumber (see `page_may_have_rules`).
"""
from __future__ import annotations

import ctypes
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["PdfiumPage", "open_pdf", "page_may_have_rules", "read_page"]

_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM
_NAME_BUFFER = 256
# PDFium infers line breaks (pdfminer has none: lines come from positions). The spaces it
# infers are kept: it often replaces a drawn space glyph with one of its own.
_LINE_BREAKS = frozenset("\r\n\x00")
# PDFium reports a hyphen that ends a line as U+FFFE (and U+0002 in some versions).
_MARKERS = {"\ufffe": "-", "\x02": "-"}


@dataclass
class PdfiumPage:
    """One page's characters, pdfplumber-style dicts, and the page geometry they sit in."""

    number: int
    width: float
    height: float
    bbox: tuple[float, float, float, float]
    chars: list[dict]


def open_pdf(path: str | os.PathLike[str]) -> pdfium.PdfDocument:
    """Open a PDF with PDFium (raises `pypdfium2.PdfiumError` when it cannot)."""
    return pdfium.PdfDocument(str(path))


def page_may_have_rules(page: pdfium.PdfPage) -> bool:
    """Whether the page could hold a ruled table, by the test `extract.pdf` applies to pdfminer's layout.

    Any rectangle or curve counts; straight lines count once there are both horizontal and
    vertical ones (underlines and separators alone make no table). Paths inside form
    XObjects count whatever their shape: their coordinates are not the page's.
    """
    horizontal = vertical = False
    for obj in _page_objects(page.raw, _PATH):
        dx, dy = _line_extent(obj)
        horizontal |= abs(dy) < 1
        vertical |= abs(dx) < 1
        if horizontal and vertical:
            return True
    for form in _page_objects(page.raw, _FORM):
        if _has_path(form):
            return True
    return False


def _page_objects(page: ctypes.c_void_p, kind: int) -> Iterator[ctypes.c_void_p]:
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, i)
        if pdfium_c.FPDFPageObj_GetType(obj) == kind:
            yield obj


def _has_path(form: ctypes.c_void_p) -> bool:
    for i in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj = pdfium_c.FPDFFormObj_GetObject(form, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == _PATH or (kind == _FORM and _has_path(obj)):
            return True
    return False


def _line_extent(path: ctypes.c_void_p) -> tuple[float, float]:
    """(dx, dy) of a path that is one straight segment, on the page; (0, 0) for any other shape."""
    if pdfium_c.FPDFPath_CountSegments(path) != 2:
        return 0.0, 0.0  # a rectangle, a curve or a polyline: counts as rules both ways
    points = []
    for i in range(2):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, i)
        x, y = ctypes.c_float(), ctypes.c_float()
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        points.append((x.value, y.value, pdfium_c.FPDFPathSegment_GetType(segment)))
    if points[1][2] != pdfium_c.FPDF_SEGMENT_LINETO:
        return 0.0, 0.0
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(path, m)
    dx, dy = points[1][0] - points[0][0], points[1][1] - points[0][1]
    return m.a * dx + m.c * dy, m.b * dx + m.d * dy


def read_page(page: pdfium.PdfPage, number: int, descents: dict[str, float] | None = None) -> PdfiumPage:
    """The page's drawn characters in pdfplumber's coordinates (origin top left of the media box).

    `descents` (font name without subset tag -> descent per em) puts character bottoms where
    pdfminer puts them; fonts not in it use PDFium's own descent.

    PDFium's inferred line breaks are left out, as pdfminer has none: lines come from
    positions, the same on both paths.
    """
    mb_x0, mb_y0, mb_x1, mb_y1 = page.get_mediabox()
    height = mb_y1 - mb_y0
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage.raw, mb_x0, mb_y0, height, descents or {})
    finally:
        textpage.close()
    x0, y0, x1, y1 = page.get_cropbox()
    # pdfplumber's page bbox: the crop box in top-left coordinates.
    bbox = (x0 - mb_x0, mb_y1 - y1, x1 - mb_x0, mb_y1 - y0)
    return PdfiumPage(number=number, width=mb_x1 - mb_x0, height=height, bbox=bbox, chars=chars)


def _chars(textpage: ctypes.c_void_p, mb_x0: float, mb_y0: float, height: float,
           descents: dict[str, float]) -> list[dict]:
    """Characters with boxes; font, size and baseline are read once per text object.

    Each PDFium call costs about a microsecond from Python, so per character only the loose
    box and the text object are asked for: a text object has one font, size and matrix.
    """
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    text = _page_text(textpage, count)
    runs: dict[int, _Run] = {}  # text object address -> what its characters share
    rect = pdfium_c.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    page, x_at, y_at, rect_at = (ctypes.cast(textpage, ctypes.c_void_p).value, ctypes.addressof(x),
                                 ctypes.addressof(y), ctypes.addressof(rect))
    out: list[dict] = []
    last: tuple[int, float, float] | None = None
    for i in range(count):
        ch = text[i] if text is not None else chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
        if (ch == " " or ch in _LINE_BREAKS) and pdfium_c.FPDFText_IsGenerated(textpage, i):
            # PDFium's own spaces and breaks, inferred from gaps: pdfminer has none, and the
            # word builder finds the same gaps. A generated space shares the next glyph's
            # origin, which would read as a ligature.
            continue
        ch = _MARKERS.get(ch, ch)
        key = _text_object(page, i) or 0
        _char_origin(page, i, x_at, y_at)
        origin = (key, x.value, y.value)
        if origin == last:
            # One glyph, several characters (a ligature: "ff", "tt"): pdfminer gives one char.
            out[-1]["text"] += ch
            continue
        last = origin
        run = runs.get(key)
        if run is None:
            run = runs[key] = _run(textpage, i, descents)
        _loose_char_box(page, i, rect_at)
        # pdfminer's box: from the baseline plus the font's descent, up one em (the font size).
        bottom = height - (y.value + run.descent - mb_y0)
        out.append({
            "text": ch, "x0": rect.left - mb_x0, "x1": rect.right - mb_x0,
            "top": bottom - run.size, "bottom": bottom,
            "size": run.size, "upright": run.upright, "fontname": run.fontname,
        })
    return out


@dataclass
class _Run:
    fontname: str
    upright: bool
    size: float
    descent: float  # below the baseline, in points (negative)


def _run(textpage: ctypes.c_void_p, index: int, descents: dict[str, float]) -> _Run:
    fontname, upright, descent, scale = _font(pdfium_c.FPDFText_GetTextObject(textpage, index), descents)
    # PDFium gives the size set by Tf; pdfminer's is as printed, after the text and graphics
    # matrices (a PDF may set 1 Tf and scale by 12 in Tm).
    size = pdfium_c.FPDFText_GetFontSize(textpage, index) * scale
    return _Run(fontname, upright, size, descent * size)


def _untyped(name: str, restype: Any, *argtypes: Any) -> Any:
    """A PDFium function taking and giving plain addresses.

    Called per character: pypdfium2's typed prototypes convert and check every argument
    (and a typed pointer result would need a ctypes.cast to serve as a dict key), which
    costs more than the call itself.
    """
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_VP, _INT = ctypes.c_void_p, ctypes.c_int
_text_object = _untyped("FPDFText_GetTextObject", _VP, _VP, _INT)
_char_origin = _untyped("FPDFText_GetCharOrigin", _INT, _VP, _INT, _VP, _VP)
_loose_char_box = _untyped("FPDFText_GetLooseCharBox", _INT, _VP, _INT, _VP)


def _page_text(textpage: ctypes.c_void_p, count: int) -> str | None:
    """All characters in one call; None when they do not map one to one onto indices."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(memoryview(buffer).cast("B")[: max(written - 1, 0) * 2]).decode("utf-16-le", "replace")
    # Characters outside the BMP take two UTF-16 units, shifting the indices.
    return text if len(text) == count else None


def _font(obj: ctypes.c_void_p, descents: dict[str, float]) -> tuple[str, bool, float, float]:
    """Font name, whether the text runs upright, the font's descent per em, and the vertical
    scale of the object's matrix (text and graphics state together), for one text object."""
    if not obj:
        return "", True, 0.0, 1.0
    name = ""
    descent = ctypes.c_float(0.0)
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    if font:
        buffer = ctypes.create_string_buffer(_NAME_BUFFER)
        length = pdfium_c.FPDFFont_GetBaseFontName(font, buffer, _NAME_BUFFER)
        name = buffer.value.decode("utf-8", "replace") if length else ""
        pdfium_c.FPDFFont_GetDescent(font, 1.0, descent)
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
    # pdfminer's test: no rotation or mirroring of the text.
    upright = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0
    return name, upright, min(descents.get(name, descent.value), 0.0), math.hypot(matrix.c, matrix.d)
