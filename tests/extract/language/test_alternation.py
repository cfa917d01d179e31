"""A word list's pattern as a trie."""
from __future__ import annotations

import re

from extract.language.alternation import alternation
from extract.records.metadata import _council_index

NAMES = ["bath", "bath and north east somerset", "north east lincolnshire", "north east", "barnet", "barnsley",
         "st. helens", "st helens", "kingston upon hull", "kingston upon thames"]
TEXT = ("Bath and North East Somerset Council, BATH and North East Somersets, north east lincolnshire's, "
        "Barnsley, Barnets, St. Helens and St Helens, Kingston upon Hull, Kingston upon Thamesside, Kingston")


def _spans(words_pattern: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rf"(?i:{words_pattern})(?![\w-])", TEXT)]


def test_matches_the_longest_word_and_falls_back_to_a_shorter_one_when_what_follows_fails():
    spans = _spans(alternation(NAMES))
    assert [TEXT[start:end] for start, end in spans] == [
        "Bath and North East Somerset", "BATH", "North East", "north east lincolnshire", "Barnsley", "St. Helens",
        "St Helens", "Kingston upon Hull"]
    assert spans == _spans("|".join(map(re.escape, sorted(NAMES, key=len, reverse=True))))


def test_shared_beginnings_are_written_once():
    assert alternation(["team", "teams", "tea"]) == "tea(?:m(?:s)?)?"
    assert alternation(["cat", "car"]) == "ca(?:t|r)"


def test_the_council_pattern_finds_what_the_plain_alternation_of_its_forms_finds():
    pattern, forms = _council_index()
    plain = re.compile(pattern.pattern.replace(alternation(forms), "|".join(
        map(re.escape, sorted(forms, key=len, reverse=True)))))
    text = ("Sefton Council and SEFTON's partners, Bath and North East Somerset, Sutton-in-Ashfield, Reading, "
            "reading, the City of York Council, Kingston upon Hull City Council, St. Helens and St Helens'")
    assert plain.pattern != pattern.pattern
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)] != []
