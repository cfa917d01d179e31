"""Building the KB: idempotence, bad input, one transaction per document."""
from __future__ import annotations

import shutil

import pytest
from sqlite_utils import Database

from extract.pipeline import extract_document
from kb.build import ingest, write_document
from tests.conftest import CORPUS_PDFS, DATA

TABLES = ["documents", "blocks", "priorities", "actions", "leads", "targets", "cohorts", "metrics"]


def _snapshot(path) -> dict:
    db = Database(path)
    return {t: sorted(r["id"] for r in db[t].rows) for t in TABLES if db[t].exists()}


BAD_FILES = ["empty.pdf", "saved-page.pdf", "truncated.pdf", "locked.pdf", "scan.pdf"]


def _make_bad_files(folder) -> None:
    """The bad inputs a council officer will meet, each made the way it happens in practice."""
    from PIL import Image

    from tests.pdfs import make_pdf

    (folder / "empty.pdf").write_bytes(b"")
    (folder / "saved-page.pdf").write_text("<!DOCTYPE html><html><body>Not found</body></html>")
    data = CORPUS_PDFS[0].read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (folder / "locked.pdf").write_bytes(make_pdf([[(50, 700, 12, "Password protected")]], password="secret"))
    Image.new("RGB", (400, 300), "white").save(folder / "scan.pdf")


def test_ingesting_the_same_folder_twice_changes_nothing(tmp_path):
    db_path = tmp_path / "kb.db"
    first = ingest(db_path, [DATA])
    assert len(first.ingested) == 5 and not first.failed
    before = _snapshot(db_path)
    second = ingest(db_path, [DATA])
    assert second.ingested == [] and len(second.unchanged) == 5
    assert _snapshot(db_path) == before
    assert second.summary() == "ingested 0, unchanged 5, failed 0"


def test_bad_files_fail_one_by_one_and_the_rest_is_ingested(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(DATA / "003_d80c8cc1c9b6dc28.txt", folder)
    (folder / "windows.txt").write_bytes("Sefton Council workforce update – £5,000 for Children’s services.\n"
                                         .encode("cp1252"))
    _make_bad_files(folder)
    db_path = tmp_path / "kb.db"
    report = ingest(db_path, [folder, tmp_path / "missing.pdf"])
    failed = dict(report.failed)
    assert {p.rsplit("/", 1)[-1] for p in failed} == set(BAD_FILES) | {"missing.pdf"}
    assert all(reason and "\n" not in reason for reason in failed.values())
    reasons = {p.rsplit("/", 1)[-1]: r for p, r in failed.items()}
    assert "encrypted" in reasons["locked.pdf"] and "no text layer" in reasons["scan.pdf"]
    assert len(report.ingested) == 2
    texts = [r["text"] for r in Database(db_path)["documents"].rows]
    assert any("£5,000 for Children’s services" in t for t in texts)
    sources = {r["source"].rsplit("/", 1)[-1] for r in Database(db_path)["documents"].rows}
    assert sources == {"003_d80c8cc1c9b6dc28.txt", "windows.txt"}


def test_a_failure_while_writing_leaves_the_database_as_it_was(tmp_path):
    db_path = tmp_path / "kb.db"
    ingest(db_path, [DATA / "003_d80c8cc1c9b6dc28.txt"])
    before = _snapshot(db_path)
    extracted = extract_document(DATA / "004_d5165c856a572d5e.txt")
    extracted.cohorts[-1].participants = object()  # not storable: the write fails after some rows went in
    with pytest.raises(Exception):
        write_document(Database(db_path), extracted)
    assert _snapshot(db_path) == before


def test_every_block_offset_points_into_its_document(built_kb):
    db = Database(built_kb)
    docs = {d["id"]: d["text"] for d in db["documents"].rows}
    blocks = list(db["blocks"].rows)
    assert len(blocks) > 300
    assert all(docs[b["document_id"]][b["char_start"]:b["char_end"]] == b["text"] for b in blocks)


def test_blocks_are_searchable_with_stemming(built_kb):
    db = Database(built_kb)
    hits = list(db["blocks"].search("apprenticeships"))
    assert any("Apprenticeship" in h["text"] for h in hits)
