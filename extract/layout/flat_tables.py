"""Text blocks holding a data table that a text dump flattened -> table blocks.

Some web pages reach us as text with a table printed one cell per line: the column headers,
then a row label that is a financial year, then cells that each hold one "label figure" line
per breakdown ("Children's 11.0%", "Adults 6.2%"). The block reader joins those lines, so the
block reads

    ... listed below. Year Staff turnover rate Agency rate 2021/22 Children's 11.0% Adults 6.2%
    Children's 16.3% Adults 13.8% 2022/23 Children's 9.8% ...

and where the dump lost a cell break, two cells run together ("6.2%Children's 16.3%"). The
table still shows in the words: each breakdown label comes back once per column, so a label
already seen in the cell starts the next cell, and a short text between figures ("Not held")
is a cell with no figure. A table is read only when that structure is complete (a header,
year rows, labels that repeat); prose with figures ("the vacancy rate rose 6% to 28% in
2021/22") never has it, so it never becomes a table.

Other replies print bare figures, one per cell and line (`Year`, three headers, then `2021/22`,
`58`, `21.4`, `£5.2m` ...); `with_flat_tables` reads those across blocks, and only as a complete
grid of one figure per header per year row.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from schemas import Block, BlockKind

__all__ = ["flat_tables", "with_flat_tables"]

# A financial-year row label on its own: `2020/2021`, `2021/22`, `2021-22`.
# Opens with the digits, not a look-behind, so that `re` can skip to candidates; the space
# before the year is checked in `_is_financial_year`.
_YEAR_ROW = re.compile(r"((?:19|20)\d\d)\s*[/\-\u2013]\s*(\d{4}|\d{2})(?!\S)")
# One "label figure" line of a cell: `Children's 11.0%`, `Early Help 1,204`. The figure may be
# run together with the next cell's label (`9.5%Children's`).
_LABELLED_FIGURE = re.compile(
    r"\s*(?P<label>[A-Za-z][A-Za-z'\u2019&/ \-]*?)\s+(?P<figure>[£$]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|[£$]?\d+(?:\.\d+)?%?)"
    r"(?![\d.,]*\d)")
# Words of a clause, not of a breakdown label: "the vacancy rate rose 6%", "agency staff were 34%".
_CLAUSE_WORDS = frozenset("a an the to from by was were is are be been has have had rose fell increased "
                          "decreased than which that this these those".split())
_MAX_LABEL_WORDS = 6
_MAX_HEADER_WORDS = 8
# The top-left header cell names what the row labels are; a heading may run into it.
_ROW_HEADER = re.compile(r"\b(?:Financial\s+[Yy]ear|Year|Period|FY)\b\s*")
# A sentence ends before the table's header: `listed below. Year ...` (not `No. long term`).
_SENTENCE_END = re.compile(r"(?:[a-z]{3}[.!?]|:)\s+(?=[A-Z])")
# Last words of a measure name: a header cell ends at one of these when a capitalised word
# follows (`Agency Rate Social Worker Vacancy Rate` -> two cells).
_MEASURE_ENDS = frozenset("rate rates % percentage turnover vacancies leavers starters days fte headcount "
                          "cost costs spend caseload caseloads posts total".split())


@dataclass
class _Row:
    period: str              # the row label as printed
    cells: list[list[tuple[str, str]]]  # per column, its (label, figure) lines; [] = no figure
    no_figure: dict[int, str]            # column -> the text a figureless cell prints


def with_flat_tables(blocks: list[Block]) -> list[Block]:
    """The blocks in reading order, each flattened table read as a table block placed right
    after the block that printed it (that block is left as it is), or after the last line of
    a table printed one cell per block."""
    out: list[Block] = []
    for i, block in enumerate(blocks):
        out.append(block)
        out.extend(flat_tables(block))
        if "ear" in block.text or "Period" in block.text or "FY" in block.text:  # cheap test first ("Year", "Financial year")
            out.extend(_line_table(blocks, i))
    return out


# ---------------------------------------------------------------- one cell per line

# A table printed one cell per line (an FOI reply): the corner cell `Year`, the column headers
# one per line, then rows of a year and one bare figure per column ("58", "21.4", "£5.2m").
# The reader may keep each line a block or join some of them, so the cells are read over block
# boundaries: a header is a block's words (or one sentence-case phrase of them), a grid cell a
# word. Only a complete grid is read: every row has one figure per header, so a numbered list,
# a request's list of questions or prose (a figure among words) never makes one.
_CORNER = re.compile(r"(?:^|(?<=[a-z][.:])\s+)(?P<corner>Financial\s+[Yy]ear|Year|Period|FY)(?:\s+(?=[A-Z])|$)")
_YEAR_CELL = re.compile(r"(?:19|20)\d\d(?:\s*[/\-\u2013]\s*(?:\d{4}|\d{2}))?")
_FIGURE_CELL = re.compile(r"[£$€]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|[£$€]?\d+(?:\.\d+)?(?:%|m|bn|k)?")
_MAX_LINE_BLOCKS = 120  # an FOI reply's few rows, not pages of them
# Inside a header, a capital after these is no new header ("at 31 March", "per FTE").
_HEADER_GLUE = frozenset("at of in on for and by to per the from".split())


def _line_table(blocks: list[Block], corner: int) -> list[Block]:
    """The table whose corner cell opens in `blocks[corner]`, as one table block ([] if the
    text after it is not a complete header and grid)."""
    m = _CORNER.search(blocks[corner].text.strip())
    if m is None:
        return []
    rest = blocks[corner].text.strip()[m.end():]
    pieces = [b.text.strip() for b in blocks[corner + 1:corner + _MAX_LINE_BLOCKS]]
    headers, grid, used = _header_and_grid([rest] + pieces if rest else pieces)
    used += not rest  # the corner's own block
    width = len(headers)
    if width == 1:  # the reader joined the header lines
        headers = _sentence_case_headers(" ".join(headers), _row_width(grid))
        width = len(headers)
    rows = _grid_rows(grid, width)
    if width < 2 or len(rows) < 2:
        return []
    first, last = blocks[corner], blocks[min(corner + used, len(blocks)) - 1]
    cells: list[list[str | None]] = [[m.group("corner"), *headers], *rows]
    lead = blocks[corner].text.strip()[:m.start()].strip()
    caption = lead or next((b.text.strip() for b in reversed(blocks[:corner]) if b.kind != BlockKind.HEADING), None)
    return [replace(first, kind=BlockKind.TABLE, cells=cells, caption=caption,
                    text="\n".join(" | ".join(c or "" for c in r) for r in cells), char_end=last.char_end,
                    level=None, numbering=None, marker=None, id=None,
                    pages=sorted({b.page for b in blocks[corner:corner + used]}))]


def _header_and_grid(pieces: list[str]) -> tuple[list[str], list[str], int]:
    """(header cells, grid cells up to the first word that is no year or figure, blocks used)."""
    headers: list[str] = []
    grid: list[str] = []
    for used, piece in enumerate(pieces, 1):
        words = piece.split()
        at = next((k for k, w in enumerate(words) if _is_year_cell(w)), None) if not grid else 0
        if at is None:
            if not piece or len(words) > _MAX_HEADER_WORDS * 3 or piece.endswith((".", "?", ";")):
                return [], [], used
            headers.append(piece)
            continue
        if at:
            headers.append(" ".join(words[:at]))
        for word in words[at:]:
            if not (_is_year_cell(word) or _FIGURE_CELL.fullmatch(word)):
                return headers, grid, used - (word is words[at] and at == 0)
            grid.append(word)
    return headers, grid, len(pieces)


def _row_width(grid: list[str]) -> int:
    """Figures per row: the cells between the first year and the next."""
    return next((k for k, cell in enumerate(grid[1:], 1) if _is_year_cell(cell) and "/" in cell + grid[0]), len(grid)) - 1


def _sentence_case_headers(text: str, width: int) -> list[str]:
    """Headers the reader joined, split before each capital that opens one ("Agency spend
    Average caseload"): only when that gives one header per figure column."""
    words = text.split()
    starts = [k for k, w in enumerate(words) if w[:1].isupper() and
              (k == 0 or (words[k - 1].lower() not in _HEADER_GLUE and not words[k - 1][:1].isdigit()))]
    if len(starts) != width or any(len(" ".join(words[a:b]).split()) > _MAX_HEADER_WORDS
                                   for a, b in zip(starts, starts[1:] + [len(words)])):
        return []
    return [" ".join(words[a:b]) for a, b in zip(starts, starts[1:] + [len(words)])]


def _grid_rows(grid: list[str], width: int) -> list[list[str]]:
    """Rows of a year and `width` figures; [] unless the grid is exactly that, row after row."""
    if width < 2 or not grid or len(grid) % (width + 1):
        return []
    rows = [grid[k:k + width + 1] for k in range(0, len(grid), width + 1)]
    ok = all(_is_year_cell(r[0]) and all(_FIGURE_CELL.fullmatch(c) for c in r[1:]) for r in rows)
    return rows if ok else []


def _is_year_cell(text: str) -> bool:
    """`2021/22` (a financial year whose years follow on) or `2021`."""
    m = _YEAR_CELL.fullmatch(text)
    if m is None:
        return False
    years = re.findall(r"\d+", text)
    return len(years) == 1 or int(years[1][-2:]) == (int(years[0]) + 1) % 100


def flat_tables(block: Block) -> list[Block]:
    """The flattened data tables a text block prints, as table blocks: a header row (row
    header, breakdown, column headers) and one row per year and breakdown."""
    if block.kind == BlockKind.TABLE:
        return []
    text = block.text
    years = [m for m in _YEAR_ROW.finditer(text) if _is_financial_year(m, text)]
    tables, i = [], 0
    while i < len(years):
        run = _row_run(text, years[i:])
        if not run:
            i += 1
            continue
        # the header sits between the previous year (or the block start) and the first row
        table = _table(block, text[years[i - 1].end() if i else 0:years[i].start()], run)
        if table is not None:
            tables.append(table)
        i += len(run)
    return tables


def _is_financial_year(m: re.Match[str], text: str) -> bool:
    if m.start() and not text[m.start() - 1].isspace():
        return False
    start, end = int(m.group(1)), m.group(2)
    return int(end[-2:]) == (start + 1) % 100


# ---------------------------------------------------------------- rows

def _row_run(text: str, years: list[re.Match[str]]) -> list[tuple[str, list]]:
    """Consecutive year rows from the first, each with its (label, figure) lines and the text
    between them; ends at the first year not followed by labelled figures."""
    run = []
    for k, year in enumerate(years):
        end = years[k + 1].start() if k + 1 < len(years) else len(text)
        lines = _labelled_figures(text[year.end():end])
        if not lines:
            break
        run.append((year.group(0), lines))
    return run


def _labelled_figures(span: str) -> list[tuple[str, str]]:
    """The (label, figure) lines a row's text opens with, in order; stops at prose."""
    lines, pos = [], 0
    while (m := _LABELLED_FIGURE.match(span, pos)) and _is_label(m.group("label")):
        lines.append((m.group("label").strip(), m.group("figure")))
        pos = m.end()
    return lines


def _is_label(label: str) -> bool:
    words = label.lower().split()
    return 0 < len(words) <= _MAX_LABEL_WORDS and not _CLAUSE_WORDS.intersection(words)


def _breakdowns(run: list[tuple[str, list]]) -> set[str]:
    """Labels printed more than once: the breakdown that each column repeats."""
    counts = Counter(label.casefold() for _, lines in run for label, _ in lines)
    return {label for label, n in counts.items() if n > 1}


def _split_label(label: str, breakdowns: set[str]) -> tuple[str, str]:
    """(text of a figureless cell before it, the label): `Not held Children's` follows a
    cell that printed no figure, and the dump joined the two."""
    low = label.casefold()
    for known in breakdowns:
        if low.endswith(" " + known) and low != known:
            return label[:len(label) - len(known)].strip(), label[len(label) - len(known):]
    return "", label


def _cells(period: str, lines: list[tuple[str, str]], breakdowns: set[str]) -> _Row:
    """A row's lines grouped into cells: a label already in the cell opens the next one."""
    row = _Row(period, [[]], {})
    for label, figure in lines:
        before, label = _split_label(label, breakdowns)
        if before:
            if row.cells[-1]:
                row.cells.append([])
            row.no_figure[len(row.cells) - 1] = before
            row.cells.append([])
        elif any(seen.casefold() == label.casefold() for seen, _ in row.cells[-1]):
            row.cells.append([])
        row.cells[-1].append((label, figure))
    return row


# ---------------------------------------------------------------- header

def _header(before: str) -> tuple[str, list[str], str | None]:
    """(row header, column headers, the sentence before them) from the text before the first
    row; the columns are empty when the text is not a header."""
    cut = [m.end() for m in _SENTENCE_END.finditer(before)]
    start = cut[-1] if cut else 0
    row_header = _ROW_HEADER.search(before, start)
    if row_header:
        start = row_header.start()
    lead, header = before[:start].strip(), before[start:].strip()
    corner = row_header.group(0).strip() if row_header else ""
    columns = _column_headers(header[len(corner):])
    if any(len(c.split()) > _MAX_HEADER_WORDS for c in columns):
        return corner, [], None
    sentence = re.split(r"(?<=[.!?:])\s+", lead)[-1] if lead else None
    return corner, columns, sentence or None


def _column_headers(text: str) -> list[str]:
    """Header cells joined into one run, split again where a measure name ends and a new one
    starts: after a measure's last word (`rate`) before a capitalised word that is not one,
    and before each repeat of the first cell's first word (`SW turnover rate SW agency rate`)."""
    words = text.split()
    if not words:
        return []
    first = words[0]
    starts = {0}
    for k in range(1, len(words)):
        word, prev = words[k], words[k - 1]
        ends = prev.strip("[]()").lower() in _MEASURE_ENDS and word[:1].isupper() \
            and word.strip("[]()").lower() not in _MEASURE_ENDS
        if ends or (word == first and first[:1].isupper()):
            starts.add(k)
    bounds = sorted(starts) + [len(words)]
    return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]


# ---------------------------------------------------------------- table

def _table(block: Block, before: str, run: list[tuple[str, list]]) -> Block | None:
    """The table block for a run of year rows, or None when its structure is not complete:
    no repeated breakdown, or fewer column headers than cells."""
    breakdowns = _breakdowns(run)
    if not breakdowns:
        return None
    rows = [_cells(period, lines, breakdowns) for period, lines in run]
    corner, columns, sentence = _header(before)
    width = max(len(r.cells) for r in rows)
    if len(columns) < width:
        return None
    cells = [[corner or None, None] + columns] + _grid(rows, len(columns))
    return replace(block, kind=BlockKind.TABLE, cells=cells, caption=sentence,
                   text="\n".join(" | ".join(c or "" for c in r) for r in cells),
                   level=None, numbering=None, marker=None, id=None, pages=block.pages or [block.page])


def _grid(rows: list[_Row], width: int) -> list[list[str | None]]:
    """One grid row per year and breakdown: the period, the label (capitalised, as a
    dimension), then per column that label's figure, or the text of a figureless cell."""
    out = []
    for row in rows:
        labels = list(dict.fromkeys(_dimension(label) for cell in row.cells for label, _ in cell))
        for label in labels:
            values = [row.no_figure.get(j) for j in range(width)]
            for j, cell in enumerate(row.cells):
                values[j] = next((f for lab, f in cell if _dimension(lab) == label), values[j])
            out.append([row.period, label] + values)
    return out


def _dimension(label: str) -> str:
    """`combined` and `Combined` are one breakdown, named with a capital."""
    return label[:1].upper() + label[1:]
