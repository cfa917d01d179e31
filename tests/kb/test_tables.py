"""The `tables` KB table keeps every table whole, on the real 002 tables and hand-made ones."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from sqlite_utils import Database

from extract.layout.blocks import items_to_blocks
from extract.records.metrics import tables_to_metrics
from extract.read.text import read_text_file, text_to_items
from kb.tables import table_rows
from schemas import Block, BlockKind

ROOT = Path(__file__).resolve().parents[2]
PDF_002 = ROOT / "corpus" / "002_c2b6556e76a60ddc.pdf"
TXT_002 = ROOT / "tests" / "data" / "002_c2b6556e76a60ddc.txt"


@pytest.fixture(scope="module")
def pdf_blocks() -> list[Block]:
    """Ruled tables of pages 5 and 8 as pdfplumber finds them, with a paragraph between."""
    blocks = []
    with pdfplumber.open(PDF_002) as pdf:
        for number in (5, 8):
            for table in pdf.pages[number - 1].find_tables():
                blocks.append(Block(kind=BlockKind.PARAGRAPH, text="Some prose.", page=number))
                blocks.append(Block(kind=BlockKind.TABLE, text="", page=number, cells=table.extract(),
                                    pages=[number], heading_path=["Background information"]))
    return blocks


@pytest.fixture(scope="module")
def text_blocks() -> list[Block]:
    return items_to_blocks(text_to_items(read_text_file(TXT_002)))


def test_every_table_kept_whole(pdf_blocks):
    rows = table_rows(pdf_blocks, "doc002")
    assert [(r["page"], r["n_rows"], r["n_cols"], r["header_rows"]) for r in rows] == [
        (5, 6, 21, 2), (5, 6, 22, 2), (5, 7, 12, 3), (5, 7, 13, 3), (8, 2, 2, 1)]
    tables = [b for b in pdf_blocks if b.kind == BlockKind.TABLE]
    assert [json.loads(r["cells"]) for r in rows] == [b.cells for b in tables]
    assert {r["heading"] for r in rows} == {"Background information"}
    assert json.loads(rows[0]["pages"]) == [5]


def test_na_and_blank_cells_kept_as_text(pdf_blocks):
    sickness = json.loads(table_rows(pdf_blocks, "doc002")[2]["cells"])
    assert sickness[4][-1] == "N/A"
    agency = json.loads(table_rows(pdf_blocks, "doc002")[0]["cells"])
    assert agency[3][-6:] == ["", "", "", "", "", ""] and agency[3][0] is None


def test_ids_match_metric_table_ids(pdf_blocks):
    result = tables_to_metrics(pdf_blocks, document_id="doc002", council="Wirral")
    used = {m.table_id for m in result.metrics}
    rows = table_rows(pdf_blocks, "doc002", metric_table_ids=used)
    assert used == {r["id"] for r in rows[:4]}
    assert [r["in_metrics"] for r in rows] == [True, True, True, True, False]
    assert table_rows(pdf_blocks, "doc002") != table_rows(pdf_blocks, "other")


def test_text_tables_get_the_line_above_as_caption(text_blocks):
    rows = table_rows(text_blocks, "doc002txt")
    assert [r["caption"] for r in rows] == [
        "Number of agency staff in post (April 2022 – October 2023)",
        "Agency",
        "Sickness and days lost throughout the directorate (April 2023 – October 2023)",
        "(April 2022-November 2022)",
    ]
    # The sickness tables keep their one-cell title rows ("FY 2022/23 Total") as rows of the table.
    assert [r["n_rows"] for r in rows] == [6, 6, 8, 8]


def test_split_table_is_one_row(pdf_blocks):
    first = next(b for b in pdf_blocks if b.kind == BlockKind.TABLE)
    parts = [replace(first, cells=first.cells[:3]), replace(first, cells=first.cells[3:], page=6, pages=[6])]
    rows = table_rows(parts, "doc002")
    assert len(rows) == 1
    assert json.loads(rows[0]["pages"]) == [5, 6] and json.loads(rows[0]["cells"]) == first.cells


def test_rows_load_into_sqlite(pdf_blocks, text_blocks):
    db = Database(memory=True)
    db["tables"].upsert_all(table_rows(pdf_blocks, "pdf"), pk="id", alter=True)
    db["tables"].upsert_all(table_rows(text_blocks, "txt"), pk="id", alter=True)
    db["tables"].upsert_all(table_rows(pdf_blocks, "pdf"), pk="id", alter=True)  # re-ingest: no change
    assert db["tables"].count == 9
    n_a = db.execute("select count(*) from tables where cells like '%\"N/A\"%'").fetchone()[0]
    assert n_a == 4


def test_each_table_says_how_it_was_found_and_where_it_is(built_kb):
    rows = list(Database(built_kb)["tables"].rows)
    assert rows and {r["found_by"] for r in rows} <= {"ruled", "rules_horizontal", "aligned_text"}
    for r in rows:
        boxes = json.loads(r["boxes"])
        assert [b[0] for b in boxes] == json.loads(r["pages"]) and all(b[1] < b[3] and b[2] < b[4] for b in boxes)
