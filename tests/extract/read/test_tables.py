"""Tables without a full grid, found by pdfplumber's strategies, on PDFs the tests draw."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("reportlab")
from reportlab.pdfgen import canvas  # noqa: E402

from extract.pipeline import read_blocks  # noqa: E402
from schemas import Block, BlockKind  # noqa: E402

ENGINES = ["auto", "pdfplumber"]


def _tables(path: Path, engine: str) -> list[Block]:
    return [b for b in read_blocks(path, {"engine": engine})[0] if b.kind == BlockKind.TABLE]


def _texts(path: Path, engine: str) -> list[str]:
    return [b.text for b in read_blocks(path, {"engine": engine})[0] if b.kind != BlockKind.TABLE]


def _row(c: canvas.Canvas, xs: list[float], y: float, cells: list[str]) -> None:
    for x, text in zip(xs, cells):
        c.drawString(x, y, text)


def _rules_only_pdf(path: Path) -> Path:
    """A figures table ruled above, under its two-row header and below, with no vertical
    rules; its group headers are underlined by shorter rules."""
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica-Bold", 12)
    c.drawString(72, 770, "Table 2: Agency staff and vacancies by team")
    xs = [72, 220, 290, 360, 430]
    c.line(72, 755, 500, 755)
    c.setFont("Helvetica", 10)
    c.drawString(220, 742, "Agency staff")
    c.drawString(360, 742, "Vacancies")
    c.line(220, 738, 350, 738)
    c.line(360, 738, 500, 738)
    _row(c, xs, 726, ["Team", "2022", "2023", "2022", "2023"])
    c.line(72, 720, 500, 720)
    rows = [["Assessment", "12", "9", "7", "4"], ["Children in care", "8", "6", "5", "3"],
            ["Leaving care", "4", "2", "3", "1"], ["Fostering", "3", "1", "2", "0"]]
    for i, row in enumerate(rows):
        _row(c, xs, 706 - 16 * i, row)
    c.line(72, 642, 500, 642)
    c.drawString(72, 620, "Figures are headcounts at the end of March.")
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_horizontal_rules_only_table_with_a_two_row_header(tmp_path: Path, engine: str) -> None:
    pdf = _rules_only_pdf(tmp_path / "rules.pdf")
    [table] = _tables(pdf, engine)
    assert table.found_by == "rules_horizontal"
    assert table.cells == [
        [None, "Agency staff", None, "Vacancies", None],
        ["Team", "2022", "2023", "2022", "2023"],
        ["Assessment", "12", "9", "7", "4"],
        ["Children in care", "8", "6", "5", "3"],
        ["Leaving care", "4", "2", "3", "1"],
        ["Fostering", "3", "1", "2", "0"],
    ]
    assert table.boxes == [(1, 72.0, 86.89, 500.0, 199.89)]  # the rules, on an A4 page 841.89 high
    assert _texts(pdf, engine) == ["Table 2: Agency staff and vacancies by team",
                                   "Figures are headcounts at the end of March."]


def _ruleless_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 10)
    c.drawString(72, 770, "Caseloads by team")
    xs = [72, 250, 340, 430]
    rows = [["Team", "Social workers", "Cases", "Per worker"], ["Assessment", "14", "310", "22.1"],
            ["Safeguarding", "20", "360", "18.0"], ["Children in care", "16", "256", "16.0"],
            ["Leaving care", "9", "171", "19.0"]]
    for i, row in enumerate(rows):
        _row(c, xs, 745 - 16 * i, row)
    c.drawString(72, 640, "Caseloads fell in every team over the year, as the new posts were filled.")
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_ruleless_aligned_table_keeps_its_header_row(tmp_path: Path, engine: str) -> None:
    [table] = _tables(_ruleless_pdf(tmp_path / "aligned.pdf"), engine)
    assert table.found_by == "aligned_text"
    assert table.cells == [["Team", "Social workers", "Cases", "Per worker"],
                           ["Assessment", "14", "310", "22.1"], ["Safeguarding", "20", "360", "18.0"],
                           ["Children in care", "16", "256", "16.0"], ["Leaving care", "9", "171", "19.0"]]


MONTHS = ["April", "May", "June", "July", "August", "September", "October", "November", "December", "January"]


def _grid(c: canvas.Canvas, top: float, rows: list[list[str]]) -> None:
    xs = [72, 222, 322, 422]
    c.setFont("Helvetica", 10)
    for i, row in enumerate(rows):
        _row(c, [x + 4 for x in xs], top - 18 * i - 13, row)
    ys = [top - 18 * i for i in range(len(rows) + 1)]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])


def _continued_pdf(path: Path) -> Path:
    """A ruled table at the foot of page 1 that runs on, its header repeated, at the top of page 2."""
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 11)
    for i in range(20):
        c.drawString(72, 780 - 14 * i, f"Paragraph line {i + 1} about the workforce plan and its progress.")
    header = ["Month", "Agency", "Vacancies"]
    _grid(c, 480, [header] + [[m, str(10 + k), str(20 - k)] for k, m in enumerate(MONTHS)])
    c.showPage()
    _grid(c, 780, [header, ["February", "21", "9"], ["March", "22", "8"]])
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "The table shows each month's figures.")
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_table_continued_on_a_second_page_is_one_table_with_a_box_on_each(tmp_path: Path, engine: str) -> None:
    [table] = _tables(_continued_pdf(tmp_path / "continued.pdf"), engine)
    assert table.found_by == "ruled" and table.pages == [1, 2]
    assert [box[0] for box in table.boxes] == [1, 2]
    assert table.cells == [["Month", "Agency", "Vacancies"]] + \
        [[m, str(10 + k), str(20 - k)] for k, m in enumerate(MONTHS)] + [["February", "21", "9"], ["March", "22", "8"]]


def _chart_pdf(path: Path) -> Path:
    """A bar chart: a frame, grid lines, tick numbers, axis labels and a legend."""
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 11)
    c.drawString(72, 780, "Figure 1: Agency social workers by quarter")
    x0, y0, w, h = 100, 500, 360, 240
    c.rect(x0, y0, w, h)
    c.setFont("Helvetica", 8)
    for k in range(5):
        y = y0 + k * h / 4
        c.line(x0, y, x0 + w, y)
        c.drawRightString(x0 - 4, y - 3, str(k * 10))
    for k, (quarter, value) in enumerate([("Q1 2022", 32), ("Q2 2022", 28), ("Q3 2022", 25), ("Q4 2022", 19)]):
        c.rect(x0 + 30 + k * 85, y0, 40, value / 40 * h, fill=1)
        c.drawString(x0 + 30 + k * 85, y0 - 12, quarter)
    c.rect(x0 + w - 102, y0 + h - 14, 8, 8, fill=1)
    c.drawString(x0 + w - 90, y0 + h - 14, "Agency workers")
    c.setFont("Helvetica", 11)
    c.drawString(72, 460, "Agency use fell in every quarter of the year.")
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_chart_with_axis_labels_is_not_a_table(tmp_path: Path, engine: str) -> None:
    pdf = _chart_pdf(tmp_path / "chart.pdf")
    assert _tables(pdf, engine) == []
    assert _texts(pdf, engine)[-1] == "Agency use fell in every quarter of the year."


def _grouped_figures_pdf(path: Path) -> Path:
    """A ruled table of figures grouped by commas, one of them drawn with the comma's room
    left empty (no comma glyph), and a column of percentages."""
    c = canvas.Canvas(str(path))
    rows = [["Team", "Spend", "Turnover"], ["Assessment", "18,870", "12.5%"], ["Safeguarding", "", "9.0%"],
            ["Leaving care", "4,144", "14.25%"]]
    _grid(c, 700, rows)
    c.setFont("Helvetica", 10)
    x = 226
    c.drawString(x, 700 - 18 * 2 - 13, "98")
    c.drawString(x + c.stringWidth("98,", "Helvetica", 10), 700 - 18 * 2 - 13, "452")
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_numbers_keep_their_digits_and_percent_signs(tmp_path: Path, engine: str) -> None:
    [table] = _tables(_grouped_figures_pdf(tmp_path / "figures.pdf"), engine)
    assert table.cells == [["Team", "Spend", "Turnover"], ["Assessment", "18,870", "12.5%"],
                           ["Safeguarding", "98452", "9.0%"], ["Leaving care", "4,144", "14.25%"]]


def _rules_past_the_grid_pdf(path: Path) -> Path:
    """Rules across the whole table, vertical rules only between its inner columns: the
    stub column at the left and the last column have no rule beside them."""
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 10)
    ys = [700, 682, 664, 646]
    for y in ys:
        c.line(72, y, 500, y)
    for x in (160, 280, 400):
        c.line(x, ys[0], x, ys[-1])
    for y, row in zip([687, 669, 651], [["", "Agency", "Vacancies", "Leavers"], ["2022", "12", "7", "4"],
                                        ["2023", "9", "5", "3"]]):
        _row(c, [76, 164, 284, 404], y, row)
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_rules_running_past_the_vertical_rules_close_the_outer_columns(tmp_path: Path, engine: str) -> None:
    [table] = _tables(_rules_past_the_grid_pdf(tmp_path / "overhang.pdf"), engine)
    assert table.found_by == "ruled"
    assert table.cells == [[None, "Agency", "Vacancies", "Leavers"], ["2022", "12", "7", "4"], ["2023", "9", "5", "3"]]
    assert table.bbox[0] == 72.0 and table.bbox[2] == 500.0


def _framed_exhibit_pdf(path: Path) -> Path:
    """An exhibit in a box: its title and its source note are one cell across the box each,
    above and below the table's grid."""
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 10)
    xs = [72, 222, 322, 422]
    c.rect(72, 560, 350, 160)
    c.drawString(80, 704, "Exhibit 3")
    c.drawString(80, 690, "Agency social workers by team")
    ys = [680, 662, 644, 626, 608]
    for y in ys:
        c.line(72, y, 422, y)
    for x in xs[1:-1]:
        c.line(x, ys[0], x, ys[-1])
    rows = [["Team", "2022", "2023"], ["Assessment", "12", "9"], ["Safeguarding", "8", "6"], ["Leaving care", "4", "2"]]
    for i, row in enumerate(rows):
        _row(c, [x + 4 for x in xs], ys[i] - 13, row)
    c.drawString(80, 590, "Source: the council's workforce returns, March of each year.")
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_title_and_note_inside_an_exhibit_frame_are_not_rows(tmp_path: Path, engine: str) -> None:
    pdf = _framed_exhibit_pdf(tmp_path / "exhibit.pdf")
    [table] = _tables(pdf, engine)
    assert table.cells == [["Team", "2022", "2023"], ["Assessment", "12", "9"], ["Safeguarding", "8", "6"],
                           ["Leaving care", "4", "2"]]
    assert table.caption == "Agency social workers by team"
    assert _texts(pdf, engine) == ["Exhibit 3", "Agency social workers by team",
                                   "Source: the council's workforce returns, March of each year."]


def _rules_by_the_cell_pdf(path: Path) -> Path:
    """A table ruled above, under its header and below, each rule drawn a column at a time."""
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 10)
    xs = [72, 162, 242, 322, 402]  # no segment 100 points long
    for y in (720, 700, 620):
        for a, b in zip(xs, xs[1:]):
            c.line(a, y, b, y)
    _row(c, [72, 166, 246, 326], 706, ["Team", "Agency", "Vacancies", "Leavers"])
    rows = [["Assessment", "12", "7", "4"], ["Safeguarding", "9", "5", "3"], ["Fostering", "3", "2", "0"],
            ["Leaving care", "4", "3", "1"]]
    for i, row in enumerate(rows):
        _row(c, [72, 166, 246, 326], 686 - 18 * i, row)
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_rules_drawn_a_cell_at_a_time_rule_a_table(tmp_path: Path, engine: str) -> None:
    [table] = _tables(_rules_by_the_cell_pdf(tmp_path / "segments.pdf"), engine)
    assert table.found_by == "rules_horizontal"
    assert table.cells == [["Team", "Agency", "Vacancies", "Leavers"], ["Assessment", "12", "7", "4"],
                           ["Safeguarding", "9", "5", "3"], ["Fostering", "3", "2", "0"], ["Leaving care", "4", "3", "1"]]


def _line_chart_pdf(path: Path) -> Path:
    """A line chart drawn without a frame or axes: three flat series of small square
    markers over six months (each series a row of markers), the month names under them."""
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 11)
    c.drawString(72, 780, "Figure 2: Vacancies by month and team")
    c.setFont("Helvetica", 8)
    months = ["Apr", "May", "Jun", "Jul", "Aug", "Sep"]
    series = [[14, 14, 15, 14, 14, 14], [11, 11, 11, 11, 12, 11], [8, 8, 8, 8, 8, 8]]
    for k, month in enumerate(months):
        x = 130 + 60 * k
        c.drawString(x - 6, 590, month)
        for values in series:
            c.rect(x - 2, 600 + 4 * values[k] - 2, 4, 4, stroke=0, fill=1)
    c.setFont("Helvetica", 11)
    c.drawString(72, 560, "Vacancies fell in every team.")
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_line_chart_markers_in_rows_and_columns_are_not_a_table(tmp_path: Path, engine: str) -> None:
    pdf = _line_chart_pdf(tmp_path / "markers.pdf")
    assert _tables(pdf, engine) == []
    assert _texts(pdf, engine)[-1] == "Vacancies fell in every team."
