"""PDF reading layer: real corpus PDFs in, lines and table blocks in reading order out."""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from extract.layout.blocks import items_to_blocks
from extract.errors import DocumentTooLarge, ExtractionTimeout, UnreadableDocument
from extract.read.pdf import PdfContent, pdf_to_items, table_text
from extract.settings import ExtractSettings
from schemas import Block, BlockKind, Line
from tests.conftest import CORPUS, CORPUS_PDFS
from tests.pdfs import make_pdf, table_cells, table_rules

WIRRAL = ["000_d0267cf840bad862.pdf", "001_e98010b9432bf09c.pdf", "002_c2b6556e76a60ddc.pdf"]
SEFTON = "003_d80c8cc1c9b6dc28.pdf"
SHROPSHIRE = "004_d5165c856a572d5e.pdf"
BULLET_START = re.compile(r"^[•\uf0b7▪➢–\-o] \S")


@pytest.fixture(scope="session")
def read_pdf():
    """Each corpus PDF read once per session."""
    cache: dict[str, PdfContent] = {}

    def read(name: str) -> PdfContent:
        if name not in cache:
            cache[name] = pdf_to_items(CORPUS / name)
        return cache[name]

    return read


def lines_of(content: PdfContent) -> list[Line]:
    return [i for i in content.items if isinstance(i, Line)]


def tables_of(content: PdfContent) -> list[Block]:
    return [i for i in content.items if isinstance(i, Block) and i.kind == BlockKind.TABLE]


# --- the corpus ---------------------------------------------------------------------------


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.name[:3])
def test_reads_every_page_in_order(read_pdf, pdf: Path) -> None:
    content = read_pdf(pdf.name)
    with pdfplumber.open(pdf) as doc:
        assert content.pages == len(doc.pages)
    pages = [i.page for i in content.items]
    assert pages == sorted(pages) and pages[0] == 1
    assert set(pages) <= set(range(1, content.pages + 1))
    assert content.metadata.get("Title")
    for line in lines_of(content):
        assert line.text == line.text.strip() and line.text
        assert line.x0 < line.x1 and line.top < line.bottom
        assert line.size and line.size > 4 and line.gap_before >= 0


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.name[:3])
def test_no_running_headers_footers_or_page_numbers(read_pdf, pdf: Path) -> None:
    content = read_pdf(pdf.name)
    lines = lines_of(content)
    assert not [line.text for line in lines if re.fullmatch(r"(page\s*)?\d{1,3}(\s*of\s*\d+)?", line.text, re.I)]
    # Nothing recurs (digits aside) on most pages any more.
    pages_by_text: dict[str, set[int]] = {}
    for line in lines:
        pages_by_text.setdefault(re.sub(r"\d+", "#", line.text), set()).add(line.page)
    assert max(len(p) for p in pages_by_text.values()) < max(3, content.pages / 2)


def test_shropshire_running_header_is_gone(read_pdf) -> None:
    content = read_pdf(SHROPSHIRE)
    assert not [i for i in content.items if "version 2 – January 2022" in i.text]
    # ... while the body text around it is all there.
    assert any(i.text.startswith("Shropshire Children’s Workforce") for i in content.items)


def test_sefton_footer_is_gone(read_pdf) -> None:
    content = read_pdf(SEFTON)
    assert not [i for i in content.items if re.search(r"Page \d of 8", i.text)]


def test_sefton_action_table_is_one_table(read_pdf) -> None:
    tables = tables_of(read_pdf(SEFTON))
    assert len(tables) == 1
    table = tables[0]
    assert table.cells[0] == ["Action", "Lead", "By when"]
    assert len(table.cells) == 7 and all(len(row) == 3 for row in table.cells)
    assert table.cells[4][0] == "Ensure all staff are signed up to Research in Practice (RiP) and using the resources available"
    assert table.caption == "Actions for the next period"
    assert table.page == 8 and table.pages == [8] and table.bbox[1] < table.bbox[3]
    assert table.text == table_text(table.cells)
    assert table.text.splitlines()[0] == "Action | Lead | By when"
    # The table's words are not also read as lines; the caption stays a line.
    texts = [line.text for line in lines_of(read_pdf(SEFTON))]
    assert not [t for t in texts if "Recruit 10 additional" in t]
    assert "Actions for the next period" in texts


def test_wirral_agency_and_sickness_tables_are_table_blocks(read_pdf) -> None:
    tables = tables_of(read_pdf(WIRRAL[2]))
    on_page_5 = [t for t in tables if t.page == 5]
    assert len(on_page_5) == 4
    agency = on_page_5[0]
    assert agency.cells[0][:3] == ["Function Name", "Service Name", "FY 2022/23"]
    assert agency.cells[1][2:5] == ["Apr", "May", "Jun"]
    assert all(len(row) == 21 for row in agency.cells)
    assert any(row[1] == "Education" and row[2] == "12" for row in agency.cells)
    sickness = on_page_5[2]
    assert "Projected for April" in sickness.cells[2]
    # Their figures are not left behind as loose lines.
    assert not [line for line in lines_of(read_pdf(WIRRAL[2])) if line.text.startswith("53 50 51")]


@pytest.mark.parametrize("name", [WIRRAL[0], WIRRAL[1], SHROPSHIRE])
def test_no_tables_where_none_are_drawn(read_pdf, name: str) -> None:
    assert tables_of(read_pdf(name)) == []


@pytest.mark.parametrize("name, glyph, at_least", [
    (WIRRAL[0], "•", 20), (WIRRAL[1], "•", 50), (WIRRAL[1], "➢", 4), (WIRRAL[2], "•", 20),
    (SEFTON, "–", 8), (SEFTON, "o", 3), (SHROPSHIRE, "•", 50),
])
def test_bullets_start_their_lines(read_pdf, name: str, glyph: str, at_least: int) -> None:
    starts = [line.text for line in lines_of(read_pdf(name)) if line.text.startswith(glyph + " ")]
    assert len(starts) >= at_least
    assert all(BULLET_START.match(t) for t in starts)


def test_headings_carry_size_and_weight(read_pdf) -> None:
    lines = lines_of(read_pdf(SEFTON))
    purpose = next(line for line in lines if line.text == "Purpose")
    body = next(line for line in lines if line.text.startswith("As a council, we recognise"))
    assert purpose.bold and purpose.size == 14 and not body.bold and body.size == 12
    assert purpose.page == 1 and body.gap_before > 5
    wrapped = lines[lines.index(body) + 1]
    assert 0 < wrapped.gap_before < body.gap_before


def test_first_line_of_each_page_has_no_gap(read_pdf) -> None:
    lines = lines_of(read_pdf(SHROPSHIRE))
    firsts = [b for a, b in zip([None, *lines], lines) if a is None or a.page != b.page]
    assert len(firsts) == 12 and all(line.gap_before == 0 for line in firsts)


# --- layouts the corpus lacks, on small PDFs written here ---------------------------------


def test_two_column_page_is_read_column_by_column(tmp_path: Path) -> None:
    words = "alpha beta gamma delta epsilon zeta eta theta"
    left = [(50, 700 - 14 * i, 10, f"L{i:02d} {words}") for i in range(20)]
    right = [(320, 700 - 14 * i, 10, f"R{i:02d} {words}") for i in range(20)]
    title = [(50, 760, 16, "A heading that runs right across both of the columns below")]
    path = tmp_path / "columns.pdf"
    path.write_bytes(make_pdf([title + left + right]))
    texts = [i.text for i in pdf_to_items(path).items]
    assert texts[0].startswith("A heading")
    assert [t[:3] for t in texts[1:]] == [f"L{i:02d}" for i in range(20)] + [f"R{i:02d}" for i in range(20)]


def test_single_column_with_right_aligned_numbers_is_not_split(tmp_path: Path) -> None:
    rows = [(50, 700 - 14 * i, 10, f"Item {i} of the contents") for i in range(10)]
    numbers = [(500, 700 - 14 * i, 10, str(i + 3)) for i in range(10)]
    path = tmp_path / "contents.pdf"
    path.write_bytes(make_pdf([rows + numbers]))
    assert [i.text for i in pdf_to_items(path).items][:2] == ["Item 0 of the contents 3", "Item 1 of the contents 4"]


def test_repeated_header_and_page_numbers_removed_but_body_kept(tmp_path: Path) -> None:
    pages = [[(50, 800, 9, "Annual Plan – issue 3 – May 2021"),
              (50, 600, 11, f"Body text of page {n} that says something."),
              (290, 30, 9, f"Page {n} of 4")] for n in range(1, 5)]
    path = tmp_path / "running.pdf"
    path.write_bytes(make_pdf(pages))
    content = pdf_to_items(path)
    assert [i.text for i in content.items] == [f"Body text of page {n} that says something." for n in range(1, 5)]


def test_table_continued_on_next_page_is_one_table(tmp_path: Path) -> None:
    header = ["Action", "Owner", "Due"]
    first = [header] + [[f"Task {i}", "Team", f"June 202{i}"] for i in range(1, 4)]
    second = [header] + [[f"Task {i}", "Team", f"June 202{i}"] for i in range(4, 6)]
    pages = [[(50, 750, 11, "Delivery plan")] + table_cells(first, top=730),
             table_cells(second, top=800)]
    rules = [table_rules(len(first), top=730), table_rules(len(second), top=800)]
    path = tmp_path / "continued.pdf"
    path.write_bytes(make_pdf(pages, rules=rules))
    tables = tables_of(pdf_to_items(path))
    assert len(tables) == 1
    assert tables[0].pages == [1, 2] and tables[0].page == 1
    assert tables[0].cells == first + second[1:]  # the repeated header row is dropped
    assert tables[0].caption == "Delivery plan"


def test_last_row_of_a_table_alone_on_the_next_page_joins_it(tmp_path: Path) -> None:
    rows = [["Action", "Responsible officer", "Timescale"], ["Launch the campaign", "Head of Service", "May 2025"],
            ["Review pay", "HR Business Partner", "June 2025"]]
    last = [["Review caseload weighting", "Service Manager", "July 2025"]]
    pages = [table_cells(rows, top=200), table_cells(last, top=800) + [(50, 700, 11, "Financial implications")]]
    path = tmp_path / "one-row-over.pdf"
    path.write_bytes(make_pdf(pages, rules=[table_rules(len(rows), top=200), table_rules(1, top=800)]))
    [table] = tables_of(pdf_to_items(path))
    assert table.pages == [1, 2] and table.cells == rows + last


def test_bullets_drawn_as_shapes_start_list_items(tmp_path: Path) -> None:
    """Browsers' print to PDF draws a list's discs as filled paths, not as glyphs."""
    items = ["Recruit a further 15 newly qualified social workers by October 2024.",
             "Reduce the use of agency social workers to below 10% by March 2025."]
    ops = [b"BT /F1 11 Tf 1 0 0 1 50 760 Tm (Next steps) Tj ET"]
    for i, text in enumerate(items):
        y = 740 - 14 * i
        ops += [b"%g %g 3 3 re f" % (62, y + 3), b"BT /F1 11 Tf 1 0 0 1 72 %g Tm (%s) Tj ET" % (y, text.encode())]
    path = tmp_path / "drawn-bullets.pdf"
    path.write_bytes(make_pdf(streams=[b"\n".join(ops)]))
    blocks = items_to_blocks(pdf_to_items(path).items)
    assert [(b.kind, b.marker, b.text) for b in blocks[1:]] == [(BlockKind.LIST_ITEM, "•", t) for t in items]


def test_table_without_rules_is_found_and_lists_are_not(tmp_path: Path) -> None:
    grid = [["Team", "2021", "2022", "2023"]] + [[f"Team {t}", "12", "15", "9"] for t in "ABCD"]
    runs = [(50, 760, 11, "Staff in post by team, as counted each March.")]
    runs += [(50 + 120 * c, 730 - 16 * r, 10, text) for r, row in enumerate(grid) for c, text in enumerate(row)]
    runs += [(50, 620, 11, "The figures show a steady rise.")]
    runs += [(50, 590 - 16 * i, 11, "\u2022") for i in range(4)] + [(68, 590 - 16 * i, 11, f"point {i}") for i in range(4)]
    runs += [(50, 500 - 16 * i, 11, f"3.{i}") for i in range(4)] + [(80, 500 - 16 * i, 11, f"Paragraph {i} text") for i in range(4)]
    path = tmp_path / "unruled.pdf"
    path.write_bytes(make_pdf([runs]))
    items = pdf_to_items(path).items
    assert [i.text for i in items[:1]] == ["Staff in post by team, as counted each March."]
    table = items[1]
    assert isinstance(table, Block) and table.kind == BlockKind.TABLE and table.cells == grid
    assert table.caption == "Staff in post by team, as counted each March."
    assert [i.text for i in items[2:4]] == ["The figures show a steady rise.", "\u2022 point 0"]
    assert len(tables_of(pdf_to_items(path))) == 1


# --- bad input ----------------------------------------------------------------------------


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(UnreadableDocument, match="empty file") as e:
        pdf_to_items(path)
    assert e.value.path == str(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    path = tmp_path / "truncated.pdf"
    path.write_bytes((CORPUS / SEFTON).read_bytes()[:40_000])
    with pytest.raises(UnreadableDocument, match="corrupt or unparseable PDF"):
        pdf_to_items(path)


def test_garbage_after_pdf_header(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(UnreadableDocument, match="corrupt or unparseable PDF"):
        pdf_to_items(path)


def test_html_saved_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_text("<!DOCTYPE html>\n<html><head><title>Report</title></head><body>Moved</body></html>")
    with pytest.raises(UnreadableDocument, match="not a PDF: it is an HTML page"):
        pdf_to_items(path)


def test_other_file_saved_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(b"PK\x03\x04 a zip file")
    with pytest.raises(UnreadableDocument, match=r"not a PDF \(no %PDF- header\)"):
        pdf_to_items(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(make_pdf([[(50, 700, 12, "Only for those with the password")]], password="secret"))
    with pytest.raises(UnreadableDocument, match="encrypted PDF"):
        pdf_to_items(path)
    # A real encrypted file: the password opens it.
    with pdfplumber.open(path, password="secret") as pdf:
        assert pdf.pages[0].extract_text() == "Only for those with the password"


def test_encrypted_with_empty_user_password_reads(tmp_path: Path) -> None:
    # Many published PDFs are encrypted only to restrict printing or copying: no password needed.
    path = tmp_path / "restricted.pdf"
    path.write_bytes(make_pdf([[(50, 700, 12, "Anyone may read this")]], password=""))
    assert [i.text for i in pdf_to_items(path).items] == ["Anyone may read this"]


def test_image_only_pdf(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (400, 300), "white").save(path)
    # Tesseract reads a blank page as no words; without it, the error says how to install it.
    with pytest.raises(UnreadableDocument, match="no text layer(, and OCR found no words| .*apt-get install tesseract-ocr)"):
        pdf_to_items(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument, match="no such file"):
        pdf_to_items(tmp_path / "absent.pdf")


def test_limits(tmp_path: Path) -> None:
    path = CORPUS / SEFTON
    with pytest.raises(DocumentTooLarge, match="MB limit"):
        pdf_to_items(path, {"max_file_mb": 0.001})
    with pytest.raises(DocumentTooLarge, match="8 pages is over the 5 page limit"):
        pdf_to_items(path, {"max_pages": 5})
    with pytest.raises(ExtractionTimeout, match="took longer than"):
        pdf_to_items(path, {"timeout_s": 1e-9})


# --- settings -----------------------------------------------------------------------------


def test_settings_resolve() -> None:
    assert ExtractSettings.resolve(None) == ExtractSettings()
    settings = ExtractSettings(max_pages=10)
    assert ExtractSettings.resolve(settings) is settings
    assert ExtractSettings.resolve({"max_pages": 10, "timeout_s": 5}).timeout_s == 5


@pytest.mark.parametrize("overrides, name", [
    ({"max_pages": 0}, "max_pages"), ({"max_file_mb": -1}, "max_file_mb"),
    ({"header_footer_min_share": 1.5}, "header_footer_min_share"), ({"engine": "ocr"}, "engine"),
    ({"max_pages": "many"}, "max_pages"), ({"no_such_setting": 1}, "no_such_setting"),
])
def test_settings_validation(overrides: dict, name: str) -> None:
    with pytest.raises(ValueError, match=f"Extract setting '{name}'"):
        ExtractSettings.resolve(overrides)


@pytest.mark.parametrize("box", [b"/MediaBox [0 R 595 842]", b"/MediaBox [0 /x 595 842]"])
def test_issue_fuzz_corrupt_mediabox_is_refused_not_raised_twice(tmp_path: Path, box: bytes) -> None:
    """Found by bench/bench_fuzz.py: pdfplumber's close() re-read the broken page tree and its
    PdfminerException / IndexError escaped in place of the refusal."""
    path = tmp_path / "box.pdf"
    path.write_bytes(make_pdf([[(50, 700, 12, "Hello world")]]).replace(b"/MediaBox [0 0 595 842]", box))
    with pytest.raises(UnreadableDocument, match="corrupt or unparseable PDF"):
        pdf_to_items(path)


def test_a_zero_width_space_between_words_is_kept_in_its_place(tmp_path: Path) -> None:
    """Browsers' PDFs space words by positioning, which PDFium reports as a zero-width space
    at the next word's start: it must not land inside that word ("h ave", "2 2")."""
    ops = b"BT /F1 11 Tf 1 0 0 1 50 700 Tm [(three of whom) -278 (have stayed, of) -278 (22.)] TJ ET"
    path = tmp_path / "positioned.pdf"
    path.write_bytes(make_pdf(streams=[ops]))
    for engine in ("pdfium", "pdfplumber"):
        assert [line.text for line in lines_of(pdf_to_items(path, {"engine": engine}))] == [
            "three of whom have stayed, of 22."], engine


def test_two_columns_of_drawn_bullets_from_the_top_of_the_page(tmp_path: Path) -> None:
    """Browsers print a page's body from close under its top edge, and draw bullets as dots
    smaller than the type: each column is still read on its own, a dot with its line."""
    left = [f"The team recruited {n} more social workers" for n in ("two", "four", "six", "eight", "ten", "twelve")]
    right = [f"Recruit {n} more social workers next year" for n in ("one", "three", "five", "seven", "nine", "eleven")]
    ops = []
    for i, (a, b) in enumerate(zip(left, right)):
        y = 810 - 14 * i  # from inside the top 12% of an 842-point page
        for x, text in ((60, a), (320, b)):
            ops += [b"%g %g 3 3 re f" % (x - 10, y + 2),
                    b"BT /F1 9 Tf 1 0 0 1 %g %g Tm (%s) Tj ET" % (x, y, text.encode())]
    path = tmp_path / "columns.pdf"
    path.write_bytes(make_pdf(streams=[b"\n".join(ops)]))
    blocks = items_to_blocks(pdf_to_items(path).items)
    assert [(b.kind, b.marker, b.text) for b in blocks] == [(BlockKind.LIST_ITEM, "•", t) for t in left + right]
