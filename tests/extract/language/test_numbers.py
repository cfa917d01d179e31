"""Number words, ordinals and ranges."""
from __future__ import annotations

import pytest

from extract.language.numbers import find_numbers, parse_range, to_number, word_value


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
