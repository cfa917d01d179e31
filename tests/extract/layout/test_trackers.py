"""Trackers flattened to one cell a line, rebuilt into rows in the header's order."""
from __future__ import annotations

from extract.layout.trackers import column_role, tracker_rows

TRACKER = """Recommendation
Action
By whom
By when
Progress
RAG

1. Improve supervision
Train every team manager in reflective supervision
Principal Social Worker
June 2025
Green
2. Reduce agency use
Offer agency social workers permanent contracts
Head of Service
April 2025
9 of the 15 offers have been accepted.
Amber


After the tracker:"""


def test_column_roles():
    assert [column_role(n) for n in ("Recommendation", "By whom", "By when", "Progress update", "RAG", "Notes")] == [
        "recommendation", "lead", "due", "progress", "status", None]


def test_rows_are_rebuilt_with_missing_cells_left_empty():
    lines = TRACKER.split("\n")
    rows, end = tracker_rows(lines, 0)
    assert rows == [
        ["Recommendation", "Action", "By whom", "By when", "Progress", "RAG"],
        ["1. Improve supervision", "Train every team manager in reflective supervision", "Principal Social Worker",
         "June 2025", None, "Green"],
        ["2. Reduce agency use", "Offer agency social workers permanent contracts", "Head of Service", "April 2025",
         "9 of the 15 offers have been accepted.", "Amber"],
    ]
    assert lines[end:end + 2] == ["", "After the tracker:"] or lines[end] == "After the tracker:"


def test_column_names_alone_or_a_list_of_two_are_not_a_tracker():
    assert tracker_rows(["Action", "Lead", "", "Some prose follows here."], 0) is None
    assert tracker_rows(["Progress", "Some prose.", "More prose."], 0) is None
