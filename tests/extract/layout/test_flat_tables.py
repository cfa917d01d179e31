"""Flattened tables in text blocks -> table blocks, on passages in the forms councils print."""
from __future__ import annotations

from dataclasses import replace

import pytest

from extract.layout.blocks import items_to_blocks
from extract.layout.flat_tables import flat_tables, with_flat_tables
from extract.records.metrics import tables_to_metrics
from extract.read.text import text_to_items
from schemas import Block, BlockKind

# An FOI answer whose table the text dump printed one cell per line: a "Not held" cell, and
# two cells run together where the dump lost the break ("12.5%Not held", "8.1%Children's").
FLAT_FOI = """\
Response
The council holds this information for the last two financial years only, as set out below.
Financial Year
Agency Rate
Average Caseload
Vacancy Rate
2021/22
Children's Services 18.5%
Adult Services 9.0%Not held
Children's Services 21.0%
Adult Services 12.5%
2022/23
Children's Services 15.2%
Adult Services 8.1%Not held
Children's Services 19.4%
Adult Services 11.0%
"""

EXPECTED = [
    ("agency rate", "Children's Services", "FY 2021/22", 18.5), ("agency rate", "Adult Services", "FY 2021/22", 9.0),
    ("agency rate", "Children's Services", "FY 2022/23", 15.2), ("agency rate", "Adult Services", "FY 2022/23", 8.1),
    ("vacancy rate", "Children's Services", "FY 2021/22", 21.0), ("vacancy rate", "Adult Services", "FY 2021/22", 12.5),
    ("vacancy rate", "Children's Services", "FY 2022/23", 19.4), ("vacancy rate", "Adult Services", "FY 2022/23", 11.0),
]


def _blocks(text: str) -> list[Block]:
    return items_to_blocks(text_to_items(text))


def _para(text: str) -> Block:
    return Block(kind=BlockKind.PARAGRAPH, text=text, page=1)


def test_flattened_table_read_from_a_text_dump():
    tables = [t for b in _blocks(FLAT_FOI) for t in flat_tables(b)]
    assert len(tables) == 1
    assert tables[0].cells == [
        ["Financial Year", None, "Agency Rate", "Average Caseload", "Vacancy Rate"],
        ["2021/22", "Children's Services", "18.5%", "Not held", "21.0%"],
        ["2021/22", "Adult Services", "9.0%", "Not held", "12.5%"],
        ["2022/23", "Children's Services", "15.2%", "Not held", "19.4%"],
        ["2022/23", "Adult Services", "8.1%", "Not held", "11.0%"],
    ]


def test_flattened_table_gives_one_metric_per_figure():
    result = tables_to_metrics(_blocks(FLAT_FOI), document_id="t", council=None)
    got = sorted((m.measure, m.dimension, m.period, m.value) for m in result.metrics)
    assert got == sorted(EXPECTED)
    assert {m.unit for m in result.metrics} == {"percent"}


def test_labels_in_lower_case_are_one_breakdown_and_a_cut_last_cell_is_skipped():
    block = _para("Year Turnover rate Sickness rate 2022/2023 North 11.0% South 6.2% all 9.5%North 4.42 "
                  "South 8.58 Al")
    cells = flat_tables(block)[0].cells
    assert cells[1:] == [["2022/2023", "North", "11.0%", "4.42"], ["2022/2023", "South", "6.2%", "8.58"],
                         ["2022/2023", "All", "9.5%", None]]
    metrics = tables_to_metrics([block], document_id="t", council=None).metrics
    assert {(m.measure, m.period, m.unit) for m in metrics if m.value == 4.42} == {
        ("sickness rate", "FY 2022/23", "rate (unit not printed)")}


def test_table_block_placed_after_its_block_which_is_unchanged():
    blocks = [_para("Staffing"), _para("Year SW turnover rate SW agency rate 2021/22 North 12% South 9% "
                                       "North 20% South 14%"), _para("Next section.")]
    before = [replace(b) for b in blocks]
    out = with_flat_tables(blocks)
    assert [b.kind for b in out] == [BlockKind.PARAGRAPH] * 2 + [BlockKind.TABLE, BlockKind.PARAGRAPH]
    assert out[2].cells[0] == ["Year", None, "SW turnover rate", "SW agency rate"]
    assert blocks == before


@pytest.mark.parametrize("text", [
    # figures in prose
    "In 2021/22 the vacancy rate rose 6% to 28%, while 32 social workers were recruited and 36 left. "
    "In 2022/23 the average caseload fell from 15 to 13.9 per FTE.",
    # a request list and an empty request table (row labels, no figures)
    "1. Social work staff turnover rate (i.e., number of staff who left / total staff) for 2021/22.",
    "Year SW turnover rate SW agency rate SW vacancy rate 2019/2020 2020/2021 2021/2022 2022/2023",
    # labelled figures with no label repeated: not a table
    "Year Agency rate 2021/22 Children's 18% 2022/23 Adults 12%",
    # a year range, then figures
    "Agency spend 2020/21 to 2022/23 was £2.1m against a budget of £1.4m.",
])
def test_no_table_from_prose_or_lists(text):
    assert flat_tables(_para(text)) == []
    assert tables_to_metrics([_para(text)], document_id="t", council=None).metrics == []


def test_fewer_column_headers_than_cells_is_not_read():
    assert flat_tables(_para("Year Agency 2021/22 North 12% South 9% North 20% South 14%")) == []


def test_heading_run_into_the_header_is_the_caption():
    table = flat_tables(_para("Social work workforce Year Agency rate Vacancy rate 2023/24 Children in Care 12% "
                              "Leaving Care 9% Children in Care 20% Leaving Care 14%"))[0]
    assert table.caption == "Social work workforce"
    assert table.cells[0] == ["Year", None, "Agency rate", "Vacancy rate"]
    assert table.cells[1] == ["2023/24", "Children in Care", "12%", "20%"]


# An FOI reply whose table the dump printed one cell per line, each cell a bare figure: the
# corner cell, one header per line, then rows of a year and one figure per column. The lines are
# short beside the request's, so the reader keeps each as a block of its own.
LINE_FOI = "\n".join([
    "Request:",
    "Please tell me, for the last two financial years, how many qualified social workers the council employed in "
    "its children's services, the turnover rate among them, and how much it spent on agency staff in each year.",
    "Response:",
    "The council holds this information, which is set out below for each of the two years.",
    "Year",
    "Qualified social workers in post",
    "Turnover rate",
    "Spend on agency staff",
    "2019/20",
    "1,140",
    "17.5%",
    "£3.4m",
    "2020/21",
    "1,185",
    "15.0%",
    "£4.1m",
    "Please contact us if you need anything further.",
])


def _line_blocks(*lines: str) -> list[Block]:
    return [Block(kind=BlockKind.PARAGRAPH, text=t, page=1, seq=i) for i, t in enumerate(lines)]


def test_table_printed_one_bare_cell_per_line_is_read():
    tables = [b for b in with_flat_tables(_blocks(LINE_FOI)) if b.kind == BlockKind.TABLE]
    assert [t.cells for t in tables] == [[
        ["Year", "Qualified social workers in post", "Turnover rate", "Spend on agency staff"],
        ["2019/20", "1,140", "17.5%", "£3.4m"],
        ["2020/21", "1,185", "15.0%", "£4.1m"],
    ]]


def test_one_cell_per_line_table_gives_a_metric_per_figure_with_the_unit_its_cells_print():
    blocks = _line_blocks("Year", "Leavers", "Vacancy rate", "Agency spend",
                          "2021/22", "42", "9.5%", "£850k", "2022/23", "37", "8.0%", "£610k")
    got = {(m.measure, m.period, m.value, m.unit)
           for m in tables_to_metrics(blocks, document_id="d", council="Testshire").metrics}
    assert got == {("leavers", "FY 2021/22", 42, "people"), ("vacancy rate", "FY 2021/22", 9.5, "percent"),
                   ("agency spend", "FY 2021/22", 850, "£k"), ("leavers", "FY 2022/23", 37, "people"),
                   ("vacancy rate", "FY 2022/23", 8.0, "percent"), ("agency spend", "FY 2022/23", 610, "£k")}


@pytest.mark.parametrize("lines", [
    # a row short of a cell: which column lost its figure is not known
    ("Year", "Leavers", "Starters", "2021/22", "42", "2022/23", "37", "40"),
    # a numbered list and a request's questions under a "Year" line
    ("Year", "1", "2", "3", "2021/22", "4", "5"),
    ("Year", "Please provide the number of leavers.", "Please provide the spend.", "2021/22", "42", "£1m",
     "2022/23", "37", "£2m"),
    # prose: figures inside words
    ("Year", "Leavers", "Starters", "2021/22", "42 left the service", "50 joined", "2022/23", "37", "40"),
    # one row is no grid
    ("Year", "Leavers", "Starters", "2021/22", "42", "50"),
])
def test_no_one_cell_per_line_table_from_incomplete_rows_lists_or_prose(lines):
    assert not [b for b in with_flat_tables(_line_blocks(*lines)) if b.kind == BlockKind.TABLE]


def test_a_reply_of_short_lines_keeps_each_line_a_cell_and_its_financial_year_table_is_read():
    text = ("Anytown Council\nInformation request response\n\nSocial worker workforce data\n\n"
            "Financial year\nNumber of social workers (FTE)\nNumber of agency social workers (FTE)\n"
            "2022-23\n410.5\n96.0\n2023-24\n432.0\n81.5\n")
    blocks = with_flat_tables(items_to_blocks(text_to_items(text)))
    assert [b.text for b in blocks[:3]] == ["Anytown Council", "Information request response",
                                            "Social worker workforce data"]
    table, = [b for b in blocks if b.kind == BlockKind.TABLE]
    assert table.cells == [["Financial year", "Number of social workers (FTE)", "Number of agency social workers (FTE)"],
                           ["2022-23", "410.5", "96.0"], ["2023-24", "432.0", "81.5"]]
    metrics = tables_to_metrics([table], document_id="t", council=None).metrics
    assert sorted((m.measure, m.period, m.value) for m in metrics) == [
        ("agency social workers FTE", "FY 2022/23", 96.0), ("agency social workers FTE", "FY 2023/24", 81.5),
        ("social workers FTE", "FY 2022/23", 410.5), ("social workers FTE", "FY 2023/24", 432.0)]
