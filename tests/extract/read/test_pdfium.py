"""The PDFium character layer and the per-page engine choice: same lines, blocks and records as pdfplumber."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from extract.read import pdfium
from extract.layout.blocks import items_to_blocks
from extract.read.pdf import PdfContent, _draws_rules, _layout_chars, pdf_to_items
from extract.pipeline import extract_document
from extract.settings import ExtractSettings
from schemas import Block, BlockKind, Line
from tests.conftest import CORPUS, CORPUS_PDFS

SHROPSHIRE = "004_d5165c856a572d5e.pdf"  # set in a font with ff/tt ligatures
WIRRAL_TABLES = "002_c2b6556e76a60ddc.pdf"  # ruled tables on pages 5 and 8


@pytest.fixture(scope="session")
def read():
    """Each corpus PDF read once per engine per session."""
    cache: dict[tuple[str, str], PdfContent] = {}

    def read(name: str, engine: str) -> PdfContent:
        if (name, engine) not in cache:
            cache[name, engine] = pdf_to_items(CORPUS / name, {"engine": engine})
        return cache[name, engine]

    return read


def _described(item: Line | Block) -> tuple:
    if isinstance(item, Line):
        return ("line", item.page, item.text, item.size, item.bold)
    return ("block", item.page, item.kind, item.text, item.caption)


def test_auto_is_the_default_engine() -> None:
    assert ExtractSettings().engine == "auto"
    with pytest.raises(ValueError, match="engine"):
        ExtractSettings.resolve({"engine": "pypdfium2"})


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.name[:3])
def test_auto_reads_the_same_items_as_pdfplumber(read, pdf: Path) -> None:
    reference, fast = read(pdf.name, "pdfplumber"), read(pdf.name, "auto")
    assert [_described(i) for i in fast.items] == [_described(i) for i in reference.items]
    assert fast.pages == reference.pages
    assert fast.metadata == reference.metadata  # running headers included
    for a, b in zip(fast.items, reference.items):
        if isinstance(a, Line):
            # Same boxes to a fraction of a point (PDFium's advance widths round differently).
            assert abs(a.x0 - b.x0) < 0.5 and abs(a.x1 - b.x1) < 0.5
            assert (a.top, a.bottom, a.gap_before) == (b.top, b.bottom, b.gap_before)


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.name[:3])
def test_auto_builds_the_same_blocks(read, pdf: Path) -> None:
    reference = items_to_blocks(read(pdf.name, "pdfplumber").items)
    fast = items_to_blocks(read(pdf.name, "auto").items)
    assert [(b.kind, b.text, b.heading_path, b.page) for b in fast] == \
           [(b.kind, b.text, b.heading_path, b.page) for b in reference]


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.name[:3])
def test_auto_extracts_the_same_records(pdf: Path) -> None:
    reference = extract_document(pdf, {"engine": "pdfplumber"})
    fast = extract_document(pdf, {"engine": "auto"})
    assert fast.document.text == reference.document.text
    for kind in ("priorities", "actions", "targets", "cohorts", "metrics", "leads"):
        assert [r.id for r in getattr(fast, kind)] == [r.id for r in getattr(reference, kind)], kind
    assert [(a.text, a.kind, a.lead, a.due_date) for a in fast.actions] == \
           [(a.text, a.kind, a.lead, a.due_date) for a in reference.actions]


def _layout_shapes(page) -> list[tuple]:
    """pdfminer's painted paths on a page: kind and box, rounded to what float32 keeps."""
    from pdfminer.layout import LTContainer, LTCurve, LTLine, LTRect

    found, stack = [], list(page.layout._objs)
    while stack:
        obj = stack.pop(0)
        if isinstance(obj, LTCurve):
            kind = "line" if isinstance(obj, LTLine) else "rect" if isinstance(obj, LTRect) else "curve"
            found.append((kind, *(round(v, 2) for v in obj.bbox), bool(obj.fill)))
        elif isinstance(obj, LTContainer):
            stack = list(obj._objs) + stack
    return found


def _shapes(document, index: int) -> list[tuple]:
    return [(s.kind, *(round(v, 2) for v in (s.x0, s.y0, s.x1, s.y1)), s.fill)
            for s in pdfium.page_shapes(document[index])]


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.name[:3])
def test_pdfium_shapes_are_pdfminers_lines_rects_and_curves(pdf: Path) -> None:
    """Every painted path, split and classified as pdfminer does, on every page."""
    document = pdfium.open_pdf(pdf)
    with pdfplumber.open(pdf) as plumber:
        for index, page in enumerate(plumber.pages):
            assert sorted(_shapes(document, index)) == sorted(_layout_shapes(page)), index + 1
            shapes = pdfium.page_shapes(document[index])
            assert _draws_rules([(s.kind == "line", s.width, s.height, s.y0) for s in shapes]) == \
                _layout_chars(page)[1], index + 1
    document.close()


def test_shapes_of_lines_boxes_subpaths_and_curves_match_pdfminer(tmp_path: Path) -> None:
    from tests.pdfs import make_pdf

    stream = (b"0.5 w 50 700 m 300 700 l S\n"          # a rule
              b"50 600 100 40 re f\n"                  # a filled box
              b"60 500 m 160 500 l 160 540 l 60 540 l h S\n"  # a box drawn as lines
              b"200 500 m 260 500 l 260 540 l h S\n"   # a closed triangle: a curve
              b"300 300 m 300 320 l 400 300 m 420 300 l S\n"  # two lines in one path
              b"100 100 m 100 120 120 140 140 140 c S\n"  # a Bezier
              b"q 2 0 0 2 10 10 cm 20 20 30 10 re S Q\n"  # a box under a scaling matrix
              b"100 200 m 150 250 l n\n")              # a path never painted
    pdf = tmp_path / "shapes.pdf"
    pdf.write_bytes(make_pdf(streams=[stream]))
    document = pdfium.open_pdf(pdf)
    with pdfplumber.open(pdf) as plumber:
        expected = sorted(_layout_shapes(plumber.pages[0]))
    assert sorted(_shapes(document, 0)) == expected
    assert [kind for kind, *_ in expected].count("line") == 3 and len(expected) == 8
    document.close()


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.name[:3])
def test_pdfium_chars_match_pdfminer_chars_on_text_pages(pdf: Path) -> None:
    """Same characters, font sizes and boxes (descent as pdfminer reads it) from both engines."""
    document = pdfium.open_pdf(pdf)
    with pdfplumber.open(pdf) as plumber:
        page = plumber.pages[0]
        reference, _ = _layout_chars(page)
        fast = pdfium.read_page(document[0], 1, _descents(plumber, page)).chars
    document.close()
    printed = [c for c in reference if not c["text"].isspace()]
    ours = [c for c in fast if not c["text"].isspace()]
    assert "".join(c["text"] for c in ours) == "".join(c["text"] for c in printed)
    for a, b in zip(ours, printed):
        assert a["size"] == pytest.approx(b["size"], abs=0.01)
        assert a["bottom"] == pytest.approx(b["bottom"], abs=0.05)
        assert a["x0"] == pytest.approx(b["x0"], abs=0.5)
        assert a["fontname"] == b["fontname"].split("+")[-1]


def _descents(plumber: pdfplumber.PDF, page) -> dict[str, float]:
    from extract.read.pdf import _font_descents

    return _font_descents(plumber, page, {})


def test_ligature_is_one_character_not_an_overprint(read) -> None:
    """Regression: PDFium splits an "ff" glyph into two chars at one spot; the overprint filter ate one."""
    text = " ".join(i.text for i in read(SHROPSHIRE, "pdfium").items)
    assert "staff" in text and "effective" in text and " staf " not in text


def test_engine_option_on_ingest(tmp_path: Path) -> None:
    from cli import cli
    import sqlite_utils

    pdf = CORPUS_PDFS[0]
    texts = {}
    for engine in ("pdfplumber", "auto"):
        db = tmp_path / f"{engine}.db"
        result = CliRunner().invoke(cli, ["ingest", str(pdf), "--db", str(db), "--engine", engine],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        texts[engine] = [r["text"] for r in sqlite_utils.Database(db).query("select text from actions order by id")]
    assert texts["auto"] and texts["auto"] == texts["pdfplumber"]
    bad = CliRunner().invoke(cli, ["ingest", str(pdf), "--db", str(tmp_path / "x.db"), "--engine", "ocr"])
    assert bad.exit_code == 2


def test_size_scaled_by_text_and_graphics_matrices_matches_pdfminer(tmp_path: Path) -> None:
    """Regression: PDFium reports the Tf size; a PDF may set 1 Tf and scale by 12 in Tm (or in cm)."""
    from tests.pdfs import make_pdf

    stream = (b"BT /F1 1 Tf 12 0 0 12 72 700 Tm (Hello world) Tj ET\n"
              b"q 1.5 0 0 1.5 0 0 cm BT /F1 10 Tf 50 300 Td (Scaled by cm) Tj ET Q\n"
              b"BT /F1 11 Tf 72 650 Td (Plain eleven) Tj ET\n"
              b"q 0 1 -1 0 300 100 cm BT /F1 10 Tf 0 0 Td (Turned sideways) Tj ET Q")
    pdf = tmp_path / "scaled.pdf"
    pdf.write_bytes(make_pdf(streams=[stream]))
    lines = {e: [(i.text, i.size, i.top, i.bottom) for i in pdf_to_items(pdf, {"engine": e}).items]
             for e in ("pdfplumber", "pdfium")}
    assert lines["pdfium"] == lines["pdfplumber"]
    assert [(text, size) for text, size, _, _ in lines["pdfium"]] == [
        ("Hello world", 12.0), ("Plain eleven", 11.0), ("Scaled by cm", 15.0)]


def test_cell_words_split_at_the_builders_word_gap_without_space_glyphs(tmp_path: Path) -> None:
    """Some writers draw no space glyphs (PDFium then has none to give): a cell splits words at
    the gap the line builder uses, a fifth of the type size, not pdfplumber's fixed 3 pt."""
    from tests.pdfs import make_pdf, table_rules

    top = 700
    # "Vacancy" in 12 pt Helvetica is 46.02 pt wide: "rate" starts 2.7 pt after it.
    runs = [(55, top - 12, 12, "Vacancy"), (103.7, top - 12, 12, "rate"), (205, top - 12, 12, "22%"),
            (355, top - 12, 12, "10%"), (55, top - 28, 12, "Agency"), (205, top - 28, 12, "95"),
            (355, top - 28, 12, "40"), (55, 500, 12, "Vacancy"), (103.7, 500, 12, "rate")]
    pdf = tmp_path / "no-spaces.pdf"
    pdf.write_bytes(make_pdf(pages=[runs], rules=[table_rules(2, top)]))
    items = pdf_to_items(pdf, {"engine": "auto"}).items
    tables = [i for i in items if isinstance(i, Block)]
    assert [row[0] for row in tables[0].cells] == ["Vacancy rate", "Agency"]
    assert [i.text for i in items if isinstance(i, Line)] == ["Vacancy rate"]


def test_descents_read_from_font_descriptors_are_pdfminers(tmp_path: Path) -> None:
    """The descent each font gives a character's bottom, read without building pdfminer's font;
    the standard 14 fonts (pdfminer's built-in metrics) are still left to pdfminer."""
    from pdfminer.pdftypes import PDFObjRef, resolve1

    from extract.read.pdf import _descriptor_descent, _resource_dicts
    from tests.pdfs import make_pdf

    checked = 0
    for pdf in CORPUS_PDFS:
        with pdfplumber.open(pdf) as plumber:
            for page in plumber.pages:
                for resources in _resource_dicts(page.page_obj.resources):
                    for spec in (resolve1(resources.get("Font")) or {}).values():
                        font = plumber.rsrcmgr.get_font(spec.objid if isinstance(spec, PDFObjRef) else None,
                                                        resolve1(spec))
                        assert _descriptor_descent(resolve1(spec)) == (font.fontname, font.get_descent())
                        checked += 1
    assert checked > 50
    standard = tmp_path / "helvetica.pdf"
    standard.write_bytes(make_pdf(pages=[[(72, 700, 12, "Plain Helvetica")]]))
    with pdfplumber.open(standard) as plumber:
        [spec] = resolve1(plumber.pages[0].page_obj.resources["Font"]).values()
        assert _descriptor_descent(resolve1(spec)) is None


_LOWER_CASE_H = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                 b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
                 b"1 begincodespacerange <00> <FF> endcodespacerange\n"
                 b"2 beginbfchar <48> <0068> <75> <0075> endbfchar\n"
                 b"endcmap CMapName currentdict /CMap defineresource pop end end")


def test_letters_the_tounicode_map_gives_in_the_other_case_are_read_as_pdfminer_reads_them(tmp_path: Path) -> None:
    """A font whose ToUnicode map gives the code of "H" as "h" (a writer that keeps typed
    lower-case letters styled as capitals): PDFium may give the glyph's own case, and both
    engines then read the map's."""
    from extract.read.pdf import _apply_case_maps, _case_maps
    from tests.pdfs import make_pdf

    path = tmp_path / "cases.pdf"
    path.write_bytes(make_pdf([[(72, 700, 12, "Hungary and Hull")]], to_unicode=_LOWER_CASE_H))
    with pdfplumber.open(path) as pdf:
        maps = _case_maps(pdf.pages[0], {})
    assert maps == {"Helvetica": {"H": "h"}}
    runs = [pdfium.TextRun(list(texts), [0.0] * len(texts), [1.0] * len(texts), 0.0, 12.0, 12.0, True, font)
            for texts, font in (("Hu", "Helvetica"), ("H", "Times-Roman"))]
    _apply_case_maps(runs, maps)
    assert [run.texts for run in runs] == [["h", "u"], ["H"]]
    for engine in ("auto", "pdfplumber"):
        assert [line.text for line in pdf_to_items(path, {"engine": engine}).items] == ["hungary and hull"]


def test_a_ligature_character_is_stored_as_its_letters_by_both_engines(tmp_path: Path) -> None:
    """A glyph the ToUnicode map gives as "ﬁ" (U+FB01): pdfminer keeps the one character,
    PDFium may give its letters; both store "fi"."""
    from tests.pdfs import make_pdf

    cmap = _LOWER_CASE_H.replace(b"2 beginbfchar <48> <0068> <75> <0075>", b"1 beginbfchar <1F> <FB01>")
    stream = b"BT /F1 12 Tf 1 0 0 1 72 700 Tm (\x1frst line) Tj ET"
    path = tmp_path / "ligature.pdf"
    path.write_bytes(make_pdf(streams=[stream], to_unicode=cmap))
    for engine in ("auto", "pdfplumber"):
        assert [line.text for line in pdf_to_items(path, {"engine": engine}).items] == ["first line"]


_Chars = tuple[list[pdfium.TextRun], set[int]]


def _read_three_ways(pdf: Path) -> list[tuple[_Chars, _Chars, _Chars]]:
    """Each page's characters (in runs) read per text object by the C loop (where it is
    built) and from Python, and one character at a time."""
    document = pdfium.open_pdf(pdf)
    pages = []
    for index in range(len(document)):
        page = document[index]
        mb_x0, mb_y0, _, mb_y1 = page.get_mediabox()
        textpage = page.get_textpage()
        pages.append(tuple(pdfium._chars(textpage.raw, mb_x0, mb_y0, mb_y1 - mb_y0, {}, by_object=by_object,
                                         native=native)
                           for by_object, native in ((True, True), (True, False), (False, False))))
        textpage.close()
        page.close()
    document.close()
    return pages


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.name[:3])
def test_characters_read_per_text_object_are_those_read_one_by_one(pdf: Path) -> None:
    """On every page: the same runs (texts, edges, top, bottom, size, font) and objects from
    the C loop, from Python per object and from Python one character at a time."""
    pages = _read_three_ways(pdf)
    assert sum(len(run.texts) for (runs, _), _, _ in pages for run in runs) > 1000
    for index, (c_loop, by_object, one_by_one) in enumerate(pages):
        assert c_loop == by_object, index + 1
        assert by_object == one_by_one, index + 1


def test_rotated_and_overprinted_text_read_per_object_as_one_by_one(tmp_path: Path) -> None:
    """Objects whose characters leave the baseline (turned text) or share an origin (a TJ
    that moves back over a glyph) are placed character by character, as before."""
    from tests.pdfs import make_pdf

    stream = (b"BT /F1 12 Tf 72 700 Td (Level text on its baseline) Tj ET\n"
              b"q 0.866 0.5 -0.5 0.866 100 300 cm BT /F1 10 Tf 0 0 Td (Turned thirty degrees) Tj ET Q\n"
              b"BT /F1 12 Tf 72 600 Td [(a) 556 (b) -200 (c)] TJ ET\n"
              b"BT /F1 12 Tf 72 500 Td (Bold) Tj ET BT /F1 12 Tf 72.2 500 Td (Bold) Tj ET\n"
              b"BT /F1 12 Tf 72 400 Td (x) Tj ET")
    pdf = tmp_path / "odd.pdf"
    pdf.write_bytes(make_pdf(streams=[stream]))
    [(c_loop, (runs, objects), one_by_one)] = _read_three_ways(pdf)
    assert c_loop == (runs, objects) == one_by_one
    chars = [c for run in runs for c in run.chars()]
    texts = [c["text"] for c in chars]
    assert "ab" in texts  # b drawn back over a: one glyph's place, as pdfminer gives it
    assert len({round(c["bottom"]) for c in chars if abs(c["size"] - 10) < 0.01}) > 5  # the turned line climbs


def test_characters_are_read_from_python_where_the_c_loop_is_not_built(tmp_path: Path, monkeypatch) -> None:
    """The C loop is optional (installs without a compiler do not build it): where it is
    built it is loaded, where it is not, or does not load, the same characters are read
    from Python."""
    import pypdfium2_raw

    built = [path for path in Path(pdfium.__file__).parent.glob("_pdfium_chars*") if path.suffix != ".c"]
    assert (pdfium._NATIVE is not None) == bool(built)
    assert pdfium._load_native(tmp_path) is None
    (tmp_path / "_pdfium_chars.so").write_bytes(b"not a library")
    assert pdfium._load_native(tmp_path) is None
    other = tmp_path / "other"  # a library, but not this one (PDFium's own)
    other.mkdir()
    (other / "_pdfium_chars.so").symlink_to(Path(pypdfium2_raw.__file__).parent / "libpdfium.so")
    assert pdfium._load_native(other) is None
    with monkeypatch.context() as changed:  # a library built before its source changed
        changed.setattr(pdfium, "_NATIVE_VERSION", pdfium._NATIVE_VERSION + 1)
        assert pdfium._load_native() is None
    pdf = CORPUS / SHROPSHIRE  # ligatures
    read = _pages_read(pdf)
    monkeypatch.setattr(pdfium, "_NATIVE", None)
    assert _pages_read(pdf) == read


def test_right_to_left_text_is_read_one_character_at_a_time() -> None:
    """PDFium reorders right-to-left lines, which can interleave two objects' characters."""
    assert pdfium._in_order("Plain text, “quoted” – £5")
    assert not pdfium._in_order("Shalom: \u05e9\u05dc\u05d5\u05dd")
    assert not pdfium._in_order(list("\u0645\u0631\u062d\u0628\u0627"))


def _pages_read(pdf: Path) -> list[pdfium.PdfiumPage]:
    document = pdfium.open_pdf(pdf)
    pages = [pdfium.read_page(document[index], index + 1) for index in range(len(document))]
    document.close()
    return pages


def _rows_both_ways(page: pdfium.PdfiumPage, settings: ExtractSettings) -> tuple[list, list]:
    """A page's words, row by row, built from its text runs and from its characters one by one."""
    from extract.read.pdf import _char_runs, _chars_to_rows, _row_words, _run_bottom, _runs_on_page

    left, top, right, bottom = page.bbox
    kept = [c for c in page.chars
            if c["upright"] and c["x1"] > left and c["x0"] < right and c["bottom"] > top and c["top"] < bottom]
    by_char = [_row_words(_char_runs(row), settings) for row in _chars_to_rows(kept, settings.y_tolerance)]
    by_run = [_row_words(row, settings)
              for row in _chars_to_rows(_runs_on_page(page.runs, page.bbox), settings.y_tolerance, _run_bottom)]
    return by_run, by_char


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.name[:3])
def test_words_built_from_text_runs_are_those_built_char_by_char(pdf: Path) -> None:
    settings = ExtractSettings()
    words = 0
    for page in _pages_read(pdf):
        by_run, by_char = _rows_both_ways(page, settings)
        assert by_run == by_char, page.number
        words += sum(map(len, by_run))
    assert words > 200


def test_runs_that_overlap_make_the_words_read_char_by_char(tmp_path: Path) -> None:
    """Runs out of x order (a TJ that moves back) or overlapping in x are read a character
    at a time, in x order, as the per-character builder reads them; runs apart stay whole."""
    from extract.read.pdf import _left_to_right
    from tests.pdfs import make_pdf

    stream = (b"BT /F1 12 Tf 72 600 Td [(abc) 3000 (d)] TJ ET BT /F1 12 Tf 80 600 Td (xyz) Tj ET\n"
              b"BT /F1 12 Tf 72 500 Td (Plain words) Tj ET BT /F1 12 Tf 200 500 Td (apart) Tj ET")
    pdf = tmp_path / "overlaps.pdf"
    pdf.write_bytes(make_pdf(streams=[stream]))
    [page] = _pages_read(pdf)
    by_run, by_char = _rows_both_ways(page, ExtractSettings())
    assert by_run == by_char
    assert [[w.text for w in row] for row in by_run] == [["d", "abxcyz"], ["Plain", "words", "apart"]]
    moved_back, apart = page.runs[:2], page.runs[2:]
    assert [len(_left_to_right(row)) for row in (moved_back, apart)] == [7, 2]


def test_a_runs_characters_as_dicts_share_its_font_and_box() -> None:
    run = pdfium.TextRun(["a", "ff"], [10.0, 16.0], [16.0, 25.0], 88.0, 100.0, 12.0, True, "Helvetica")
    assert run.chars() == [
        {"text": "a", "x0": 10.0, "x1": 16.0, "top": 88.0, "bottom": 100.0, "size": 12.0, "upright": True,
         "fontname": "Helvetica"},
        {"text": "ff", "x0": 16.0, "x1": 25.0, "top": 88.0, "bottom": 100.0, "size": 12.0, "upright": True,
         "fontname": "Helvetica"}]
