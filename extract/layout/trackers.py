"""Recommendation trackers and action plans whose table a text dump flattened to one cell a line.

Saved from a web page or copied out of a PDF, a tracker such as

    Recommendation | Action | By whom | By when | Progress | RAG

loses its grid: the column names come first, a line each, then every row's cells, a line
each, with empty cells gone. The columns are told apart by what their cells hold (a date,
a RAG rating, a short name of a role, a numbered recommendation, running text), so each row
is rebuilt in the header's order and the rest of the pipeline reads an ordinary table.
"""
from __future__ import annotations

import re

__all__ = ["ITEM_LABEL", "column_role", "plan_field", "tracker_rows"]

# Column names a tracker's header is made of, by the role the column plays.
_ROLES = {
    "recommendation": r"recommendations?|objectives?|issues?|findings?|areas? for (?:improvement|development)|"
                      r"priority|priorities|what we said",
    "action": r"actions?(?: required| to be taken| planned)?|activity|activities|tasks?|what we will do|next steps",
    "lead": r"by whom|leads?(?: officer| responsible)?|owner|responsible(?: officer| person| lead)?|who",
    "due": r"by when|when|timescales?|deadline|target date|due(?: date)?|date due|completion date",
    "progress": r"progress(?: update| to date| made)?|updates?|comments?|evidence(?: of impact)?|what we have done|"
                r"outcome|impact",
    "status": r"rag(?: rating| status)?|status|rating|completed\??|complete\??|"
              r"(?:executive|cabinet|council|service|management|officer)?\s*response",
}
_HEADER = {role: re.compile(rf"^(?:{names})\s*:?$", re.IGNORECASE) for role, names in _ROLES.items()}
_RAG = re.compile(r"^(?:red|amber|green|blue|black|r|a|g|complete[d]?|on track|off track|not started|in progress|"
                  r"ongoing|delayed|closed|open|achieved|partially (?:achieved|complete[d]?|accepted|agreed)|"
                  r"not achieved|(?:not )?(?:accepted|agreed)|rejected)\.?$",
                  re.IGNORECASE)
# "Update (February 2025)", "Progress as at 31 March 2025": a column name dated by its edition.
_AS_OF = re.compile(r"\s*(?:\([^)]{0,40}\)|(?:as )?(?:at|to|of)\s+[\w ]{3,30}(?:19|20)\d{2})\s*:?$", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_WHEN = re.compile(rf"^(?:by |from |end of |by the end of |during |before |in )?(?:{_MONTH}\.?\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/"
                   rf"\d{{2,4}}|q[1-4](?:\s+\d{{4}}(?:/\d{{2,4}})?)?|(?:spring|summer|autumn|winter)\s+\d{{4}}|"
                   rf"(?:19|20)\d{{2}}(?:/\d{{2,4}})?|ongoing|immediate(?:ly)?|tbc|annually|quarterly|monthly)\.?$",
                   re.IGNORECASE)
# "1.", "2)", "R3", "Rec 4:", or a bare "5 Reduce ..." before a capital; "6 of the 8 posts ..." is a figure.
_NUMBERED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|r\d{1,2}[.:)]?|rec(?:ommendation)?\.?\s?\d{1,2}[.:)]?)\s+\S"
                       r"|^\d{1,2}\s+(?-i:[A-Z])", re.IGNORECASE)
_MIN_COLUMNS = 3
_MAX_NAME_WORDS = 8


# An action plan printed a line per item and field: "Action 1.2: ..." (the item's label), then
# "Lead officer: ..." and "Target date: ..." (its fields, named as a tracker names its columns).
ITEM_LABEL = re.compile(r"^(?:actions?|recommendations?|tasks?|steps?|activity|deliverables?)\s+\d{1,2}(?:\.\d{1,2})*"
                        r"\s*[:\-\u2013\u2014]\s+", re.IGNORECASE)
_FIELD = re.compile(r"^(?P<name>[A-Za-z][A-Za-z ]{1,28}?)\s*[:\-\u2013\u2014]\s*(?P<value>\S.{0,150})$")


def plan_field(line: str) -> tuple[str, str] | None:
    """("lead" or "due", the value) of a line that is an action plan's lead or date field."""
    m = _FIELD.match(line.strip())
    role = column_role(m.group("name")) if m else None
    return (role, m.group("value").strip()) if role in ("lead", "due") else None


def column_role(name: str) -> str | None:
    """The role a tracker column plays (recommendation, action, lead, due, progress, status)."""
    name = _AS_OF.sub("", name.strip()) or name.strip()
    return next((role for role, pattern in _HEADER.items() if pattern.match(name)), None)


def _header_at(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """The column names that open a flattened tracker at `start`, and the line after them."""
    names, i = [], start
    while i < len(lines):
        line = lines[i].strip()
        if line and column_role(line):
            names.append(line)
        elif line:
            break
        i += 1
    roles = {column_role(n) for n in names}
    if len(names) < _MIN_COLUMNS or not roles & {"action", "progress"} or not roles & {"lead", "due", "status"}:
        return None
    return names, i


def _cell_role(cell: str) -> str:
    if _RAG.match(cell):
        return "status"
    if _WHEN.match(cell):
        return "due"
    if _NUMBERED.match(cell):
        return "numbered"
    words = cell.split()
    if len(words) <= _MAX_NAME_WORDS and not cell.endswith((".", ";", ":")) and cell[:1].isupper():
        return "name"
    return "text"


def _column_for(role: str, roles: list[str | None], filled: int) -> int | None:
    """The header column a cell of this kind goes to, given the last column filled in its row
    (-1 for a new row); a column at or before `filled` means the cell opens the next row."""
    later = range(filled + 1, len(roles))
    if role == "numbered":
        return next((i for i, r in enumerate(roles) if r == "recommendation"), 0)
    if role in ("status", "due"):
        return next((i for i in later if roles[i] == role), None) or next(
            (i for i, r in enumerate(roles) if r == role), None)
    if role == "name":
        # A short name after the action is who does it; before it, a short recommendation or action.
        action = next((i for i, r in enumerate(roles) if r == "action"), -1)
        lead = next((i for i in later if roles[i] == "lead"), None)
        if lead is not None and filled >= action:
            return lead
    return next((i for i in later if roles[i] in ("recommendation", "action", "progress")), None)


def tracker_rows(lines: list[str], start: int) -> tuple[list[list[str | None]], int] | None:
    """The rows (header first) of a flattened tracker whose column names open at `start`, and
    the index of the first line after it; None when no tracker header opens there.

    The tracker ends at two blank lines running, a line introducing something else ("...:"),
    or the end of the text.
    """
    header = _header_at(lines, start)
    if header is None:
        return None
    names, i = header
    roles = [column_role(n) for n in names]
    rows: list[list[str | None]] = []
    row: list[str | None] = []
    filled, blank = -1, 0
    while i < len(lines):
        cell = lines[i].strip()
        if not cell:
            blank += 1
            if blank >= 2:
                break
            i += 1
            continue
        blank = 0
        if cell.endswith(":") or column_role(cell):
            break
        column = _column_for(_cell_role(cell), roles, filled if rows else -1)
        if column is None:  # past the row's last text column: the next row's first cell
            column = _column_for(_cell_role(cell), roles, -1)
        if not rows or column is None or column <= filled:
            row = [None] * len(roles)
            rows.append(row)
            column = 0 if column is None else column
        row[column] = cell
        filled = column
        i += 1
    if not rows:
        return None
    return [list(names)] + rows, i
