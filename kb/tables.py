"""Rows for the `tables` KB table: every table block kept whole, whatever its shape.

Metrics are a reading of some tables; this table is the evidence itself, so a cell
that could not be read as a figure (`N/A`, a blank, a word) is still here, and a
table that could not be read at all is not lost.
"""
from __future__ import annotations

import json

from extract.records.metrics import header_row_count, table_blocks, table_id
from schemas import Block

__all__ = ["table_rows"]


def _header_rows(cells: list[list[str | None]]) -> int:
    """Rows above the first figure; a table with no figures is taken to have one header row."""
    n = header_row_count(cells)
    if n < len(cells):
        return n
    return 1 if len(cells) > 1 else 0


def _row(block: Block, index: int, document_id: str, metric_table_ids: set[str]) -> dict:
    cells = block.cells or []
    tid = table_id(document_id, block, index)
    return {
        "id": tid,
        "document_id": document_id,
        "page": block.page,
        "pages": json.dumps(block.pages or [block.page]),
        "caption": block.caption,
        "heading": block.heading_path[-1] if block.heading_path else None,
        "n_rows": len(cells),
        "n_cols": max((len(r) for r in cells), default=0),
        "header_rows": _header_rows(cells),
        "cells": json.dumps(cells, ensure_ascii=False),
        "in_metrics": tid in metric_table_ids,
        "found_by": block.found_by,
        "boxes": json.dumps(block.boxes) if block.boxes else None,
        "char_start": block.char_start,
        "char_end": block.char_end,
    }


def table_rows(blocks: list[Block], document_id: str, *, metric_table_ids: set[str] | None = None) -> list[dict]:
    """One `tables` row per table in a document (a table split across pages is one row).

    Args:
        blocks: the document's blocks in reading order; only table blocks are used.
        document_id: the document's id.
        metric_table_ids: `table_id`s that gave metrics (from `tables_to_metrics`), to
            fill the `in_metrics` flag; None leaves every row False.

    Returns:
        Dicts ready for `db["tables"].upsert_all(rows, pk="id")`. `id` equals the
        `table_id` on the metrics read from that table.
    """
    ids = metric_table_ids or set()
    return [_row(block, i, document_id, ids) for i, block in enumerate(table_blocks(blocks))]
