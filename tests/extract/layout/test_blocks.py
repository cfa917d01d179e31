"""Layout blocks from the real documents (PDF and text) and from small hand-made inputs."""
from __future__ import annotations

import re

import pytest
from rapidfuzz import fuzz

from extract.layout.blocks import _HANGING, _hangs, blocks_to_text, items_to_blocks, join_lines
from extract.pipeline import read_blocks
from extract.records.priorities import priority_number
from extract.read.text import read_text_file, text_to_items
from schemas import BlockKind, Line
from tests.conftest import CORPUS, CORPUS_PDFS, DATA, SEED_TEXTS

WIRRAL = ["000_d0267cf840bad862", "001_e98010b9432bf09c"]
ALL_SOURCES = CORPUS_PDFS + SEED_TEXTS


@pytest.fixture(scope="module")
def blocks_of():
    cache: dict = {}

    def read(path):
        if path not in cache:
            cache[path] = read_blocks(path)[0]
        return cache[path]
    return read


def _lines(*texts: str, gap: float = 0) -> list[Line]:
    return [Line(text=t, x0=0, x1=len(t), gap_before=gap) for t in texts]


def test_hyphenation_is_repaired_and_compounds_keep_their_hyphen():
    assert join_lines("the develop-", "ment of staff") == "the development of staff"
    assert join_lines("a System-", "Wide approach") == "a System-Wide approach"
    assert join_lines("a non-", "statutory role") == "a non-statutory role"


@pytest.mark.parametrize("text, hangs", [
    ("the Workforce Strategy 2024 to", True), ("recruit and retain social workers and ", True),
    ("Children's Services &", True), ("our Academy –\n", True), ("THE SERVICE WILL WORK WITH", True),
    ("a; and", False), ("the social workers, to", False), ("the brand", False), ("a standard", False),
    ("the band-", True), ("to", True), ("", False),
])
def test_a_line_hangs_on_a_joining_word_or_dash_as_the_whole_pattern_says(text, hangs):
    assert _hangs(text) is hangs
    assert (_HANGING.search(text) is not None) is hangs


def test_mid_sentence_line_breaks_are_rejoined():
    blocks = items_to_blocks(_lines(
        "Our offer has been shared with all of the teams in the service and we are",
        "now collecting feedback from them about it.",
        "A new item starts here and it runs on for a while until the line is full",
        "and ends."))
    assert [b.text for b in blocks] == [
        "Our offer has been shared with all of the teams in the service and we are now collecting feedback "
        "from them about it.",
        "A new item starts here and it runs on for a while until the line is full and ends."]


@pytest.mark.parametrize("glyph", ["•", "\uf0b7", "▪", "o", "-", "–", "1.", "a)", "(ii)"])
def test_any_bullet_glyph_or_item_number_opens_a_list_item(glyph):
    blocks = items_to_blocks(_lines("Progress made so far includes:", f"{glyph} Recruited ten social workers",
                                    f"{glyph} Launched the new academy"))
    items = [b for b in blocks if b.kind == BlockKind.LIST_ITEM]
    assert [b.text for b in items] == ["Recruited ten social workers", "Launched the new academy"]
    assert all(b.heading_path == ["Progress made so far includes:"] for b in items)


def test_bullet_glyph_on_a_line_of_its_own_marks_the_next_line():
    blocks = items_to_blocks(_lines("Next steps:", "\uf0b7", "Review the offer annually."))
    assert blocks[-1].kind == BlockKind.LIST_ITEM and blocks[-1].text == "Review the offer annually."


def test_numbered_paragraphs_keep_their_number_and_dates_are_not_numbers():
    blocks = items_to_blocks(_lines(
        "3.5 The service has recruited staff in every team over the last year and more",
        "will follow.", "We had 24 newly qualified social workers in the programme as of",
        "31.8.23 there were more."))
    assert blocks[0].numbering == "3.5"
    assert len(blocks) == 2 and "as of 31.8.23 there were" in blocks[1].text


def test_tab_separated_lines_become_one_table_with_cells():
    items = text_to_items("Agency staff\n\nService\tApr\tMay\nChildren\t5\t6\nEducation\t\t7\n")
    table = items_to_blocks(items)[-1]
    assert table.kind == BlockKind.TABLE
    assert table.cells == [["Service", "Apr", "May"], ["Children", "5", "6"], ["Education", None, "7"]]


def test_cp1252_text_is_decoded(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes("Children’s services – update £250,000".encode("cp1252"))
    assert read_text_file(path) == "Children’s services – update £250,000"


def test_block_offsets_point_into_the_document_text():
    blocks = items_to_blocks(text_to_items((DATA / "001_e98010b9432bf09c.txt").read_text()))
    text = blocks_to_text(blocks)
    assert all(text[b.char_start:b.char_end] == b.text for b in blocks)


@pytest.mark.parametrize("path", ALL_SOURCES, ids=lambda p: p.name)
def test_running_header_is_in_no_block(path, blocks_of):
    blocks = blocks_of(path)
    assert blocks, "no blocks"
    assert not any("Workforce Strategy – version 2 – January 2022" in b.text for b in blocks)


@pytest.mark.parametrize("path", [p for p in ALL_SOURCES if p.stem in WIRRAL], ids=lambda p: p.name)
def test_wirral_priority_bullets_are_list_items_under_their_priority(path, blocks_of):
    blocks = blocks_of(path)
    in_priority = [b for b in blocks if b.kind == BlockKind.LIST_ITEM
                   and any(priority_number(h) for h in b.heading_path)]
    assert len(in_priority) >= 15
    numbers = {priority_number(h)[0] for b in in_priority for h in b.heading_path if priority_number(h)}
    assert numbers >= {1, 2, 3, 5}


def _list_items(blocks) -> list[str]:
    return [re.sub(r"\s+", " ", b.text) for b in blocks if b.kind == BlockKind.LIST_ITEM]


@pytest.mark.parametrize("stem", [p.stem for p in CORPUS_PDFS])
def test_pdf_and_text_of_a_document_give_the_same_list_items(stem, blocks_of):
    pdf_items = _list_items(blocks_of(CORPUS / f"{stem}.pdf"))
    text_items = _list_items(blocks_of(DATA / f"{stem}.txt"))
    if not text_items:
        pytest.skip("no list items in this document")
    matched = sum(1 for t in text_items if any(fuzz.ratio(t, p) >= 90 for p in pdf_items))
    assert matched / len(text_items) >= 0.95, (matched, len(text_items))


def test_sefton_action_table_is_one_table_of_header_and_six_rows(blocks_of):
    tables = [b for b in blocks_of(CORPUS / "003_d80c8cc1c9b6dc28.pdf") if b.kind == BlockKind.TABLE]
    action_tables = [t for t in tables if t.cells and "Action" in (t.cells[0][0] or "")]
    assert len(action_tables) == 1
    cells = action_tables[0].cells
    assert len(cells) == 7 and all(len(row) == 3 for row in cells)
    assert [c for c in cells[0]] == ["Action", "Lead", "By when"]


def test_wirral_agency_staff_tables_are_table_blocks(blocks_of):
    for path in (CORPUS / "002_c2b6556e76a60ddc.pdf", DATA / "002_c2b6556e76a60ddc.txt"):
        tables = [b for b in blocks_of(path) if b.kind == BlockKind.TABLE]
        assert sum("Children and Families" in t.text for t in tables) >= 2, path.name


def test_a_repeated_question_label_is_a_heading_not_a_running_header():
    section = "What more do we need to do?\n\nKeep the practice forums going every week this year.\n\n"
    blocks = items_to_blocks(text_to_items(section * 3))
    assert [b.text for b in blocks if b.kind == BlockKind.HEADING] == ["What more do we need to do?"] * 3


def test_an_indented_full_line_after_an_unfinished_one_runs_on_but_a_short_one_is_a_heading():
    # Text dumps start a page's first line with a space: mid-sentence, that is no new block.
    text = ("We will grow practice education in every team so that each student has a placement with Practice\n"
            " Educators who have the time and the training to support them through it and through their\n"
            "studies.\n"
            "\n"
            "The plan is reviewed each quarter by the service leadership team with partners and with the\n"
            "children\n"
            " Next steps\n")
    assert [(b.kind, b.text[-20:]) for b in items_to_blocks(text_to_items(text))] == [
        (BlockKind.PARAGRAPH, "rough their studies."), (BlockKind.PARAGRAPH, "nd with the children"),
        (BlockKind.HEADING, "Next steps")]


def test_committee_report_numbered_sections_are_headings_and_a_priority_closes_a_list():
    text = ("1. Purpose of this report\n\n1.1 To update the committee on the workforce strategy.\n\n"
            "2. Main issues\n\nPriority 1: Recruitment\n\nNext steps:\n\n"
            "\u2022 The Workforce Development Manager will review the exit interview process.\n\n"
            "Priority 2: Retention\n\nWhat we have achieved:\n\n\u2022 Caseloads have reduced.\n")
    blocks = items_to_blocks(text_to_items(text))
    assert [(b.kind, b.numbering, b.text) for b in blocks if b.kind == BlockKind.HEADING] == [
        (BlockKind.HEADING, "1", "Purpose of this report"), (BlockKind.HEADING, "2", "Main issues"),
        (BlockKind.HEADING, "Priority 1", "Priority 1: Recruitment"), (BlockKind.HEADING, None, "Next steps:"),
        (BlockKind.HEADING, "Priority 2", "Priority 2: Retention"), (BlockKind.HEADING, None, "What we have achieved:")]
    assert [b.text for b in blocks if b.kind == BlockKind.LIST_ITEM] == [
        "The Workforce Development Manager will review the exit interview process.", "Caseloads have reduced."]


def test_numbered_section_lines_after_a_contents_list_are_headings_and_a_list_stays_a_list():
    text = ("Contents\n1. Introduction\n2. Our priorities\n3. How we will measure success\n\n"
            "1. Introduction\nThis strategy sets out how we will support our workforce.\n\n"
            "2. Our priorities\nPriority one: Attract\nWhat we will do:\n- Launch a recruitment website.\n"
            "3. How we will measure success\nWe aim to reduce agency use to 10% by March 2027.\n\n"
            "Our objectives are:\n\n1. Recruit a stable workforce\n\n2. Develop our managers\n\n"
            "The plan was agreed in 2024.\n")
    blocks = items_to_blocks(text_to_items(text))
    assert [(b.numbering, b.text) for b in blocks if b.kind == BlockKind.HEADING and b.numbering] == [
        ("1", "Introduction"), ("2", "Our priorities"), ("Priority one", "Priority one: Attract"),
        ("3", "How we will measure success")]
    assert [b.text for b in blocks if b.kind == BlockKind.LIST_ITEM] == [
        "Introduction", "Our priorities", "How we will measure success", "Launch a recruitment website.",
        "Recruit a stable workforce", "Develop our managers"]
    measure = next(b for b in blocks if b.text.startswith("We aim"))
    assert measure.heading_path[-1] == "How we will measure success"


def _styled(*rows: tuple[str, float, bool]) -> list[Line]:
    """PDF-like lines (text, font size, bold), 14 points apart, on one page."""
    return [Line(text=t, x0=50, x1=50 + 5.5 * len(t), top=60 + 14 * i, bottom=71 + 14 * i, size=size, bold=bold,
                 gap_before=3 if i else 0) for i, (t, size, bold) in enumerate(rows)]


def test_a_wrapped_title_is_one_heading_and_smaller_type_after_it_is_not_part_of_it():
    blocks = items_to_blocks(_styled(
        ("Children's Social Work Workforce Strategy 2024 to", 18, True), ("2027", 18, True),
        ("Kent County Council", 11, False),
        ("Our social workers make a real difference to the lives of children and families here.", 11, False)))
    assert [(b.kind, b.text) for b in blocks][:2] == [
        (BlockKind.HEADING, "Children's Social Work Workforce Strategy 2024 to 2027"),
        (BlockKind.HEADING, "Kent County Council")]


def test_a_heading_set_smaller_than_its_priority_sits_under_it():
    body = "We will recruit social workers to every team in the service and keep the ones we have."
    blocks = items_to_blocks(_styled(
        ("Priority 1: Recruitment", 14, True), ("What we will do", 12, True), (body, 11, False),
        ("Priority 2: Retention", 14, True), ("What we will do", 12, True), (body, 11, False)))
    paths = [b.heading_path for b in blocks if b.kind == BlockKind.PARAGRAPH]
    assert paths == [["Priority 1: Recruitment", "What we will do"], ["Priority 2: Retention", "What we will do"]]
