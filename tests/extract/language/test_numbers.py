"""Number words, ordinals and ranges."""
from __future__ import annotations

import pytest

import re

from extract.language.numbers import (Lead, find_numbers, folded, leading_words, matches_at, parse_range,
                                      search_from_word, to_number, word_starts, word_value)


@pytest.mark.parametrize("word,value", [
    ("eighth", 8), ("four", 4), ("Five", 5), ("3rd", 3), ("21st", 21), ("twenty-four", 24),
    ("Twelve", 12), ("first", 1), ("24", 24),
])
def test_word_value(word, value):
    assert word_value(word) == value


def test_word_value_unknown_word():
    assert word_value("several") is None


def test_a_third_cohort_is_three():
    [n] = find_numbers("we invested in a third cohort")
    assert (n.value, n.ordinal, n.text) == (3, True, "third")


def test_find_numbers_keeps_offsets_and_kinds():
    text = "Recruit 10 social workers, 85% of posts filled and 0.7 days lost"
    numbers = find_numbers(text)
    assert [n.value for n in numbers] == [10, 85, 0.7]
    assert [text[n.start:n.end] for n in numbers] == [n.text for n in numbers]
    assert numbers[1].percent and not numbers[0].percent


def test_money_and_dotted_dates_are_not_counts():
    assert find_numbers("£250,000 in funding") == []
    assert [n.value for n in find_numbers("as of 31.8.23 there were")] == []


@pytest.mark.parametrize("text,expected", [
    ("8 – 10", (8, 10)), ("8-10", (8, 10)), ("5 to 7", (5, 7)), ("between 5 and 7", (5, 7)),
    ("10", (10, 10)), ("four", (4, 4)),
])
def test_parse_range(text, expected):
    assert parse_range(text) == expected


def test_to_number_rejects_text_with_more_than_a_number():
    assert to_number("1,200") == 1200
    assert to_number("10 social workers") is None


def test_passages_the_quick_test_passes_over_hold_no_number():
    from extract.language.nlp import block_segments
    from extract.language.numbers import _number_re, has_number, word_value
    from extract.pipeline import extract_document
    from tests.conftest import CORPUS_PDFS, SEED_TEXTS

    texts = [text for path in CORPUS_PDFS + SEED_TEXTS for block in extract_document(path, records=False).blocks
             for _, text in block_segments(block)] + ["Twenty-four NQSWs", "no figures at all", "ſix"]
    skipped = [t for t in texts if not has_number(t)]
    assert len(skipped) > 100
    for text in skipped:
        assert not [m for m in _number_re().finditer(text) if m.group("digits") or word_value(m.group("word"))]


def test_has_word_finds_whole_words_in_any_case():
    from extract.language.numbers import has_word

    words = frozenset({"aim", "target"})
    assert has_word("Our AIM is to recruit", words) and has_word("the target: 10", words)
    assert not has_word("aimed at targets", words)  # parts of longer words are no whole words
    assert has_word("ſ", frozenset({"s"}))  # a character a case-blind pattern folds to ASCII: the pattern decides


@pytest.mark.parametrize("pattern,flags,words,line", [
    (r"\breport\s+summary\b", 0, ("report",), None), (r"\bwards?\s+affected\b", 0, ("ward",), None),
    (r"contact\s+officer", 0, ("contact",), None), (r"\bis\s+(?:recommended|asked)\s+to\b", 0, ("is",), None),
    (r"\bReport\s+Author\b", 0, ("report",), None),
    (r"\b(?:date\s+of\s+meeting|meeting\s+date)\b", 0, ("date", "meeting"), None),
    (r"\b(?:this|the)\s+report\b", 0, ("the", "this"), None),
    (r"\b(?:will|'ll|expected|expect|plans?\s+to|planned)\b", 0, ("'ll", "expect", "plan", "will"), None),
    (r"^\s*recommendations?\b", re.MULTILINE, ("recommendation",), "space"),
    (r"^[ \t]*(?:cabinet|committee)\s+noted\b", re.MULTILINE, ("cabinet", "committee"), "blank"),
    (r"^\s*recommendations?\b", 0, None, None),  # (without MULTILINE, ^ is the text's start only)
    (r"\b(?:key|)decision", 0, None, None), (r"\b(?:key|(?:ward|area)s)\s", 0, None, None),
    (r"\b(?:key\s+)?decision", 0, None, None), (r"\breport\s+of|\bprepared\s+by", 0, None, None),
    (r"\bkey[]]decision", 0, None, None), (r"(?i)\bagenda\s+item", 0, None, None),
])
def test_leading_words_are_where_every_match_starts(pattern, flags, words, line):
    lead = leading_words(re.compile(pattern, re.IGNORECASE | flags))
    assert (lead.words, lead.line) == (words, line) if words else lead is None


_COUNCIL_PAPER = ("Report to: Children and Families Committee\nREPORT SUMMARY\nThe Freport summary of last year "
                  "is replaced. This report summary sets out the Report   Summary of recruitment.\n")


@pytest.mark.parametrize("pattern", [r"\breport\s+summary\b", r"\bsummary\s+of\s+recruitment\b",
                                     r"\breport\s+to\b", r"\bfreport\s+summary\b", r"\bcontact\s+officer\b",
                                     r"\bsummary\s+sets\b", r"\b(?:this|the)\s+report\b", r"^\s*report\s+(?:to|of)\b",
                                     r"^[ \t]*(?:report|summary)\b", r"\b(?:summary\s+of|freport)\b"])
@pytest.mark.parametrize("text", [
    _COUNCIL_PAPER,
    "freport summary, then report summary",  # a word-boundary miss before the first match
    "The Director's Report Summary (\u201cthe summary\u201d) for the Scrutiny Committee",  # mixed case, not ASCII
    "Stra\u00dfe report summary",  # lower-casing keeps the offsets
    "\u0130stanbul office: report summary",  # lower-casing "\u0130" takes two characters
    "the report \u017fummary of the Corporate Parenting Panel",  # "\u017f" matches "s" case-blind
    "Cabinet\n\n  \n\t Report to Cabinet\n \t report of the Director",  # line starts before spaces and blank lines
    "x\n \u00a0Report to Council",  # a no-break space, which \s matches and [ \t] does not
    "",
])
def test_search_from_word_finds_what_the_search_finds(pattern, text):
    cue = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    found = search_from_word(cue, text, folded(text), leading_words(cue))
    expected = cue.search(text)
    assert (found and found.span()) == (expected and expected.span())


def test_folded_only_where_offsets_and_ascii_letters_are_kept():
    assert folded("Report SUMMARY \u2013 Cabinet") == "report summary \u2013 cabinet"
    assert folded("\u0130stanbul") is None  # two characters in lower case
    assert folded("repo\u017ft") is None  # a long s, which a case-blind "s" matches
    assert folded("Ba\u0131ley") is None  # a dotless i, which a case-blind "i" matches


def test_a_word_boundary_miss_is_passed_over_for_the_next_candidate():
    cue = re.compile(r"\breport\s+summary\b", re.IGNORECASE)
    text = "The freport summary was withdrawn; the REPORT Summary follows."
    found = search_from_word(cue, text, folded(text), Lead(("report",)))
    assert found and found.group(0) == "REPORT Summary"


@pytest.mark.parametrize("text", [
    "This workforce strategy sets out our strategy. Our Strategy is this strategy: THIS STRATEGY.",
    "Thistle House hosts our recruitment strategy; your strategy is not ours.",  # words run into others
    "our our strategy and this this this strategy",  # a match starting inside an earlier candidate's span
    "The Corporate Parenting Panel noted the update.",
])
def test_matches_at_word_starts_are_the_patterns_finditer(text):
    pattern = re.compile(r"\b(?:this|our)\s+(?:\w+\s+){0,3}?strategy\b", re.IGNORECASE)
    low = folded(text)
    found = matches_at(pattern, text, word_starts(low, ("this", "our")))
    assert [m.span() for m in found] == [m.span() for m in pattern.finditer(text)]


def test_word_starts_include_overlapping_and_inner_ones():
    assert word_starts("our hour; ourour", ("our",)) == {0, 5, 10, 13}
