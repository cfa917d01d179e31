"""KB tables, created from the record dataclasses so the schema is written once."""
from __future__ import annotations

import dataclasses
import json
import sqlite3
import typing
from pathlib import Path

from sqlite_utils import Database

from schemas import Action, Block, Cohort, Document, Lead, Metric, Priority, Target

__all__ = ["RECORD_TABLES", "ensure_schema", "open_kb", "record_row", "block_row"]

# table name -> record dataclass; the dataclass field names are the column names.
RECORD_TABLES: dict[str, type] = {
    "documents": Document,
    "priorities": Priority,
    "actions": Action,
    "leads": Lead,
    "targets": Target,
    "cohorts": Cohort,
    "metrics": Metric,
}

_BLOCK_COLUMNS = {
    "id": str, "document_id": str, "seq": int, "kind": str, "level": int, "numbering": str,
    "marker": str, "heading_path": str, "text": str, "page": int, "pages": str, "bbox": str,
    "char_start": int, "char_end": int, "boxes": str, "found_by": str,
}
_FOREIGN_KEYS = {
    "priorities": [("document_id", "documents", "id")],
    "actions": [("document_id", "documents", "id"), ("priority_id", "priorities", "id")],
    "targets": [("document_id", "documents", "id")],
    "cohorts": [("document_id", "documents", "id")],
    "metrics": [("document_id", "documents", "id")],
    "blocks": [("document_id", "documents", "id")],
}
_INDEXES = {
    "priorities": [["document_id"]],
    "actions": [["document_id"], ["council", "kind"], ["priority_id"]],
    "targets": [["document_id"], ["action_id"]],
    "cohorts": [["document_id"], ["programme"]],
    "metrics": [["document_id"], ["measure", "dimension"]],
    "blocks": [["document_id", "seq"]],
    "leads": [["council"]],
}


def _column_type(annotation: object) -> type:
    text = str(annotation)
    if "bool" in text:
        return int
    if "int" in text:
        return int
    if "float" in text:
        return float
    return str


def _columns(cls: type) -> dict[str, type]:
    hints = typing.get_type_hints(cls)
    return {f.name: _column_type(hints[f.name]) for f in dataclasses.fields(cls)}


def open_kb(path: str | Path) -> Database:
    """The KB for writing.

    sqlite-utils finds out whether SQLite has `ON CONFLICT` upserts by creating and dropping a
    scratch table on a new connection's first upsert. That changes the schema, and a reader
    (Datasette) opening an FTS table at that moment fails with SQLITE_SCHEMA instead of
    retrying, so the answer (yes since SQLite 3.24) is given up front.
    """
    db = Database(path)
    db._supports_on_conflict = sqlite3.sqlite_version_info >= (3, 24, 0)
    return db


def ensure_schema(db: Database) -> None:
    """Create every KB table that is missing and add the columns an older KB lacks."""
    db.enable_wal()
    wanted = {name: _columns(cls) for name, cls in RECORD_TABLES.items()} | {"blocks": _BLOCK_COLUMNS}
    for name, columns in wanted.items():
        if not db[name].exists():
            db[name].create(columns, pk="id", foreign_keys=_FOREIGN_KEYS.get(name))
        else:
            _add_missing_columns(db, name, columns)
    for table, indexes in _INDEXES.items():
        for columns in indexes:
            db[table].create_index(columns, if_not_exists=True)


def _add_missing_columns(db: Database, name: str, columns: dict[str, type]) -> None:
    """Columns added to the schema since the KB was built (the schema only ever grows)."""
    have = db[name].columns_dict
    for column, kind in columns.items():
        if column not in have:
            db[name].add_column(column, kind)


def record_row(record: object) -> dict:
    """The KB row of a record: its dataclass fields, enums as their values."""
    # Records hold no nested dataclasses, so `dataclasses.asdict`'s deep copy of every value
    # is a quarter of the time a document takes to write, for nothing.
    row = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    return {k: (v.value if hasattr(v, "value") else v) for k, v in row.items()}


def block_row(block: Block, document_id: str) -> dict:
    return {
        "id": block.id, "document_id": document_id, "seq": block.seq, "kind": block.kind.value,
        "level": block.level, "numbering": block.numbering, "marker": block.marker,
        "heading_path": json.dumps(block.heading_path, ensure_ascii=False), "text": block.text,
        "page": block.page, "pages": json.dumps(block.pages or [block.page]),
        "bbox": json.dumps(block.bbox) if block.bbox else None,
        "char_start": block.char_start, "char_end": block.char_end,
        "boxes": json.dumps(block.boxes) if block.boxes else None, "found_by": block.found_by,
    }
