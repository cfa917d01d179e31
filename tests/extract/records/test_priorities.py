"""Priorities from the real documents and from other councils' phrasings."""
from __future__ import annotations

from extract.layout.blocks import blocks_to_text, items_to_blocks
from extract.records.priorities import clean_title, find_priorities, priority_number
from extract.read.text import text_to_items


def _priorities(text: str):
    blocks = items_to_blocks(text_to_items(text))
    blocks_to_text(blocks)
    return find_priorities(blocks, document_id="doc", council="Anytown")


def test_numbered_priority_titles_lose_prefix_and_trailing_punctuation():
    assert priority_number("Priority 2: Support staff retention; and") == (2, "Support staff retention")
    assert priority_number("Objective 3 – Grow our own:") == (3, "Grow our own")
    assert priority_number("Prioritising the work") is None
    assert clean_title("Recruit and retain staff;") == "Recruit and retain staff"


def test_first_statement_of_each_number_wins():
    found = _priorities("Our priorities are:\n• Priority 1: Recruit locally;\n• Priority 2: Retain staff\n\n"
                        "Priority 1: Recruit locally and develop:\nWe held two events.\n")
    assert [(p.number, p.title) for p in found] == [(1, "Recruit locally"), (2, "Retain staff")]


def test_unnumbered_priorities_are_the_top_level_bullets_of_an_objectives_list():
    found = _priorities("Our strategic objectives:\n\n▪ Stabilise the workforce\n\n– Reduce agency use\n\n"
                        "▪ Improve supervision\n\n▪ Celebrate good practice.\n\n")
    assert [p.title for p in found] == ["Stabilise the workforce", "Improve supervision", "Celebrate good practice"]
    assert all(p.number is None for p in found)


def test_priority_offsets_cover_the_title(built_kb):
    import sqlite3

    db = sqlite3.connect(built_kb)
    rows = db.execute("select p.title, d.text, p.char_start, p.char_end from priorities p "
                      "join documents d on d.id = p.document_id").fetchall()
    assert len(rows) >= 25
    assert all(text[start:end] == title for title, text, start, end in rows)


def test_wirral_documents_have_five_numbered_priorities(built_kb):
    import sqlite3

    db = sqlite3.connect(built_kb)
    counts = db.execute("select count(*) from priorities where council = 'Wirral' and number between 1 and 5 "
                        "group by document_id").fetchall()
    assert counts == [(5,), (5,), (5,)]


def test_priorities_numbered_in_words_or_listed_with_item_numbers():
    blocks = items_to_blocks(text_to_items(
        "Priority One: Recruitment\n\nWe will recruit social workers to every team in the service, with a\n"
        "new offer.\n\nPriority Two: Retention\n\nWe will keep the social workers we have by improving the\n"
        "support.\n"))
    assert [(p.number, p.title) for p in find_priorities(blocks, document_id="d", council="X")] == [
        (1, "Recruitment"), (2, "Retention")]
    blocks = items_to_blocks(text_to_items(
        "Our workforce objectives are:\n\n1. Recruit a stable workforce\n\n2. Retain experienced staff\n\n"
        "3. Develop our managers\n\nThe plan was agreed in 2024.\n"))
    assert [p.title for p in find_priorities(blocks, document_id="d", council="X")] == [
        "Recruit a stable workforce", "Retain experienced staff", "Develop our managers"]


def test_a_contents_page_of_numbered_priority_themes_gives_each_theme_its_number_not_its_page():
    found = _priorities("Contents\n\nIntroduction 2\n\nOur Priority Themes for 2025-26 4\n\n"
                        "1. Safe caseloads for every team 4\n\n2. A career pathway for practitioners 5\n\n"
                        "3. Supervision that supports reflection 6\n\nGovernance 8\n\n")
    assert [(p.number, p.title) for p in found] == [
        (1, "Safe caseloads for every team"), (2, "A career pathway for practitioners"),
        (3, "Supervision that supports reflection")]
