"""Table blocks -> metrics: figures with a measure, a dimension and a period.

A figure table has label columns on the left (service, team), header rows on
top (a financial year spanning month columns, or labelled columns such as a
year total) and numbers in the body. Each numeric cell becomes one `Metric`.
A table whose structure cannot be read (no numbers, no date-like column) is
returned in `kept_raw` instead, so it is never forced into metrics; the KB
keeps every table whole in `tables` either way.

Stages, each a small pure function: `with_flat_tables` (tables a text dump printed one
cell per line) -> `merge_split_tables` -> `_layout`
(header/title/data rows, label columns) -> `_column_labels` -> `_column_periods`
-> `_measure_base` -> `_table_metrics`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extract.layout.flat_tables import with_flat_tables
from extract.ids import stable_id
from schemas import Block, BlockKind, Metric

__all__ = [
    "MetricsResult", "cell_number", "fy_label", "header_row_count", "measure_from_text",
    "merge_split_tables", "month_number", "table_blocks", "table_id", "tables_to_metrics", "unit_for",
]

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_NAMES = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
                r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_MONTH_RE = re.compile(rf"^({_MONTH_NAMES})\.?(?:[\s\-'/]*(\d{{4}}|\d{{2}}))?$", re.I)
# `FY 2022/23`, `FY2022-23`, `2022/23`, `2022/2023` (a UK financial year, April to March)
_FY_RE = re.compile(r"\b(?:FY\s*)?((?:19|20)\d\d)\s*[/\-\u2013]\s*(\d{2}|\d{4})\b", re.I)
_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
# `(April 2023 – October 2023)`, `April 2022-November 2022`: a caption's date range
_RANGE_RE = re.compile(
    r"\b([A-Za-z]{3,9})\.?\s+((?:19|20)\d\d)\s*(?:-|\u2013|\u2014|to)\s*([A-Za-z]{3,9})\.?\s+((?:19|20)\d\d)\b")
# Thousands grouped by commas or, as many European tables print them, by (thin) spaces.
_NUMBER_RE = re.compile(
    r"^[(\-\u2212]?[£$€]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?"
    r"|\d*\.?\d+)%?\)?$")
# A money cell in millions or thousands: `£5.2m`, `£850k`, `£1.1bn`
_MONEY_RE = re.compile(r"^[£$€]\d+(?:\.\d+)?(?:m|bn|k)$")
# Cells that say "no figure"; kept as text in `tables`, never turned into a value
_NO_VALUE = {"n/a", "na", "-", "\u2013", "\u2014", "", "n.a.", "nil", "*", "tbc", "x"}


@dataclass
class MetricsResult:
    """What `tables_to_metrics` made: metrics, and the tables it could not read."""

    metrics: list[Metric] = field(default_factory=list)
    kept_raw: list[Block] = field(default_factory=list)
    metric_tables: list[Block] = field(default_factory=list)  # tables that gave metrics


@dataclass
class _Column:
    """How one value column is read: its period and how it changes the measure."""

    period: str | None
    prefix: str = ""  # `projected ` for a projection column
    suffix: str = ""  # ` (year to date)` for a current-total column


@dataclass
class _Layout:
    titles: list[str]           # one-cell rows above the header (table title, units)
    header: list[list[str]]     # header rows, blanks as ""
    data: list[list[str]]       # rows holding figures
    n_labels: int               # leading label columns (service, team...)


# ---------------------------------------------------------------- small helpers

def _clean(cell: str | None) -> str:
    """Cell text on one line: PDF cells wrap (`Children and\\nFamilies`)."""
    return " ".join((cell or "").split())  # (what `re.sub(r"\s+", " ", cell).strip()` gives, at a third of the cost)


_NOT_DIGIT = re.compile(r"[^\d.]")


def cell_number(cell: str | None) -> float | None:
    """The number a cell states, or None (blank, `N/A`, words). Never guesses."""
    text = _clean(cell)
    if text.lower() in _NO_VALUE or not (_NUMBER_RE.match(text) or _MONEY_RE.match(text)):
        return None
    negative = text.startswith(("(", "-", "\u2212")) and any(c.isdigit() for c in text)
    digits = _NOT_DIGIT.sub("", text)
    try:
        value = float(digits)
    except ValueError:
        return None
    return -value if negative else value


def month_number(label: str) -> tuple[int, int | None] | None:
    """`Apr` -> (4, None); `Sept` -> (9, None); `Apr-22` -> (4, 2022)."""
    m = _MONTH_RE.match(_clean(label))
    if not m:
        return None
    year = m.group(2)
    if year and len(year) == 2:
        year = "20" + year
    return MONTHS[m.group(1).lower()[:3]], int(year) if year else None


def fy_label(text: str) -> tuple[str, int] | None:
    """`FY 2022/23 Total` -> ("FY 2022/23", 2022): the financial year and its first year."""
    m = _FY_RE.search(_clean(text))
    if not m:
        return None
    start, end = int(m.group(1)), m.group(2)
    if int(end[-2:]) != (start + 1) % 100:
        return None
    return _fy_name(start), start


def _fy_name(start: int) -> str:
    return f"FY {start}/{(start + 1) % 100:02d}"


def _fy_of_month(year: int, month: int) -> int:
    """First calendar year of the financial year (April to March) holding a month."""
    return year if month >= 4 else year - 1


# ---------------------------------------------------------------- split tables

def table_id(document_id: str, block: Block, index: int) -> str:
    """Stable id of a (merged) table: the document and the table's place in it."""
    return stable_id(document_id, "table", index, block.page)


def _is_year(text: str | None) -> bool:
    return bool(_YEAR_RE.match(_clean(text)))


def header_row_count(cells: list[list[str | None]]) -> int:
    """Rows above the first row holding a figure (titles and column headers). A row of
    years (`2021 | 2022 | 2023`) is a header, not figures."""
    for i, row in enumerate(cells):
        numbers = [c for c in row[1:] if cell_number(c) is not None]
        if numbers and not all(_is_year(c) for c in numbers):
            return i
    return len(cells)


def table_blocks(blocks: list[Block]) -> list[Block]:
    """The table blocks (flattened ones in text blocks read too), captioned and with split
    tables joined: the list that both metrics and the `tables` KB table number."""
    return merge_split_tables(_with_captions(with_flat_tables(blocks)))


def _looks_like_caption(block: Block) -> bool:
    """A short heading or line; a long sentence above a table is prose about it."""
    text = _clean(block.text)
    sentence = text.endswith(".") and len(text.split()) > 12
    return block.kind != BlockKind.TABLE and 0 < len(text) <= 200 and not sentence


def _with_captions(blocks: list[Block]) -> list[Block]:
    """Table blocks; one the reader left uncaptioned takes the short block just above it."""
    out = []
    for i, block in enumerate(blocks):
        if block.kind != BlockKind.TABLE:
            continue
        before = blocks[i - 1] if i else None
        if block.caption is None and before is not None and _looks_like_caption(before):
            block = replace(block, caption=_clean(before.text))
        out.append(block)
    return out


def _n_cols(block: Block) -> int:
    return max((len(r) for r in block.cells or []), default=0)


def _continues(prev: Block, block: Block) -> bool:
    """A table that carries on over a page break: next page, same columns, no new header
    (or the first table's header repeated)."""
    prev_pages = prev.pages or [prev.page]
    if block.page != max(prev_pages) + 1 or _n_cols(prev) != _n_cols(block) or not block.cells:
        return False
    n_head = header_row_count(block.cells)
    if n_head == 0:
        return True
    norm = lambda rows: [[_clean(c) for c in r] for r in rows]  # noqa: E731
    return norm(block.cells[:n_head]) == norm(prev.cells[:header_row_count(prev.cells)])


def merge_split_tables(tables: list[Block]) -> list[Block]:
    """Join consecutive table blocks that are one table split across pages."""
    merged: list[Block] = []
    for block in tables:
        if merged and merged[-1].cells and _continues(merged[-1], block):
            prev = merged[-1]
            body = block.cells[header_row_count(block.cells):]
            merged[-1] = replace(prev, cells=prev.cells + body,
                                 pages=sorted(set((prev.pages or [prev.page]) + (block.pages or [block.page]))),
                                 boxes=prev.boxes + block.boxes, char_end=max(prev.char_end, block.char_end))
        else:
            merged.append(block)
    return merged


# ---------------------------------------------------------------- layout

def _is_value_cell(text: str) -> bool:
    return cell_number(text) is not None or text.lower() in {"n/a", "na", "n.a."}


def _layout(cells: list[list[str | None]]) -> _Layout | None:
    """Split a table into title rows, header rows and data rows; None if no figures."""
    width = max((len(r) for r in cells), default=0)
    rows = [[_clean(c) for c in r] + [""] * (width - len(r)) for r in cells]
    n_head = header_row_count(cells)
    data = [r for r in rows[n_head:] if any(cell_number(c) is not None for c in r[1:])]
    if not data:
        return None
    n_labels = _label_columns(data)
    if n_labels == 0 or n_labels >= width:
        return None
    titles, header = [], []
    for row in rows[:n_head]:
        filled = [c for c in row if c]
        if len(filled) == 1 and row[0] and n_head > 1:
            titles.append(row[0])  # a caption or unit line printed inside the table
        elif filled:
            header.append(row)
    return _Layout(titles, header, data, n_labels)


def _label_columns(data: list[list[str]]) -> int:
    """Leading columns whose data cells hold words, not figures (a first column of years
    labels its rows)."""
    if all(_is_year(r[0]) for r in data) and len(data) > 1:
        return 1 + _label_columns([r[1:] for r in data])
    n = 0
    while n < len(data[0]) and not any(_is_value_cell(r[n]) for r in data if n < len(r)):
        n += 1
    return n


def _header_cells(layout: _Layout, width: int) -> list[list[str]]:
    """Header rows with a merged cell's text carried right over the columns it spans.

    The lowest header row names single columns, so it is not carried.
    """
    out = []
    for depth, row in enumerate(layout.header):
        spans = depth < len(layout.header) - 1
        carried, last = [], ""
        for j in range(width):
            text = row[j] if j < len(row) else ""
            if j >= layout.n_labels and spans and not text:
                text = last
            carried.append(text)
            last = text if j >= layout.n_labels else ""
        out.append(carried)
    return out


_LONE_TOTAL = re.compile(r"(?:FY\s*)?(?:19|20)\d\d\s*/\s*\d\d(?:\d\d)?\s+Total\b", re.I)


def _lone_labels(layout: _Layout, context: str) -> list[str]:
    """Column labels printed on a line of their own: a one-cell FY row inside the table, or
    (when the text reader took that line for part of the caption) a `FY 2022/23 Total`
    in the caption text."""
    return [t for t in layout.titles if fy_label(t)] + _LONE_TOTAL.findall(context)


def _shift_for_lone_label(layout: _Layout, labels: list[str], lone: list[str]) -> list[str]:
    """Text extraction can print a merged column header (`FY 2022/23 Total`) on a line of its
    own above the header; when the rows hold one more figure than the header names, that
    label heads the first value column."""
    named = [j for j in range(layout.n_labels, len(labels)) if labels[j]]
    if not lone or not named:
        return labels
    last_value = max(j for r in layout.data for j, c in enumerate(r) if _is_value_cell(c))
    if last_value != named[-1] + 1 or named[0] != layout.n_labels:
        return labels
    if lone[0] in layout.titles:
        layout.titles.remove(lone[0])
    labels = labels + [""] * (last_value + 1 - len(labels))
    return labels[:layout.n_labels] + [lone[0]] + labels[layout.n_labels:last_value]


def _column_labels(layout: _Layout, context: str) -> list[list[str]]:
    """Per column, its header texts from top to bottom."""
    width = max(len(r) for r in layout.data)
    header = _header_cells(layout, width)
    if header:
        header[-1] = _shift_for_lone_label(layout, header[-1], _lone_labels(layout, context))
    return [[row[j] for row in header if j < len(row) and row[j]] for j in range(width)]


# ---------------------------------------------------------------- periods

_Range = tuple[int, int, int, int]  # first year, first month, last year, last month


def _caption_range(texts: list[str]) -> _Range | None:
    """The first `Month YYYY – Month YYYY` range in the caption or headings."""
    for text in texts:
        m = _RANGE_RE.search(text or "")
        if m:
            a, b = month_number(m.group(1)), month_number(m.group(3))
            if a and b:
                return int(m.group(2)), a[0], int(m.group(4)), b[0]
    return None


def _range_months(rng: _Range) -> list[str]:
    y, m, y2, m2 = rng
    out = []
    while (y, m) <= (y2, m2) and len(out) < 240:
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _months_from_range(months: list, rng: _Range | None) -> dict[int, str] | None:
    """A caption range (`April 2023 – October 2023`) dates the month columns when it names
    exactly as many months as there are columns, starting with the first column's month."""
    if not rng or not months:
        return None
    iso = _range_months(rng)
    if len(iso) != len(months) or rng[1] != months[0][1][0]:
        return None
    return {j: p for (j, _, _), p in zip(months, iso)}


def _month_periods(months: list[tuple[int, tuple[int, int | None], tuple[str, int] | None]],
                   rng: _Range | None, fallback_fy: int | None) -> dict[int, str]:
    """ISO month per month column: from the caption range, else from the FY header over
    the columns. A run that continues past March rolls into the next financial year (one
    `FY 2021/22` header can span twenty months)."""
    from_range = _months_from_range(months, rng)
    if from_range is not None:
        return from_range
    out, prev_fy, prev_pos, roll = {}, None, -1, 0
    for j, (month, year), fy in months:
        start = fy[1] if fy else fallback_fy
        if year is not None or start is None:
            if year is not None:
                out[j] = f"{year}-{month:02d}"
            continue
        pos = (month - 4) % 12
        roll = 0 if fy != prev_fy else roll + (pos <= prev_pos)
        prev_fy, prev_pos = fy, pos
        out[j] = f"{start + roll + (month < 4)}-{month:02d}"
    return out


def _backfill_fy(months: list) -> list:
    """A year label centred over its months (a table with no rules) sits over a middle
    column; the months left of it belong to the same year."""
    out, later = [], None
    for j, month, fy in reversed(months):
        later = fy or later
        out.append((j, month, fy or later))
    return out[::-1]


def _is_current(label: str) -> bool:
    return bool(re.search(r"\b(current|to date|ytd|cumulative)\b", label, re.I))


def _is_projection(label: str) -> bool:
    return bool(re.search(r"\b(projected|projection|forecast|predicted)\b", label, re.I))


_QUARTER_RE = re.compile(r"\bQ[1-4]\b|\bquarter\b", re.I)


def _classify_columns(labels: list[list[str]], n_labels: int) -> tuple[list, list, dict[int, str], list]:
    """Sort value columns into months, `FY ...` columns, other date-like columns (a
    year, a quarter: period as printed) and labelled columns."""
    months, fy_totals, dated, others = [], [], {}, []
    for j in range(n_labels, len(labels)):
        texts = labels[j]
        if not texts:
            continue
        last = texts[-1]
        month = month_number(last)
        fys = [fy_label(t) for t in texts if fy_label(t)]
        if month:
            months.append((j, month, fys[0] if fys else None))
        elif _QUARTER_RE.search(last):
            dated[j] = " ".join(texts)
        elif _is_year(last):
            dated[j] = last
        elif fys and not _is_current(last) and not _is_projection(last):
            fy_totals.append((j, fys[-1]))
        else:
            others.append((j, last))
    return _backfill_fy(months), fy_totals, dated, others


def _column_periods(labels: list[list[str]], n_labels: int, rng: _Range | None) -> dict[int, _Column]:
    """Read each value column's header: a month, a financial year, a year, or a label."""
    months, fy_totals, dated, others = _classify_columns(labels, n_labels)
    # Months with no FY over them, after a `FY 2022/23 Total` column and with a
    # current-total column: last year's total compared with this year's months.
    has_current = any(_is_current(t) for _, t in others)
    fallback = fy_totals[0][1][1] + (1 if has_current else 0) if fy_totals else None
    periods = _month_periods(months, rng, fallback)
    columns = {j: _Column(p) for j, p in periods.items()}
    columns.update({j: _Column(name) for j, (name, _) in fy_totals})
    columns.update({j: _Column(text) for j, text in dated.items()})
    if not columns:
        return {}  # no date-like column: the table's meaning is not known
    current = _current_fy(periods, fy_totals)
    for j, text in others:
        columns[j] = _labelled_column(text, current)
    return columns


def _current_fy(periods: dict[int, str], fy_totals: list) -> str | None:
    """The financial year the month columns report on (or the latest FY named)."""
    if periods:
        y, m = map(int, periods[max(periods)].split("-"))
        return _fy_name(_fy_of_month(y, m))
    return fy_totals[-1][1][0] if fy_totals else None


def _labelled_column(text: str, current: str | None) -> _Column:
    """`Current Total` -> year-to-date figure; `Projected for April` -> projection; a year
    (`2021`) or any other label (`Total`) stays as printed."""
    if _is_projection(text):
        return _Column(current or text, prefix="projected ")
    if _is_current(text):
        return _Column(current or text, suffix=" (year to date)")
    return _Column(text)


# ---------------------------------------------------------------- measure and unit

_LEAD_IN = re.compile(r"^(?:the\s+)?(?:total\s+)?(?:number|no\.?|count|numbers)\s+of\s+", re.I)
_DATES_IN_PARENS = re.compile(r"\([^)]*\d{4}[^)]*\)")


def _lower_word(word: str) -> str:
    """Sentence case: `Sickness` -> `sickness`; acronyms (`FTE`) stay."""
    return word.lower() if word[:1].isupper() and word[1:] == word[1:].lower() else word


def measure_from_text(text: str | None) -> str:
    """A caption cut to what is counted: `Number of agency staff in post (April 2022 –
    October 2023)` -> `agency staff in post`."""
    text = _DATES_IN_PARENS.sub(" ", _clean(text))
    text = _RANGE_RE.sub(" ", text)
    text = re.sub(r"\(\s*%\s*\)|\s%$", " ", text)  # the unit column says percent
    text = re.sub(r"[()]", " ", text)
    text = _LEAD_IN.sub("", _clean(text))
    # "lost days" and "days lost" are one measure; say it the way the report's prose does
    text = re.sub(r"\blost days\b", "days lost", text, flags=re.I)
    return " ".join(_lower_word(w) for w in text.split()).strip(" -:,.")


_TOPIC = re.compile(r"((?:[A-Z][\w'/&]*\s+){0,2}[A-Z][\w'/&]*)\s+[-\u2013]\s+\S")
_RATE = re.compile(r"((?:\w+\s+){0,2}per\s+\w+)\W*$", re.I)


def _topic_and_rate(text: str) -> str:
    """Table titles such as `Sickness - FTE days per FTE` / `Lost Days per FTE`: the
    capitalised words before ` - ` name the topic, the last `... per X` phrase the rate.
    Empty when the text has no such shape."""
    topic, rate = _TOPIC.search(text), _RATE.search(_LONE_TOTAL.sub(" ", text).strip())
    if not topic or not rate:
        return ""
    topic_words, body = measure_from_text(topic.group(1)), measure_from_text(rate.group(1))
    return body if topic_words.lower() in body.lower() else f"{topic_words} {body}"


def _context(block: Block, layout: _Layout) -> str:
    """The text that says what a table holds: its title lines, its caption, or (when the
    reader set no caption) the nearest heading, which is then the caption line."""
    if layout.titles:
        return " ".join(layout.titles)
    if block.caption:
        return block.caption
    return block.heading_path[-1] if block.heading_path else ""


def _measure_base(block: Block, layout: _Layout, context: str, prev: tuple[list[str], str] | None) -> str:
    """What the table counts, from its context text.

    A one-word caption (`Agency`) under a table with the same label columns as the one
    before is that table's comparison, so it takes the earlier, fuller measure.
    """
    measure = _topic_and_rate(context) or measure_from_text(_LONE_TOTAL.sub(" ", context))
    same_shape = prev is not None and prev[0] == _label_headers(layout)
    if same_shape and (not measure or (len(measure.split()) == 1 and measure.lower() in prev[1].lower())):
        return prev[1]
    if measure:
        return measure
    for heading in reversed(block.heading_path or []):
        if measure_from_text(heading):
            return measure_from_text(heading)
    return ""


def _label_headers(layout: _Layout) -> list[str]:
    return [row[j] for row in layout.header for j in range(layout.n_labels)]


def unit_for(measure: str) -> str | None:
    """Unit named or implied by the measure's words."""
    low = measure.lower()
    if re.search(r"\bper\s+fte\b", low) and re.search(r"\bdays?\b", low):
        return "days per FTE"
    if re.search(r"%|\bper ?cent|\bpercentage\b|\brate\b|\bturnover\b", low):
        return "percent"
    if re.search(r"£|\bcost\b|\bspend\b|\bbudget\b", low):
        return "GBP"
    if re.search(r"\bcaseloads?\b", low):
        return "cases per worker"
    if re.search(r"\b(staff|workers?|people|employees|posts?|headcount|fte|vacanc\w*|starters|leavers|"
                 r"social workers|managers|apprentices|students|trainees|learners)\b", low):
        return "people"
    return None


# ---------------------------------------------------------------- rows -> metrics

def _dimensions(layout: _Layout) -> list[str | None]:
    """Per data row, its most specific label, carried down from the row above when the
    label sits only in the first row of a merged group."""
    out, carried = [], [""] * layout.n_labels
    for row in layout.data:
        for j in range(layout.n_labels):
            if row[j]:
                carried[j] = row[j]
                carried[j + 1:] = [""] * (layout.n_labels - j - 1)
        own = next((row[j] for j in reversed(range(layout.n_labels)) if row[j]), "")
        out.append(own or next((c for c in reversed(carried) if c), None))
    return out


def _percent_cells(layout: _Layout, column: int | None = None) -> bool:
    """Figures printed with `%` are percentages whatever the caption says."""
    cols = range(layout.n_labels, len(layout.data[0])) if column is None else [column]
    cells = [r[j] for r in layout.data for j in cols if j < len(r) and cell_number(r[j]) is not None]
    return bool(cells) and sum(c.endswith("%") for c in cells) * 2 > len(cells)


def _unit(measure: str, layout: _Layout, column: int | None = None) -> str | None:
    return "percent" if _percent_cells(layout, column) else unit_for(measure)


def _table_metrics(block: Block, layout: _Layout, columns: dict[int, _Column], base: str,
                   *, tid: str, document_id: str, council: str | None) -> list[Metric]:
    metrics, unit = [], _unit(base, layout)
    for i, (row, dim) in enumerate(zip(layout.data, _dimensions(layout))):
        for j, col in sorted(columns.items()):
            value = cell_number(row[j]) if j < len(row) else None
            if value is None:
                continue  # blank or N/A: no figure is invented
            metrics.append(Metric(
                id=stable_id(tid, i, j), document_id=document_id, council=council,
                measure=f"{col.prefix}{base}{col.suffix}", dimension=dim, period=col.period,
                value=value, unit=unit, page=block.page, table_id=tid))
    return metrics


def _row_period(label: str) -> str | None:
    """A row label that is a date: a year, a financial year, or a month with its year."""
    month, fy = month_number(label), fy_label(label)
    if month and month[1]:
        return f"{month[1]}-{month[0]:02d}"
    if _is_year(label):
        return label
    if fy and len(_clean(label)) <= len(fy[0]) + 1:
        return fy[0]
    return None


def _transposed_metrics(block: Block, layout: _Layout, labels: list[list[str]], *, tid: str,
                        document_id: str, council: str | None) -> list[Metric]:
    """Periods down the side (`2021/22`, `2022/23` rows), measures across the top
    (`Turnover %`, `Agency workers`): each column header names its measure, and another
    label column (`Children's`, `Adults`), if any, the breakdown."""
    column = _period_column(layout)
    if column is None or len(layout.data) < 2:
        return []
    metrics = []
    for j in range(layout.n_labels, len(labels)):
        measure = measure_from_text(" ".join(labels[j]))
        unit = _column_unit(measure, " ".join(labels[j]), layout, j)
        for i, row in enumerate(layout.data):
            value = cell_number(row[j]) if measure and j < len(row) else None
            if value is not None:
                dimension = next((row[k] for k in reversed(range(layout.n_labels)) if k != column and row[k]), None)
                metrics.append(Metric(
                    id=stable_id(tid, i, j), document_id=document_id, council=council, measure=measure,
                    dimension=dimension, period=_row_period(row[column]), value=value, unit=unit,
                    page=block.page, table_id=tid))
    return metrics


def _period_column(layout: _Layout) -> int | None:
    """The label column (the innermost first) whose every cell is a date."""
    return next((j for j in reversed(range(layout.n_labels)) if all(_row_period(r[j]) for r in layout.data)), None)


def _column_unit(measure: str, header: str, layout: _Layout, column: int) -> str | None:
    """A column's unit: percent when header or figures print `%`; a rate whose figures print
    no unit may be a percentage or a ratio, and the table does not say which."""
    if "%" in header or _percent_cells(layout, column):
        return "percent"
    money = _money_unit(layout, column)
    if money:
        return money
    unit = unit_for(measure)
    return "rate (unit not printed)" if unit == "percent" and re.search(r"\brates?\b", measure) else unit


def _money_unit(layout: _Layout, column: int) -> str | None:
    """`£m` when the column's figures print `£5.2m` (the value is in millions), `GBP` for `£`."""
    cells = [r[column] for r in layout.data if column < len(r) and cell_number(r[column]) is not None]
    if not cells or not all(c[:1] in "£$€" for c in cells):
        return None
    scale = {c[-1] if c[-1] in "mk" else ("bn" if c.endswith("bn") else "") for c in cells}
    return f"£{scale.pop()}" if len(scale) == 1 and "" not in scale else "GBP"


def tables_to_metrics(tables: list[Block], *, document_id: str, council: str | None) -> MetricsResult:
    """Turn a document's table blocks (in reading order) into metrics.

    Args:
        tables: the document's blocks; only `BlockKind.TABLE` blocks with cells are read.
        document_id: id of the source document, part of every metric's id.
        council: canonical council name stored on each metric.

    Returns:
        `MetricsResult`: the metrics (each with the `table_id` of its table, the same id
        `kb.tables.table_rows` gives), the tables that gave them, and the tables kept raw.
    """
    blocks = table_blocks(tables)
    result, prev = MetricsResult(), None
    for index, block in enumerate(blocks):
        metrics, shape = _one_table(block, index, prev, document_id=document_id, council=council)
        if metrics:
            result.metrics.extend(metrics)
            result.metric_tables.append(block)
            prev = shape
        else:
            result.kept_raw.append(block)
    return result


def _one_table(block: Block, index: int, prev: tuple[list[str], str] | None, *,
               document_id: str, council: str | None) -> tuple[list[Metric], tuple[list[str], str] | None]:
    """One table's metrics, and its (label headers, measure) for the table after it."""
    layout = _layout(block.cells or [])
    if layout is None:
        return [], None
    context = _context(block, layout)
    labels = _column_labels(layout, context)
    rng = _caption_range([context, block.caption or ""] + list(reversed(block.heading_path or [])))
    columns = _column_periods(labels, layout.n_labels, rng)
    tid = table_id(document_id, block, index)
    ids = dict(tid=tid, document_id=document_id, council=council)
    if not columns:
        return _transposed_metrics(block, layout, labels, **ids), None
    base = _measure_base(block, layout, _context(block, layout), prev)
    if not base:
        return [], None
    return _table_metrics(block, layout, columns, base, **ids), (_label_headers(layout), base)
