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


def test_a_response_column_and_a_column_dated_by_its_edition_keep_their_roles():
    assert [column_role(n) for n in ("Executive response", "Update (February 2025)", "Progress as at 31 March 2025",
                                     "Date of meeting")] == ["status", "progress", "progress", None]
    lines = ("Recommendation\nResponse\nLead officer\nTimescale\nUpdate (February 2025)\n"
             "1. Offer exit interviews to all leavers.\nAccepted\nHR Business Partner\nSeptember 2024\n"
             "Exit interviews are now offered to every leaver.\n").split("\n")
    rows, _ = tracker_rows(lines, 0)
    assert rows[1] == ["1. Offer exit interviews to all leavers.", "Accepted", "HR Business Partner",
                       "September 2024", "Exit interviews are now offered to every leaver."]


def test_an_action_plans_field_lines_are_named_as_tracker_columns():
    from extract.layout.trackers import ITEM_LABEL, plan_field

    assert [plan_field(line) for line in ("Lead officer: Assistant Director, Safeguarding", "Target date: June 2025",
                                          "By whom - Head of HR", "Progress: on track", "Date of meeting: 4 May 2025")] \
        == [("lead", "Assistant Director, Safeguarding"), ("due", "June 2025"), ("lead", "Head of HR"), None, None]
    assert ITEM_LABEL.match("Action 1.2: Introduce a supplement").end() == len("Action 1.2: ")
