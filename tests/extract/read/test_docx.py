"""Word files: headings by style, list items numbered as Word prints them, tables with merged
cells; the same passages give the same records as the web page and the PDF made from them."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from extract.errors import UnreadableDocument
from extract.pipeline import extract_document
from extract.read.docx import docx_to_document
from schemas import BlockKind
from tests import formats


def _action_plan(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Workforce Action Plan 2025"
    document.add_heading("Workforce Action Plan 2025", level=1)
    contents = document.styles.add_style("TOC 1", 1)  # WD_STYLE_TYPE.PARAGRAPH
    document.add_paragraph("Recruitment\t2", style=contents)
    _in_content_control(document.add_paragraph("Prepared by the Workforce Development Team."))
    document.add_heading("Recruitment", level=2)
    document.add_paragraph("Our recruitment actions are:")
    for text in ("Launch a social work academy.", "Recruit 10 apprentices.", "Review the market supplement."):
        document.add_paragraph(text, style="List Number")
    outline = _outline_list(document)
    for level, text in ((0, "Review caseloads."), (1, "Case holding teams first."), (1, "Then the others."),
                        (0, "Report to the board.")):
        _numbered(document.add_paragraph(text), outline, level)
    document.add_paragraph("Every team has a named lead.", style="List Bullet")
    document.add_page_break()
    document.add_heading("Measures", level=2)
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["Measure", "2023/24", "2024/25"], ["Agency social workers", "41", "30"],
                             ["Vacancy rate", "18%", "14%"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = document.add_table(rows=2, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Team"
    merged.cell(0, 2).text = "Lead"
    merged.cell(1, 0).text = "Assessment"
    merged.cell(1, 1).text = "North"
    merged.cell(1, 2).text = "Head of Service"
    document.save(path)
    return path


def _in_content_control(paragraph) -> None:
    """Move the paragraph into a content control (w:sdt), as templates hold cover-page fields."""
    from docx.oxml import parse_xml

    sdt = parse_xml('<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    '<w:sdtContent/></w:sdt>')
    paragraph._p.addprevious(sdt)
    sdt[0].append(paragraph._p)


def _outline_list(document) -> int:
    """A list numbered "4." at its first level and "(a)" at its second, as Word writes one."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return 90


def _numbered(paragraph, num_id: int, level: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_numId().val = num_id
    num_pr.get_or_add_ilvl().val = level


def test_headings_lists_and_tables_as_word_gives_them(tmp_path):
    word = docx_to_document(_action_plan(tmp_path / "plan.docx"))
    assert word.title == "Workforce Action Plan 2025"
    headings = [(b.level, b.text) for b in word.blocks if b.kind == BlockKind.HEADING]
    assert headings == [(1, "Workforce Action Plan 2025"), (2, "Recruitment"), (2, "Measures")]
    # The contents line is left out; the paragraph in a content control is read in its place.
    assert [b.text for b in word.blocks[:3]] == ["Workforce Action Plan 2025",
                                                 "Prepared by the Workforce Development Team.", "Recruitment"]
    items = [(b.marker, b.indent, b.text) for b in word.blocks if b.kind == BlockKind.LIST_ITEM]
    assert items == [("1.", 0.0, "Launch a social work academy."), ("2.", 0.0, "Recruit 10 apprentices."),
                     ("3.", 0.0, "Review the market supplement."), ("4.", 0.0, "Review caseloads."),
                     ("(a)", 1.0, "Case holding teams first."), ("(b)", 1.0, "Then the others."),
                     ("5.", 0.0, "Report to the board."), ("•", 0.0, "Every team has a named lead.")]
    assert all(b.heading_path == ["Workforce Action Plan 2025", "Recruitment"] for b in word.blocks
               if b.kind == BlockKind.LIST_ITEM)
    tables = [b for b in word.blocks if b.kind == BlockKind.TABLE]
    assert tables[0].cells[1] == ["Agency social workers", "41", "30"]
    assert tables[1].cells[0] == ["Team", None, "Lead"]  # a merged cell in its first slot
    assert word.pages == 2 and tables[0].page == 2  # after the page break


def test_the_same_passages_give_the_same_records_as_html_and_pdf(tmp_path):
    from_word = extract_document(formats.write_docx(tmp_path / "plan.docx"))
    (tmp_path / "plan.html").write_bytes(formats.as_html())
    (tmp_path / "plan.pdf").write_bytes(formats.as_pdf())
    expected = formats.records(extract_document(tmp_path / "plan.pdf"))
    assert len(expected) == 4
    assert formats.records(from_word) == expected
    assert formats.records(extract_document(tmp_path / "plan.html")) == expected
    for action in from_word.actions:
        assert from_word.document.text[action.char_start:action.char_end] == action.text


def _truncated(path: Path) -> Path:
    data = formats.write_docx(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _renamed_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    return path


@pytest.mark.parametrize("make, reason", [
    (_truncated, "not a Word document"),
    (_renamed_zip, "not a Word document"),
    (lambda p: p.write_bytes(b"") or p, "empty file"),
])
def test_a_broken_docx_is_refused_in_one_line(tmp_path, make, reason):
    path = make(tmp_path / "broken.docx")
    with pytest.raises(UnreadableDocument, match=reason) as caught:
        extract_document(path)
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)


def test_a_legacy_doc_file_is_refused_saying_what_to_do(tmp_path):
    path = tmp_path / "minutes.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(UnreadableDocument, match=r"minutes.doc: a legacy Word .doc file .*save it as .docx or PDF"):
        extract_document(path)
