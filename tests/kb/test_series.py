"""Document series: order, appendices linked to their report, editions linked to what they revise."""
from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from kb.series import appendix_label, build_series

BODY = "\n".join(f"Paragraph {n}: the workforce plan sets out how social workers are supported in year {n}."
                 for n in range(12))


def doc(id: str, title: str, published: str | None, text: str = BODY, doc_type: str = "committee_report",
        strategy: str | None = "Workforce Strategy 2022-2025", council: str = "Northshire", source: str = "") -> dict:
    return {"id": id, "council": council, "title": title, "doc_type": doc_type, "strategy": strategy,
            "published": published, "source": source or f"{id}.pdf", "pages": 1, "text": text}


@pytest.fixture
def kb(tmp_path) -> Database:
    db = Database(tmp_path / "kb.db")
    db["documents"].insert_all([
        doc("update23", "Workforce strategy update", "2023-01-19", text="A first update.\n" + BODY[:300]),
        doc("report24", "Workforce strategy update", "2024-02-01",
            text="Report to committee.\nAPPENDICES\nAppendix A The strategy\nAppendix B Progress on each priority"),
        doc("appB", "Appendix B - Progress and Updates", "2024", text="Priority 1 progress.", strategy=None,
            doc_type="progress_update"),
        doc("plan22", "Workforce action plan", "2022-03", doc_type="action_plan"),
        doc("plan22v2", "Workforce action plan (revised)", "2022-07", doc_type="action_plan",
            text=BODY + "\nParagraph 12: one more line was added to this revised version."),
        doc("plan22copy", "Workforce action plan", "2022-03", doc_type="action_plan", source="plan22.txt"),
    ], pk="id")
    return db


def series(db: Database) -> dict[str, dict]:
    return {r["document_id"]: r for r in db["document_series"].rows}


def links(db: Database) -> set[tuple[str, str, str]]:
    return {(r["document_id"], r["other_id"], r["relation"]) for r in db["document_links"].rows}


def test_appendix_is_linked_to_the_report_that_lists_it(kb):
    build_series(kb)
    s = series(kb)
    assert s["appB"]["role"] == "appendix"
    assert (s["appB"]["appendix_of"], s["appB"]["appendix_label"]) == ("report24", "B")
    assert s["appB"]["series_id"] == s["report24"]["series_id"]  # takes its report's strategy
    assert ("appB", "report24", "appendix_of") in links(kb)


def test_series_is_ordered_by_published_with_previous_edition(kb):
    build_series(kb)
    s = series(kb)
    assert s["report24"]["previous_id"] == "update23"
    assert s["update23"]["position"] < s["report24"]["position"]


def test_revised_edition_supersedes_and_yearly_updates_do_not(kb):
    build_series(kb)
    s = series(kb)
    assert s["plan22v2"]["supersedes_id"] in ("plan22", "plan22copy")
    assert s["report24"]["supersedes_id"] is None  # same title, different content: a new update, not a revision


def test_same_text_in_two_files_is_one_document(kb):
    build_series(kb)
    assert ("plan22copy", "plan22", "same_text") in links(kb) or ("plan22", "plan22copy", "same_text") in links(kb)


def test_rebuild_gives_the_same_rows(kb):
    build_series(kb)
    first = (series(kb), links(kb))
    build_series(kb)
    assert (series(kb), links(kb)) == first


@pytest.mark.parametrize("title, label", [
    ("Appendix B – Progress and Updates", "B"), ("APPENDIX 2: Action plan", "2"), ("Annex C", "C"),
    ("Appendices to the report", None), ("Social Care Workforce Strategy", None),
])
def test_appendix_label(title, label):
    assert appendix_label(title) == label


@pytest.mark.slow
def test_wirral_appendix_b_belongs_to_the_2024_report(built_kb, tmp_path):
    path = tmp_path / "kb.db"
    with sqlite3.connect(built_kb) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    db = Database(path)
    build_series(db)
    row = next(db.query("select s.*, r.published as report_published from document_series s "
                        "join documents r on r.id = s.appendix_of where s.role = 'appendix'"))
    assert row["appendix_label"] == "B" and row["council"] == "Wirral"
    assert row["report_published"].startswith("2024")
