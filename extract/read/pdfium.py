"""PDFium character layer: a page's characters with boxes, font size and font name.

pdfplumber spends most of its time having pdfminer turn every page into Python objects;
PDFium (pypdfium2) reads the same characters in C. This module gives the characters in
pdfplumber's coordinates and keys (`text`, `x0`, `x1`, `top`, `bottom`, `size`,
`upright`, `fontname`) so that `extract.read.pdf` builds words, lines and columns from either
source with the same code. `page_shapes` gives the page's painted paths the way pdfminer
classifies them (lines, rectangles, curves), so that pdfplumber's table finder can run on
them without pdfminer parsing the page.
"""
from __future__ import annotations

import ctypes
import importlib.machinery
import math
import os
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["PdfiumPage", "Shape", "TextRun", "open_pdf", "page_shapes", "read_page"]

_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM
_TEXT = pdfium_c.FPDF_PAGEOBJ_TEXT
_MOSTLY = 0.8
_NAME_BUFFER = 256
# PDFium infers line breaks (pdfminer has none: lines come from positions). The spaces it
# infers are kept: it often replaces a drawn space glyph with one of its own.
_LINE_BREAKS = frozenset("\r\n\x00")
_SPACE_OR_BREAK = _LINE_BREAKS | {" "}
# PDFium reports a hyphen that ends a line as U+FFFE (and U+0002 in some versions).
_MARKERS = {0xFFFE: "-", 0x02: "-"}  # code point -> text (a `str.translate` table)


@dataclass
class TextRun:
    """Characters one text object draws on one baseline, in the order PDFium gives them: each
    one's text and left and right edge, and the rest of pdfplumber's character keys, which
    they share. A page's characters are read into runs rather than dicts, a Python object
    per character costing more than reading it."""

    texts: list[str]
    x0s: list[float]
    x1s: list[float]
    top: float
    bottom: float
    size: float
    upright: bool
    fontname: str

    def chars(self) -> list[dict]:
        """The run's characters as pdfplumber's dicts."""
        shared = {"text": "", "x0": 0.0, "x1": 0.0, "top": self.top, "bottom": self.bottom, "size": self.size,
                  "upright": self.upright, "fontname": self.fontname}
        out = []
        for text, x0, x1 in zip(self.texts, self.x0s, self.x1s):
            char = shared.copy()  # cheaper than a dict display of eight keys
            char["text"], char["x0"], char["x1"] = text, x0, x1
            out.append(char)
        return out


@dataclass
class PdfiumPage:
    """One page's characters, in text runs, and the page geometry they sit in."""

    number: int
    width: float
    height: float
    bbox: tuple[float, float, float, float]
    runs: list[TextRun]
    text_objects: int = 0  # text objects drawn on the page (not counting those inside forms)
    unmapped_objects: int = 0  # ... in fonts none of whose objects give text (see _text_objects)

    @property
    def chars(self) -> list[dict]:
        """The page's characters as pdfplumber's dicts (made anew on each call)."""
        return [char for run in self.runs for char in run.chars()]


@dataclass
class Shape:
    """A painted path as pdfminer's layout has it: `kind` is `line`, `rect` or `curve`; `pts`
    are its points (segment ends, not Bézier control points) with the origin at the bottom
    left of the media box, as pdfminer's coordinates are."""

    kind: str
    pts: list[tuple[float, float]]
    fill: bool
    x0: float = field(init=False)
    y0: float = field(init=False)
    x1: float = field(init=False)
    y1: float = field(init=False)

    def __post_init__(self) -> None:
        xs, ys = [x for x, _ in self.pts], [y for _, y in self.pts]
        self.x0, self.y0, self.x1, self.y1 = min(xs), min(ys), max(xs), max(ys)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def open_pdf(path: str | os.PathLike[str]) -> pdfium.PdfDocument:
    """Open a PDF with PDFium (raises `pypdfium2.PdfiumError` when it cannot)."""
    return pdfium.PdfDocument(str(path))


def page_shapes(page: pdfium.PdfPage) -> list[Shape] | None:
    """The page's painted paths, split and classified as pdfminer's `paint_path` does; None
    when a form XObject draws paths (their coordinates are the form's, left to pdfminer)."""
    mb_x0, mb_y0 = page.get_mediabox()[:2]
    shapes: list[Shape] = []
    raw = page.raw
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == _FORM and _has_path(obj):
            return None
        if kind != _PATH:
            continue
        pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
        if not (fill_mode.value or stroke.value):
            continue  # pdfminer paints nothing for a path ended with `n`
        subpaths = _subpaths(obj, mb_x0, mb_y0)
        if len(subpaths) > 1:  # pdfminer splits at each "m" and drops a lone "m"
            subpaths = [ops for ops in subpaths if len(ops) > 1]
        for ops in subpaths:
            shape = _classify(ops, bool(fill_mode.value))
            if shape is not None:
                shapes.append(shape)
    return shapes


def _subpaths(path: ctypes.c_void_p, mb_x0: float, mb_y0: float) -> list[list[tuple[str, tuple[float, float]]]]:
    """(operator, point) lists, one per subpath, points on the page less the media box origin.

    PDFium gives a Bézier as three segments (two control points, then the end); pdfminer
    keeps only the end. A segment that closes the subpath is followed by `h` at its start.
    """
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(path, m)
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[str, tuple[float, float]]]] = []
    bezier = 0
    for i in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        point = (m.a * x.value + m.c * y.value + m.e - mb_x0, m.b * x.value + m.d * y.value + m.f - mb_y0)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([("m", point)])
            bezier = 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue
            subpaths[-1].append(("c", point))
        else:
            subpaths[-1].append(("l", point))
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            subpaths[-1].append(("h", subpaths[-1][0][1]))
    return subpaths


def _classify(ops: list[tuple[str, tuple[float, float]]], fill: bool) -> Shape | None:
    """pdfminer's `paint_path` for one subpath: a line, an axis-aligned rectangle or a curve."""
    shape = "".join(op for op, _ in ops)
    pts = [pt for _, pt in ops]
    if shape[:1] != "m":
        return None
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"  # a redundant "l" back to the start
        pts.pop()
    if shape in {"mlh", "ml"}:
        return Shape("line", pts[:2], fill)
    if shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            return Shape("rect", [pts[0], pts[2]], fill)
    return Shape("curve", pts, fill)


def _has_path(form: ctypes.c_void_p) -> bool:
    for i in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj = pdfium_c.FPDFFormObj_GetObject(form, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == _PATH or (kind == _FORM and _has_path(obj)):
            return True
    return False


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
        runs, with_text = _chars(textpage.raw, mb_x0, mb_y0, height, descents or {})
        objects, unmapped = _text_objects(page.raw, with_text)
    finally:
        textpage.close()
    x0, y0, x1, y1 = page.get_cropbox()
    # pdfplumber's page bbox: the crop box in top-left coordinates.
    bbox = (x0 - mb_x0, mb_y1 - y1, x1 - mb_x0, mb_y1 - y0)
    return PdfiumPage(number=number, width=mb_x1 - mb_x0, height=height, bbox=bbox, runs=runs,
                      text_objects=objects, unmapped_objects=unmapped)


def _text_objects(page: ctypes.c_void_p, with_text: set[int]) -> tuple[int, int]:
    """How many text objects the page draws, and how many of them give no character (are
    not in `with_text`) in fonts most of whose objects give none.

    PDFium leaves out of the text page every glyph its font maps to no Unicode (a CJK font
    with a predefined CMap and no ToUnicode map, say), silently: a font most of whose objects
    give no text is where that happened. It also gives no text for objects that draw only
    spaces, which is why an empty object alone says nothing.
    """
    per_font: dict[int, list[int]] = {}
    page_at = ctypes.cast(page, ctypes.c_void_p).value
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = _page_object(page_at, i)
        if _object_type(obj) == _TEXT:
            counts = per_font.setdefault(_text_font(obj) or 0, [0, 0])
            counts[0] += 1
            counts[1] += obj not in with_text
    objects = sum(n for n, _ in per_font.values())
    return objects, sum(empty for n, empty in per_font.values() if empty >= _MOSTLY * n)


def _chars(textpage: ctypes.c_void_p, mb_x0: float, mb_y0: float, height: float,
           descents: dict[str, float], by_object: bool = True, native: bool = True) -> tuple[list[TextRun], set[int]]:
    """Characters with boxes, in runs, and the text objects (addresses) they come from.

    Each PDFium call costs about half a microsecond from Python, far more than the work
    behind it, so calls are spent per text object where its characters share the answer:
    the font, size and matrix, the baseline, which characters belong to it (`_object_runs`).
    Per character only the loose box is asked for, and not from Python at all where the C
    loop (`_NATIVE`) is built, unless `native=False`. `by_object=False` asks each character
    for its object and origin too: the same characters, slower (the tests compare the three).
    """
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return [], set()
    text = _page_text(textpage, count)
    if text is None:
        text = [chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count)]
        text = [_MARKERS.get(ord(ch), ch) for ch in text]
    elif "\ufffe" in text or "\x02" in text:
        text = text.translate(_MARKERS)
    page = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
    in_order = by_object and _in_order(text)
    reader = _NATIVE if by_object and native else None
    if reader is not None:
        kept, runs = reader(page, text, in_order, mb_x0)
    else:
        # PDFium's own spaces and breaks, inferred from gaps: pdfminer has none, and the word
        # builder finds the same gaps. A generated space shares the next glyph's origin, which
        # would read as a ligature.
        kept = [i for i, ch in enumerate(text) if ch not in _SPACE_OR_BREAK or not _is_generated(page, i)]
        runs = _object_glyphs(page, kept, text, in_order, by_object, mb_x0)
    props: dict[int, _Run] = {}  # text object address -> what its characters share
    fonts: dict[int, tuple[str, float, bool]] = {}
    out: list[TextRun] = []
    for key, start, end, facts, glyphs in runs:
        run = props.get(key)
        if run is None:
            run = props[key] = _run(facts or _object_facts(page, key, kept[start]), descents, fonts)
        if glyphs is not None and run.loose_at_origin:
            texts, x0s, x1s, baseline = glyphs
            # pdfminer's box: from the baseline plus the font's descent, up one em (the font size).
            bottom = height - (baseline + run.descent - mb_y0)
            out.append(TextRun(texts, x0s, x1s, bottom - run.size, bottom, run.size, run.upright, run.fontname))
        else:
            out += _run_chars_exactly(page, kept[start:end], text, run, mb_x0, mb_y0, height)
    return out, set(props)


# A run's characters placed from their loose boxes: texts (a ligature's letters in one),
# left and right edges less the media box's, and the baseline.
_Glyphs = tuple[list[str], list[float], list[float], float]


# What a run's object and first character tell of their font, size and matrix: the font's
# address, the matrix's a, b, c and d (None for a character of no object) and the size set.
_Facts = tuple[int, tuple[float, float, float, float] | None, float]
_Runs = Iterator[tuple[int, int, int, _Facts | None, _Glyphs | None]]


def _object_glyphs(page: ctypes.c_void_p, kept: list[int], text: str | list[str], in_order: bool, by_object: bool,
                   mb_x0: float) -> _Runs:
    """(text object, start, end, facts, glyphs) for each run of `kept` drawn by one object;
    facts are None (`_chars` asks for them once per object), glyphs are None for characters
    of no object, or not on one baseline (`_run_glyphs`)."""
    for key, start, end in _object_runs(page, kept, in_order):
        yield key, start, end, None, _run_glyphs(page, kept[start:end], text, mb_x0) if by_object and key else None


def _in_order(text: str | list[str]) -> bool:
    """Whether each text object's characters are sure to sit together in the text page: so
    they do unless PDFium reorders a line for right-to-left script, which can interleave
    the characters of two objects."""
    return all(unicodedata.bidirectional(ch) not in _RIGHT_TO_LEFT for ch in set(text) if not ch.isascii())


_RIGHT_TO_LEFT = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI"})


def _object_runs(page: ctypes.c_void_p, kept: list[int], in_order: bool) -> Iterator[tuple[int, int, int]]:
    """(text object, start, end): the runs of `kept` (character indices) drawn by one object.

    Where the objects' characters sit together (`in_order`), a run's end is found by
    galloping and bisecting on the object of a character rather than asking it of each.
    """
    known: dict[int, int] = {}

    def key_at(position: int) -> int:
        key = known.get(position)
        if key is None:
            key = known[position] = _text_object(page, kept[position]) or 0
        return key

    n, start = len(kept), 0
    while start < n:
        key = key_at(start)
        if not in_order:
            end = start + 1
            while end < n and key_at(end) == key:
                end += 1
        else:
            low, step = start, 1  # key_at(low) == key; then key_at(high) != key or high == n
            while low + step < n and key_at(low + step) == key:
                low, step = low + step, step * 2
            high = min(low + step, n)
            while high - low > 1:
                middle = (low + high) // 2
                if key_at(middle) == key:
                    low = middle
                else:
                    high = middle
            end = high
        yield key, start, end
        start = end


def _run_glyphs(page: ctypes.c_void_p, indices: list[int], text: str | list[str], mb_x0: float) -> _Glyphs | None:
    """One text object's characters from their loose boxes alone; None where its characters
    do not share one baseline. (`_pdfium_chars.c` does the same in C: keep the two in step.)

    PDFium puts a loose box's left edge at the character's origin, and an object that is
    neither rotated nor written vertically puts all its characters on its baseline: the
    first and last character's origins show both.
    """
    rect = pdfium_c.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    rect_at, x_at, y_at = ctypes.byref(rect), ctypes.byref(x), ctypes.byref(y)
    first, last = indices[0], indices[-1]
    _char_origin(page, first, x_at, y_at)
    x_first, baseline = x.value, y.value
    _char_origin(page, last, x_at, y_at)
    x_last = x.value
    _loose_char_box(page, first, rect_at)
    if y.value != baseline or rect.left != x_first:
        return None
    texts: list[str] = []
    x0s: list[float] = []
    x1s: list[float] = []
    # A glyph with several characters (a ligature: "ff", "tt") gives them all one origin,
    # and pdfminer one char.
    near = _SAME_ORIGIN * (1 + max(abs(x_first), abs(x_last)))
    previous, before = -math.inf, first
    for i in indices:
        _loose_char_box(page, i, rect_at)
        left = rect.left
        if -near <= left - previous <= near and _same_origin(page, before, i):
            texts[-1] += text[i]
            continue
        previous, before = left, i
        texts.append(text[i])
        x0s.append(left - mb_x0)
        x1s.append(rect.right - mb_x0)
    return None if previous != x_last else (texts, x0s, x1s, baseline)


# Loose boxes this close (a share of their distance from 0: PDFium's boxes and origins can
# differ in the last bits of a float) may start at one origin: the origins decide.
_SAME_ORIGIN = 1e-5


def _same_origin(page: ctypes.c_void_p, a: int, b: int) -> bool:
    x, y = ctypes.c_double(), ctypes.c_double()
    _char_origin(page, a, ctypes.byref(x), ctypes.byref(y))
    origin = (x.value, y.value)
    _char_origin(page, b, ctypes.byref(x), ctypes.byref(y))
    return origin == (x.value, y.value)


def _run_chars_exactly(page: ctypes.c_void_p, indices: list[int], text: str | list[str], run: _Run, mb_x0: float,
                       mb_y0: float, height: float) -> list[TextRun]:
    """One text object's characters, each placed by its own origin (a ligature's characters
    share one), in a run per stretch of them on one baseline."""
    rect = pdfium_c.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    rect_at, x_at, y_at = ctypes.byref(rect), ctypes.byref(x), ctypes.byref(y)
    size, descent, upright, fontname = run.size, run.descent, run.upright, run.fontname
    out: list[TextRun] = []
    last = None
    for i in indices:
        ch = text[i]
        _char_origin(page, i, x_at, y_at)
        origin = (x.value, y.value)
        if origin == last:
            out[-1].texts[-1] += ch
            continue
        _loose_char_box(page, i, rect_at)
        if last is None or origin[1] != last[1]:
            bottom = height - (origin[1] + descent - mb_y0)
            out.append(TextRun([], [], [], bottom - size, bottom, size, upright, fontname))
        last = origin
        out[-1].texts.append(ch)
        out[-1].x0s.append(rect.left - mb_x0)
        out[-1].x1s.append(rect.right - mb_x0)
    return out


@dataclass
class _Run:
    fontname: str
    upright: bool
    size: float
    descent: float  # below the baseline, in points (negative)
    loose_at_origin: bool  # PDFium's loose boxes start at the characters' origins (see _font)


def _object_facts(page: ctypes.c_void_p, obj: int, index: int) -> _Facts:
    """What text object `obj` (0 for none) and its character `index` tell of their font, size
    and matrix."""
    if not obj:
        return 0, None, _font_size(page, index)
    matrix = pdfium_c.FS_MATRIX()
    _object_matrix(ctypes.c_void_p(obj), ctypes.byref(matrix))
    return _text_font_of(ctypes.c_void_p(obj)) or 0, (matrix.a, matrix.b, matrix.c, matrix.d), _font_size(page, index)


def _run(facts: _Facts, descents: dict[str, float], fonts: dict[int, tuple[str, float, bool]]) -> _Run:
    """What the characters of a text object share, from its `facts`; `fonts` remembers each
    font's name and metrics (`_font`) for the page."""
    font, matrix, set_size = facts
    if font not in fonts:
        fonts[font] = _font(font)
    fontname, descent, metrics = fonts[font]
    upright, scale = True, 1.0
    if matrix is not None:
        a, b, c, d = matrix
        # pdfminer's test: no rotation or mirroring of the text.
        upright = a * d > 0 and b * c <= 0
        scale = math.hypot(c, d)
    # PDFium gives the size set by Tf; pdfminer's is as printed, after the text and graphics
    # matrices (a PDF may set 1 Tf and scale by 12 in Tm): the object's vertical scale.
    size = set_size * scale
    descent = min(descents.get(fontname, descent), 0.0)
    return _Run(fontname, upright, size, descent * size, loose_at_origin=metrics and set_size != 0)


def _untyped(name: str, restype: Any, *argtypes: Any) -> Any:
    """A PDFium function taking and giving plain addresses.

    Called per object: pypdfium2's typed prototypes convert and check every argument
    (and a typed pointer result would need a ctypes.cast to serve as a dict key), which
    costs more than the call itself.
    """
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def _bare(name: str, restype: Any) -> Any:
    """A PDFium function with no argument types, for calls per character: about half the
    cost of a typed call. Pointers must be passed as ctypes objects (`c_void_p`, `byref`):
    a plain int is passed as a C int."""
    function = _untyped(name, restype)
    function.argtypes = None
    return function


_VP, _INT = ctypes.c_void_p, ctypes.c_int
_is_generated = _bare("FPDFText_IsGenerated", _INT)
_text_object = _bare("FPDFText_GetTextObject", _VP)
_char_origin = _bare("FPDFText_GetCharOrigin", _INT)
_loose_char_box = _bare("FPDFText_GetLooseCharBox", _INT)
_text_font_of = _bare("FPDFTextObj_GetFont", _VP)
_object_matrix = _bare("FPDFPageObj_GetMatrix", _INT)
_font_size = _bare("FPDFText_GetFontSize", ctypes.c_double)
_font_name = _bare("FPDFFont_GetBaseFontName", ctypes.c_size_t)
_font_ascent = _bare("FPDFFont_GetAscent", _INT)
_font_descent = _bare("FPDFFont_GetDescent", _INT)
_page_object = _untyped("FPDFPage_GetObject", _VP, _VP, _INT)
_object_type = _untyped("FPDFPageObj_GetType", _INT, _VP)
_text_font = _untyped("FPDFTextObj_GetFont", _VP, _VP)


def _page_text(textpage: ctypes.c_void_p, count: int) -> str | None:
    """All characters in one call; None when they do not map one to one onto indices."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(memoryview(buffer).cast("B")[: max(written - 1, 0) * 2]).decode("utf-16-le", "replace")
    # Characters outside the BMP take two UTF-16 units, shifting the indices.
    return text if len(text) == count else None


def _font(font: int) -> tuple[str, float, bool]:
    """A font's name, its descent per em, and whether it has an ascent and descent apart
    (PDFium makes loose boxes from them, else it gives the glyphs' tight boxes)."""
    if not font:
        return "", 0.0, False
    pointer = ctypes.c_void_p(font)
    buffer = ctypes.create_string_buffer(_NAME_BUFFER)
    length = _font_name(pointer, buffer, ctypes.c_size_t(_NAME_BUFFER))
    name = buffer.value.decode("utf-8", "replace") if length else ""
    ascent, descent, one = ctypes.c_float(0.0), ctypes.c_float(0.0), ctypes.c_float(1.0)
    _font_ascent(pointer, one, ctypes.byref(ascent))
    _font_descent(pointer, one, ctypes.byref(descent))
    return name, descent.value, ascent.value != descent.value


class _Functions(ctypes.Structure):
    """The PDFium functions `read_runs` calls, by address (`pdfium_fns` in the C)."""

    _fields_ = [(name, _VP) for name in ("is_generated", "text_object", "char_origin", "loose_box", "object_font",
                                         "object_matrix", "font_size")]


class _NativeReader:
    """`_pdfium_chars.c`'s `read_runs`: what `_chars` asks PDFium of a page's characters
    (which to keep, the runs of one object, their glyphs, their objects' fonts, sizes and
    matrices), in one call from Python rather than several per character."""

    def __init__(self, library: ctypes.CDLL) -> None:
        if library.read_runs_version() != _NATIVE_VERSION:
            raise AttributeError("a library built from another version of _pdfium_chars.c")
        ints, addresses, doubles = ctypes.POINTER(_INT), ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_double)
        self._read_runs = library.read_runs
        self._read_runs.restype = _INT
        self._read_runs.argtypes = [ctypes.POINTER(_Functions), _VP, _INT, ctypes.c_char_p, _INT, ctypes.c_double,
                                    ints, addresses, ints, addresses, addresses, doubles, ints, ints, doubles, doubles]
        self._functions = _Functions(*(ctypes.cast(function, _VP).value for function in (
            pdfium_c.FPDFText_IsGenerated, pdfium_c.FPDFText_GetTextObject, pdfium_c.FPDFText_GetCharOrigin,
            pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFTextObj_GetFont, pdfium_c.FPDFPageObj_GetMatrix,
            pdfium_c.FPDFText_GetFontSize)))

    def __call__(self, page: ctypes.c_void_p, text: str | list[str], in_order: bool,
                 mb_x0: float) -> tuple[Sequence[int], list[tuple[int, int, int, _Facts, _Glyphs | None]]]:
        """The kept characters' indices, and (text object, start, end, facts, glyphs) for each
        run of them, as `_chars` reads them without the C loop (`_object_glyphs`, `_object_facts`)."""
        count = len(text)
        codes = (text if isinstance(text, str) else "".join(text)).encode("utf-32-le", "surrogatepass")
        ints, addresses, doubles = _INT * count, ctypes.c_size_t * count, ctypes.c_double * count
        kept, objects, run_ends, run_objects, run_fonts = ints(), addresses(), ints(), addresses(), addresses()
        run_values, glyph_ends = (ctypes.c_double * (6 * count))(), ints()
        glyph_first, x0s, x1s = ints(), doubles(), doubles()
        n = self._read_runs(self._functions, page, count, codes, in_order, mb_x0, kept, objects, run_ends,
                            run_objects, run_fonts, run_values, glyph_ends, glyph_first, x0s, x1s)
        ends, placed, values = run_ends[:n], glyph_ends[:n], _as_list(run_values, 6 * n)
        # Lists sliced per run: slicing a ctypes array makes its Python objects one by one.
        lefts, rights = (_as_list(edges, max(placed, default=0)) for edges in (x0s, x1s))
        runs: list[tuple[int, int, int, _Facts, _Glyphs | None]] = []
        start = glyph_start = 0
        for r, (end, key, font, glyph_end) in enumerate(zip(ends, run_objects[:n], run_fonts[:n], placed)):
            baseline, a, b, c, d, set_size = values[6 * r:6 * r + 6]
            glyphs = None
            if glyph_end >= 0:
                if glyph_end - glyph_start == end - start:
                    texts = _char_texts(text, kept, start, end)
                else:
                    texts = _ligature_texts(text, kept, start, end, glyph_first[glyph_start:glyph_end])
                glyphs = (texts, lefts[glyph_start:glyph_end], rights[glyph_start:glyph_end], baseline)
                glyph_start = glyph_end
            runs.append((key, start, end, (font, (a, b, c, d) if key else None, set_size), glyphs))
            start = end
        return kept, runs


def _as_list(values: ctypes.Array, n: int) -> list:
    """The first `n` of a ctypes array of ints or doubles as a list."""
    return memoryview(values).cast("B")[:n * ctypes.sizeof(values._type_)].cast(values._type_._type_).tolist()


def _char_texts(text: str | list[str], kept: Sequence[int], start: int, end: int) -> list[str]:
    """The texts of kept positions `start`..`end`, one character each."""
    low, high = kept[start], kept[end - 1] + 1
    return list(text[low:high]) if high - low == end - start else [text[i] for i in kept[start:end]]


def _ligature_texts(text: str | list[str], kept: Sequence[int], start: int, end: int, firsts: list[int]) -> list[str]:
    """The texts of glyphs starting at the kept positions `firsts` of a run `start`..`end`:
    a ligature's characters are those up to the next glyph's."""
    low, high = kept[start], kept[end - 1] + 1
    if high - low == end - start and isinstance(text, str):  # kept position p is character low + p - start
        bounds = [p + low - start for p in firsts] + [high]
        return [text[a:b] for a, b in zip(bounds, bounds[1:])]
    bounds = firsts + [end]
    return ["".join([text[kept[p]] for p in range(a, b)]) for a, b in zip(bounds, bounds[1:])]


_NATIVE_VERSION = 1  # read_runs_version() of the _pdfium_chars.c this module calls


def _load_native(folder: Path = Path(__file__).parent) -> _NativeReader | None:
    """The C loop, built beside this module by `pip install` where there is a compiler;
    None where it is not, or was built from another version of its source (rebuild with
    `pip install -e .`): the characters are then read from Python, the same ones."""
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"_pdfium_chars{suffix}"
        if path.is_file():
            try:
                return _NativeReader(ctypes.CDLL(str(path)))
            except (OSError, AttributeError):  # not a library for this machine, or not this one
                return None
    return None


_NATIVE = _load_native()
