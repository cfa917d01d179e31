"""Text dumps and saved web pages: furniture dropped, a cut word dropped, the rest kept."""
from __future__ import annotations

import pytest

from extract.read.text import text_to_items, without_furniture
from schemas import Block


@pytest.mark.parametrize("line", ["Skip to main content", "Additional documents:", "Supporting documents:",
                                  "Page 2 of 9", "advertisement", "Home > Council > Meetings", "|", "Back to top",
                                  "Total Page:16", "Start display at page:",
                                  "We use cookies on this website. Accept all cookies",
                                  "Appendix 1 - Workforce data , item 5 PDF 245 KB"])
def test_furniture_lines_are_dropped(line):
    assert without_furniture(line) == ""


def test_a_file_link_label_is_cut_off_its_heading():
    assert without_furniture("44 Workforce Update pdf icon PDF 140 KB") == "44 Workforce Update"
    assert without_furniture("(1) |") == "(1)"


def test_ordinary_lines_are_kept():
    assert without_furniture("Page turners: the reading scheme for new staff") == \
        "Page turners: the reading scheme for new staff"


def test_the_word_a_capped_page_was_cut_in_is_dropped_but_a_finished_file_is_kept():
    cut = [i.text for i in text_to_items("Minutes:\n\nThe service would extend the academy to occupational therap")]
    assert cut[-1] == "The service would extend the academy to occupational"
    whole = [i.text for i in text_to_items("Minutes:\n\nThe service would extend the academy.\n")]
    assert whole[-1] == "The service would extend the academy."


def test_a_flattened_tracker_becomes_a_table():
    items = text_to_items("Action\nLead\nBy when\n\nRun a recruitment fair\nHead of Service\nMay 2025\n")
    tables = [i for i in items if isinstance(i, Block)]
    assert tables and tables[0].cells == [["Action", "Lead", "By when"],
                                          ["Run a recruitment fair", "Head of Service", "May 2025"]]


def test_a_bare_number_among_figures_is_a_cell_and_among_prose_a_page_number():
    lines = [i.text for i in text_to_items("Year\nStarters\nLeavers\n2023/24\n41\n37\n2024/25\n44\n30\n")]
    assert lines == ["Year", "Starters", "Leavers", "2023/24", "41", "37", "2024/25", "44", "30"]
    prose = [i.text for i in text_to_items("The academy grew this year.\n\n12\n\nRetention also improved.\n")]
    assert "12" not in prose
