"""Table blocks -> metrics, on the real 002 tables (PDF and text) and small hand-made shapes."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from extract.layout.blocks import items_to_blocks
from extract.records.metrics import (
    cell_number, fy_label, measure_from_text, merge_split_tables, month_number,
    tables_to_metrics, unit_for,
)
from extract.read.pdf import pdf_to_items
from extract.read.text import read_text_file, text_to_items
from schemas import Block, BlockKind
from tests.pdfs import make_pdf

ROOT = Path(__file__).resolve().parents[3]
PDF_002 = ROOT / "corpus" / "002_c2b6556e76a60ddc.pdf"
TXT_002 = ROOT / "tests" / "data" / "002_c2b6556e76a60ddc.txt"


def pdf_table_blocks(path: Path, pages: tuple[int, ...]) -> list[Block]:
    """Ruled tables as pdfplumber finds them, captioned with the line printed just above."""
    blocks = []
    with pdfplumber.open(path) as pdf:
        for number in pages:
            page = pdf.pages[number - 1]
            lines = page.extract_text_lines()
            for table in page.find_tables():
                above = [line["text"] for line in lines if line["bottom"] <= table.bbox[1] + 1]
                blocks.append(Block(kind=BlockKind.TABLE, text="", page=number, cells=table.extract(),
                                    caption=above[-1] if above else None, pages=[number]))
    return blocks


def raw_tab_blocks(path: Path) -> list[Block]:
    """Tab-separated runs of lines exactly as printed (title rows and trailing tabs kept)."""
    blocks: list[Block] = []
    current, caption = None, None
    for line in read_text_file(path).split("\n"):
        if line.count("\t") >= 2:
            if current is None:
                current = Block(kind=BlockKind.TABLE, text="", page=1, cells=[], caption=caption, pages=[1])
                blocks.append(current)
            current.cells.append([c.strip() or None for c in line.split("\t")])
        else:
            current = None
            caption = line.strip() or caption
    return blocks


@pytest.fixture(scope="module")
def pdf_tables() -> list[Block]:
    return pdf_table_blocks(PDF_002, (5, 8))


@pytest.fixture(scope="module")
def pdf_result(pdf_tables):
    return tables_to_metrics(pdf_tables, document_id="doc002", council="Wirral")


@pytest.fixture(scope="module")
def text_result():
    """Through the project's own text reader (every block, tables among them)."""
    blocks = items_to_blocks(text_to_items(read_text_file(TXT_002)))
    return tables_to_metrics(blocks, document_id="doc002", council="Wirral")


def keyed(metrics) -> dict[tuple, float]:
    return {(m.table_id, m.measure, m.dimension, m.period): m.value for m in metrics}


def series(metrics, table_id: str, dimension: str, measure: str = "agency staff in post") -> dict[str, float]:
    return {m.period: m.value for m in metrics
            if m.table_id == table_id and m.dimension == dimension and m.measure == measure}


def as_facts(metrics) -> set[tuple]:
    return {(m.measure, m.dimension, m.period, m.value, m.unit) for m in metrics}


# ---------------------------------------------------------------- small pure functions

@pytest.mark.parametrize("label,expected", [
    ("Apr", (4, None)), ("June", (6, None)), ("Sept", (9, None)), ("Apr-22", (4, 2022)),
    ("March 2023", (3, 2023)), ("Current Total", None), ("Marketing", None),
])
def test_month_number(label, expected):
    assert month_number(label) == expected


@pytest.mark.parametrize("text,expected", [
    ("FY 2022/23", ("FY 2022/23", 2022)), ("FY\n2021/22\nTotal", ("FY 2021/22", 2021)),
    ("2023-24", ("FY 2023/24", 2023)), ("2022/2023", ("FY 2022/23", 2022)),
    ("2019/23", None), ("Service Name", None),
])
def test_fy_label(text, expected):
    assert fy_label(text) == expected


@pytest.mark.parametrize("cell,expected", [
    ("53", 53.0), ("0.91", 0.91), ("1,234", 1234.0), ("12%", 12.0), (" 8.0 ", 8.0),
    ("N/A", None), ("", None), (None, None), ("-", None), ("Education", None), ("2021/22", None),
    ("£3.4m", 3.4), ("£850k", 850.0), ("4m", None), ("12 months", None),
])
def test_cell_number_never_guesses(cell, expected):
    assert cell_number(cell) == expected


def test_measure_from_caption_drops_counting_words_and_dates():
    assert measure_from_text("Number of agency staff in post (April 2022 – October 2023)") == "agency staff in post"
    assert measure_from_text("Lost Days per FTE") == "days lost per FTE"


@pytest.mark.parametrize("measure,unit", [
    ("agency staff in post", "people"), ("sickness days lost per FTE", "days per FTE"),
    ("staff turnover rate", "percent"), ("vacancies (%)", "percent"), ("meetings held", None),
    ("average caseload per social worker", "cases per worker"),
])
def test_unit_for(measure, unit):
    assert unit_for(measure) == unit


# ---------------------------------------------------------------- real ruled PDF tables

def test_ruled_pdf_tables_all_read(pdf_result):
    # four figure tables of page 5; the empty "Council Meeting | Date" form on page 8 stays raw
    assert len(pdf_result.metric_tables) == 4
    assert [b.page for b in pdf_result.kept_raw] == [8]
    assert len(pdf_result.metrics) == 224


def test_two_header_rows_fy_over_months(pdf_result):
    first = pdf_result.metric_tables[0].cells
    assert first[0][2] == "FY 2022/23" and first[1][2] == "Apr"
    tid = pdf_result.metrics[0].table_id
    cf = series(pdf_result.metrics, tid, "Children and Families")
    assert list(cf) == [f"2022-{m:02d}" for m in range(4, 13)] + [f"2023-{m:02d}" for m in range(1, 11)]
    assert cf["2022-04"] == 53 and cf["2023-03"] == 57 and cf["2023-04"] == 52 and cf["2023-10"] == 45
    assert {m.unit for m in pdf_result.metrics if m.table_id == tid} == {"people"}


def test_month_run_past_march_rolls_into_next_year(pdf_result):
    # one "FY 2021/22" header spans twenty months, Apr ... Mar, Apr ... Nov
    agency = [m for m in pdf_result.metrics if m.measure == "agency staff in post"]
    second_table = agency[-1].table_id
    assert second_table != agency[0].table_id
    cf = series(agency, second_table, "Children and Families")
    assert len(cf) == 20 and min(cf) == "2021-04" and max(cf) == "2022-11"
    assert cf["2021-04"] == 36 and cf["2022-03"] == 51 and cf["2022-04"] == 55
    # its caption is just "Agency": it takes the earlier table's measure
    assert pdf_result.metric_tables[1].caption == "Agency"


def test_blank_cells_give_no_value(pdf_result):
    tid = pdf_result.metrics[0].table_id
    cfe = series(pdf_result.metrics, tid, "Children, Family and Education")
    assert len(cfe) == 13 and max(cfe) == "2023-04"  # six blank cells at the end of the row
    early_help = series(pdf_result.metrics, tid, "Early Help and Prevention")
    assert len(early_help) == 17


def test_labelled_columns_keep_their_period(pdf_result):
    sick = [m for m in pdf_result.metrics if "sickness" in m.measure]
    assert {m.unit for m in sick} == {"days per FTE"}
    facts = as_facts(sick)
    unit = "days per FTE"
    assert ("sickness days lost per FTE", "Children and Families", "FY 2022/23", 14.9, unit) in facts
    assert ("sickness days lost per FTE", "Children and Families", "2023-04", 1.0, unit) in facts
    assert ("sickness days lost per FTE (year to date)", "Children and Families", "FY 2023/24", 8.0, unit) in facts
    assert ("projected sickness days lost per FTE", "Children and Families", "FY 2023/24", 13.7, unit) in facts
    assert ("sickness days lost per FTE", "Early Help and Prevention", "2022-11", 1.21, unit) in facts
    assert ("projected sickness days lost per FTE", "Children and Families", "FY 2022/23", 14.4, unit) in facts


def test_na_gives_no_value(pdf_result):
    projected = [m for m in pdf_result.metrics if m.measure.startswith("projected")]
    assert [m.dimension for m in projected] == ["Children and Families", "Children and Families"]
    assert len([m for m in pdf_result.metrics if "sickness" in m.measure]) == 37 + 41


def test_merged_first_column_label_does_not_become_the_dimension(pdf_result):
    # "Children, Family and Education" heads the merged Function Name column (None below it);
    # the dimension is the service on each row
    dims = {m.dimension for m in pdf_result.metrics}
    assert dims == {"Children and Families", "Children, Family and Education",
                    "Early Help and Prevention", "Education", "Modernisation and Support"}


def test_metric_ids_stable_and_unique(pdf_tables, pdf_result):
    again = tables_to_metrics(pdf_tables, document_id="doc002", council="Wirral")
    assert [m.id for m in again.metrics] == [m.id for m in pdf_result.metrics]
    assert len({m.id for m in pdf_result.metrics}) == len(pdf_result.metrics)
    assert {m.council for m in pdf_result.metrics} == {"Wirral"}


# ---------------------------------------------------------------- tab-separated text

def test_text_tables_give_the_pdf_figures(pdf_result, text_result):
    assert len(text_result.metrics) == 224
    assert as_facts(text_result.metrics) == as_facts(pdf_result.metrics)


def test_text_lone_fy_total_line_heads_first_value_column():
    # The text prints "FY 2022/23 Total" on its own line above the header, so each row holds
    # one more figure than the header names.
    blocks = raw_tab_blocks(TXT_002)
    sickness = [b for b in blocks if b.cells and b.cells[0][0] and b.cells[0][0].startswith("Sickness")]
    assert [c for c in sickness[0].cells[2] if c] == ["FY 2022/23 Total"]
    result = tables_to_metrics(sickness, document_id="t", council=None)
    facts = as_facts(result.metrics)
    assert len(result.metrics) == 37 + 41
    assert ("sickness days lost per FTE", "Children and Families", "FY 2022/23", 14.9, "days per FTE") in facts
    assert ("sickness days lost per FTE (year to date)", "Education", "FY 2022/23", 2.1, "days per FTE") in facts


def test_tab_separated_table_that_lost_its_columns_is_not_guessed():
    # Month columns with no year anywhere, and more figures than labels: nothing to date them
    block = Block(kind=BlockKind.TABLE, text="", page=1, caption="Number of agency staff in post", cells=[
        ["Service", "Apr", "May"],
        ["North", "4", "5", "6", "7"],
    ])
    result = tables_to_metrics([block], document_id="t", council=None)
    assert result.metrics == [] and result.kept_raw == [block]


# ---------------------------------------------------------------- split across pages

def _split(block: Block, at: int, repeat_header: bool) -> list[Block]:
    head = block.cells[:2] if repeat_header else []
    return [replace(block, cells=block.cells[:at], pages=[5]),
            replace(block, cells=head + block.cells[at:], page=6, pages=[6], caption=None)]


@pytest.mark.parametrize("repeat_header", [False, True])
def test_table_split_across_pages_is_merged(pdf_tables, pdf_result, repeat_header):
    first = pdf_tables[0]
    parts = _split(first, 4, repeat_header)
    merged = merge_split_tables(parts)
    assert len(merged) == 1 and merged[0].pages == [5, 6] and merged[0].cells == first.cells
    whole = tables_to_metrics([first], document_id="doc002", council="Wirral")
    split = tables_to_metrics(parts, document_id="doc002", council="Wirral")
    assert keyed(split.metrics) == keyed(whole.metrics)


def test_tables_on_one_page_or_with_new_headers_are_not_merged(pdf_tables):
    assert len(merge_split_tables(pdf_tables)) == len(pdf_tables)


# ---------------------------------------------------------------- hand-made shapes

def test_no_rules_table_with_centred_year_label():
    # A table with no rules read by word positions: blanks are "", the FY label sits over a
    # middle column, not the first month.
    block = Block(kind=BlockKind.TABLE, text="", page=3, caption="Social workers in post", cells=[
        ["", "", "", "FY 2023/24", "", ""],
        ["Team", "Jan", "Feb", "Mar", "Apr", "May"],
        ["Assessment", "10", "11", "", "12", "13"],
    ])
    # Jan-Mar left of "FY 2023/24" are read as that year's, so 2024; Apr rolls on into 2024/25
    result = tables_to_metrics([block], document_id="t", council=None)
    got = {m.period: m.value for m in result.metrics}
    assert got == {"2024-01": 10, "2024-02": 11, "2024-04": 12, "2024-05": 13}
    assert {m.unit for m in result.metrics} == {"people"}


def test_caption_range_dates_month_columns_without_a_year():
    block = Block(kind=BlockKind.TABLE, text="", page=2,
                  caption="Staff turnover (%) (September 2022 – December 2022)", cells=[
        ["Service", "Sep", "Oct", "Nov", "Dec"],
        ["Fostering", "3.5", "N/A", "4", "4.5"],
    ])
    result = tables_to_metrics([block], document_id="t", council=None)
    assert {m.period: m.value for m in result.metrics} == {"2022-09": 3.5, "2022-11": 4.0, "2022-12": 4.5}
    assert {(m.measure, m.unit) for m in result.metrics} == {("staff turnover", "percent")}


def test_single_label_column_merged_group_carried_down():
    block = Block(kind=BlockKind.TABLE, text="", page=1, caption="Number of vacancies", cells=[
        ["Team", "2022", "2023"],
        ["North", "4", "5"],
        [None, "6", "7"],
        ["South", "1", ""],
    ])
    result = tables_to_metrics([block], document_id="t", council=None)
    got = [(m.dimension, m.period, m.value) for m in result.metrics]
    assert got == [("North", "2022", 4), ("North", "2023", 5), ("North", "2022", 6),
                   ("North", "2023", 7), ("South", "2022", 1)]


def test_periods_down_the_side_measures_across_the_top():
    block = Block(kind=BlockKind.TABLE, text="", page=4, caption="Workforce profile", cells=[
        ["Year", "Turnover (%)", "Agency workers", "Vacancy rate"],
        ["2021/22", "14.5%", "53", "12%"],
        ["2022/23", "12.1%", "48", "N/A"],
    ])
    result = tables_to_metrics([block], document_id="t", council=None)
    assert [(m.measure, m.period, m.value, m.unit) for m in result.metrics] == [
        ("turnover", "FY 2021/22", 14.5, "percent"), ("turnover", "FY 2022/23", 12.1, "percent"),
        ("agency workers", "FY 2021/22", 53, "people"), ("agency workers", "FY 2022/23", 48, "people"),
        ("vacancy rate", "FY 2021/22", 12, "percent"),
    ]


def test_periods_down_the_side_with_a_breakdown_column():
    """A second label column is the breakdown; a rate printed without `%` keeps no guessed unit."""
    block = Block(kind=BlockKind.TABLE, text="", page=2, cells=[
        ["Year", None, "Vacancy rate", "Sickness rate"],
        ["2021/22", "Fostering", "12%", "4.1"],
        ["2021/22", "Adoption", "9%", None],
        ["2022/23", "Fostering", "10%", "3.8"],
    ])
    result = tables_to_metrics([block], document_id="t", council=None)
    assert [(m.measure, m.dimension, m.period, m.value, m.unit) for m in result.metrics] == [
        ("vacancy rate", "Fostering", "FY 2021/22", 12, "percent"),
        ("vacancy rate", "Adoption", "FY 2021/22", 9, "percent"),
        ("vacancy rate", "Fostering", "FY 2022/23", 10, "percent"),
        ("sickness rate", "Fostering", "FY 2021/22", 4.1, "rate (unit not printed)"),
        ("sickness rate", "Fostering", "FY 2022/23", 3.8, "rate (unit not printed)"),
    ]


@pytest.mark.parametrize("cells", [
    [["Council Meeting", "Date"], [None, None]],                      # an empty form
    [["Priority", "Lead"], ["Recruitment", "HR"]],                    # words only
    [["Team", "Social workers"], ["North", "12"], ["South", "9"]],     # no date-like column
])
def test_table_without_readable_meaning_kept_raw(cells):
    block = Block(kind=BlockKind.TABLE, text="", page=1, caption="Workforce", cells=cells)
    result = tables_to_metrics([block], document_id="t", council=None)
    assert result.metrics == [] and result.kept_raw == [block]


def test_non_table_blocks_are_ignored():
    para = Block(kind=BlockKind.PARAGRAPH, text="53 agency staff in April 2022", page=1)
    assert tables_to_metrics([para], document_id="t", council=None).kept_raw == []


# ---------------------------------------------------------------- small generated PDFs

def _page(caption: str | None, rows: list[list[str]], rules: str, top: float) -> bytes:
    """A content stream: caption line, cells in Helvetica, and `all`, `horizontal` or no rules.
    A blank header cell right of a label is merged into it (no rule between them)."""
    xs = [60.0, 180.0] + [180.0 + 40 * k for k in range(1, len(rows[0]))]
    ops = [f"BT /F1 11 Tf 60 {top + 20} Td ({caption}) Tj ET"] if caption else []
    for i, row in enumerate(rows):
        ops += [f"BT /F1 8 Tf {xs[j] + 2} {top - 16 * (i + 1) + 4} Td ({c}) Tj ET" for j, c in enumerate(row) if c]
    bottom = top - 16 * len(rows)
    if rules in ("all", "horizontal"):
        ops += [f"0.5 w 60 {top - 16 * i} m {xs[-1]} {top - 16 * i} l S" for i in range(len(rows) + 1)]
    if rules == "all":
        for j, x in enumerate(xs):
            merged = 1 < j < len(xs) - 1 and not rows[0][j]
            ops.append(f"0.5 w {x} {top - 16 if merged else top} m {x} {bottom} l S")
    return "\n".join(ops).encode("latin-1")


def _write_pdf(path: Path, streams: list[bytes]) -> Path:
    path.write_bytes(make_pdf(streams=streams))
    return path


SMALL_TABLE = [["", "FY 2023/24", "", "", ""], ["Service", "Apr", "May", "Jun", "Jul"],
               ["Fostering", "12", "11", "", "10"], ["Adoption", "4", "N/A", "5", "6"],
               ["Residential", "7", "8", "9", "9"], ["Leaving care", "3", "", "2", "2"]]
SMALL_EXPECTED = {("Fostering", "2023-04"): 12, ("Fostering", "2023-05"): 11, ("Fostering", "2023-07"): 10,
                  ("Adoption", "2023-04"): 4, ("Adoption", "2023-06"): 5, ("Adoption", "2023-07"): 6,
                  ("Residential", "2023-04"): 7, ("Residential", "2023-05"): 8,
                  ("Residential", "2023-06"): 9, ("Residential", "2023-07"): 9,
                  ("Leaving care", "2023-04"): 3, ("Leaving care", "2023-06"): 2, ("Leaving care", "2023-07"): 2}


def _pdf_metrics(path: Path):
    blocks = items_to_blocks(pdf_to_items(path).items)
    return blocks, tables_to_metrics(blocks, document_id="t", council=None)


def test_generated_ruled_pdf(tmp_path):
    pdf = _write_pdf(tmp_path / "ruled.pdf", [_page("Number of agency staff in post", SMALL_TABLE, "all", 760)])
    _, result = _pdf_metrics(pdf)
    assert {(m.dimension, m.period): m.value for m in result.metrics} == SMALL_EXPECTED
    assert {(m.measure, m.unit) for m in result.metrics} == {("agency staff in post", "people")}


def test_generated_pdf_table_split_across_pages(tmp_path):
    pages = [_page("Number of agency staff in post", SMALL_TABLE[:4], "all", 120),
             _page(None, SMALL_TABLE[4:], "all", 780)]
    blocks, result = _pdf_metrics(_write_pdf(tmp_path / "split.pdf", pages))
    assert {(m.dimension, m.period): m.value for m in result.metrics} == SMALL_EXPECTED
    assert [b.pages for b in result.metric_tables] == [[1, 2]]


@pytest.mark.parametrize("rules", ["horizontal", "none"])
def test_generated_pdf_without_vertical_rules(tmp_path, rules):
    pdf = _write_pdf(tmp_path / f"{rules}.pdf", [_page("Number of agency staff in post", SMALL_TABLE, rules, 760)])
    _, result = _pdf_metrics(pdf)
    assert {(m.dimension, m.period): m.value for m in result.metrics} == SMALL_EXPECTED


def test_generated_pdf_label_of_a_merged_group_is_carried_down(tmp_path):
    """`North` labels a cell merged over two rows: no rule under it in the label column."""
    rows = [["Team", "2022", "2023"], ["North", "4", "5"], ["", "6", "7"], ["South", "1", "2"]]
    xs, top = [60.0, 180.0, 220.0, 260.0], 760.0
    ops = ["BT /F1 11 Tf 60 780 Td (Number of vacancies) Tj ET"]
    for i, row in enumerate(rows):
        ops += [f"BT /F1 8 Tf {xs[j] + 2} {top - 16 * (i + 1) + 4} Td ({c}) Tj ET" for j, c in enumerate(row) if c]
    for i in range(len(rows) + 1):
        start = xs[1] if i == 2 else xs[0]  # the merged cell's inner border is not drawn
        ops.append(f"0.5 w {start} {top - 16 * i} m {xs[-1]} {top - 16 * i} l S")
    ops += [f"0.5 w {x} {top} m {x} {top - 16 * len(rows)} l S" for x in xs]
    _, result = _pdf_metrics(_write_pdf(tmp_path / "merged.pdf", ["\n".join(ops).encode("latin-1")]))
    assert [(m.dimension, m.period, m.value) for m in result.metrics] == [
        ("North", "2022", 4), ("North", "2023", 5), ("North", "2022", 6), ("North", "2023", 7),
        ("South", "2022", 1), ("South", "2023", 2)]


def test_a_number_grouped_by_spaces_is_one_number() -> None:
    from extract.records.metrics import cell_number

    assert [cell_number(c) for c in ["29 300", "1 234 567", "12.5%", "(1 200)", "12 34", "2022 2023"]] == [
        29300.0, 1234567.0, 12.5, -1200.0, None, None]
