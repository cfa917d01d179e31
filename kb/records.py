"""Reading records back out of the KB for the terminal, JSON or CSV."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlite_utils import Database

__all__ = ["query_records", "format_records", "LISTED_COLUMNS"]

# The columns worth a terminal's width; json and csv give every column but the long text ones.
LISTED_COLUMNS = {
    "priorities": ["council", "number", "title", "page"],
    "actions": ["council", "kind", "lead", "due_text", "text", "page"],
    "leads": ["council", "name", "kind"],
    "targets": ["council", "value_min", "value_max", "unit", "deadline_text", "text", "page"],
    "cohorts": ["council", "programme", "cohort_label", "participants", "status", "as_of", "page"],
    "metrics": ["council", "measure", "dimension", "period", "value", "unit"],
    "documents": ["council", "doc_type", "published", "title", "pages"],
    "audit": ["promise_id", "verdict", "score", "explanation"],
}
_OMITTED = {"text"}  # documents.text is the whole document


def query_records(db_path: str | Path, record_type: str, council: str | None = None,
                  document_id: str | None = None) -> list[dict]:
    """Rows of one record table, filtered by council and document where the table has them."""
    db = Database(db_path)
    if not db[record_type].exists():
        return []
    columns = set(db[record_type].columns_dict)
    where, params = [], []
    if council and "council" in columns:
        where.append("council = ?")
        params.append(council)
    if document_id and "document_id" in columns:
        where.append("document_id = ?")
        params.append(document_id)
    order = "document_id, char_start" if {"document_id", "char_start"} <= columns else "rowid"
    rows = db[record_type].rows_where(" and ".join(where) or None, params, order_by=order)
    if record_type == "documents":
        return [{k: v for k, v in r.items() if k not in _OMITTED} for r in rows]
    return list(rows)


def format_records(rows: list[dict], fmt: str, record_type: str) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    return _table(rows, LISTED_COLUMNS.get(record_type) or (list(rows[0]) if rows else []))


def _table(rows: list[dict], columns: list[str], max_width: int = 60) -> str:
    """An aligned plain-text table; long values are cut with an ellipsis."""
    def cell(value: object) -> str:
        text = "" if value is None else " ".join(str(value).split())
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(rows)} {'row' if len(rows) == 1 else 'rows'})")
    return "\n".join(lines)
