"""The anchored span ruler finds exactly what spaCy's own span ruler finds, on the real documents."""
from __future__ import annotations

import warnings

import pytest
import spacy

from extract.language.nlp import ENTITY_PATTERN_FILES, block_segments, load_patterns
from extract.pipeline import extract_document
from extract.language.ruler import pattern_anchor
from tests.conftest import CORPUS_PDFS, SEED_TEXTS

CONFIG = {"spans_key": "entities", "phrase_matcher_attr": "LOWER",
          "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"}, "validate": True}


def _pipeline(factory: str, tagger: bool = False):
    """spaCy's span ruler or ours after the name-tag component, or ours tagging the docs itself."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    if not tagger:
        nlp.add_pipe("wkb_name_tags")
    ruler = nlp.add_pipe(factory, config=CONFIG | ({"tagger": {"@misc": "wkb.name_tags.v1"}} if tagger else {}))
    with warnings.catch_warnings():  # W012: phrase patterns carry the name tags, as in build_nlp
        warnings.filterwarnings("ignore", message=r"\[W012\]")
        ruler.add_patterns(load_patterns(ENTITY_PATTERN_FILES))
    return nlp


@pytest.fixture(scope="module")
def segments() -> list[str]:
    texts = []
    for path in CORPUS_PDFS + SEED_TEXTS:
        for block in extract_document(path, records=False).blocks:
            texts.extend(text for _, text in block_segments(block))
    return list(dict.fromkeys(texts))


def _spans(nlp, texts, key="entities"):
    found = []
    for text in texts:
        doc = nlp(text)
        found.append([(s.start, s.end, s.label_, s.id_) for s in doc.spans[key]])
    return found


def test_same_entities_as_spacys_span_ruler_on_every_document(segments):
    reference, anchored = _pipeline("span_ruler"), _pipeline("wkb_span_ruler")
    expected = _spans(reference, segments)
    assert sum(map(len, expected)) > 200  # the documents name many roles, teams and programmes
    assert _spans(anchored, segments) == expected
    assert _spans(_pipeline("wkb_span_ruler", tagger=True), segments) == expected


def test_same_entities_after_removing_a_label(segments):
    reference, anchored = _pipeline("span_ruler"), _pipeline("wkb_span_ruler")
    for nlp in (reference, anchored):
        nlp.get_pipe("span_ruler" if nlp is reference else "wkb_span_ruler").remove("TEAM")
    assert _spans(anchored, segments) == _spans(reference, segments)
    assert not any(label == "TEAM" for doc in _spans(anchored, segments) for *_, label, _ in doc)


def test_anchor_is_the_first_required_fixed_word_and_reach_is_bounded():
    assert pattern_anchor([{"TAG": "NAME"}, {"OP": "{0,5}", "TAG": {"IN": ["NAME"]}},
                           {"LOWER": {"IN": ["Team", "teams"]}}]) == ("LOWER", frozenset({"team", "teams"}), 6, 0)
    assert pattern_anchor([{"ORTH": "Step"}, {"ORTH": "-", "OP": "?"}, {"ORTH": "Up"}]) == \
        ("ORTH", frozenset({"Step"}), 0, 2)
    assert pattern_anchor([{"TAG": "NAME"}, {"IS_TITLE": True}]) is None  # nothing fixed to look for
    assert pattern_anchor([{"LOWER": "head"}, {"TAG": "NAME", "OP": "+"}]) is None  # unbounded reach


def test_patterns_without_anchor_still_match_the_whole_doc():
    patterns = [{"label": "TITLED", "pattern": [{"IS_TITLE": True}, {"IS_TITLE": True}]},
                {"label": "LEAD", "pattern": [{"IS_TITLE": True, "OP": "?"}, {"LOWER": "lead"}]}]
    found = []
    for factory in ("span_ruler", "wkb_span_ruler"):
        nlp = spacy.blank("en")
        nlp.add_pipe(factory, config={"spans_key": "found"}).add_patterns(patterns)
        found.append(_spans(nlp, ["The Workforce Lead met North Yorkshire today."], key="found")[0])
    assert found[0] == found[1]
    assert (4, 6, "TITLED", "") in found[1] and (1, 3, "LEAD", "") in found[1]


def test_every_entity_pattern_is_bounded_and_anchored():
    """No pattern falls back to matching the whole doc: each needs a fixed word and reaches a
    bounded number of tokens from it (and none uses a REGEX predicate)."""
    token_patterns = [p["pattern"] for p in load_patterns(ENTITY_PATTERN_FILES) if isinstance(p["pattern"], list)]
    assert len(token_patterns) > 20
    for pattern in token_patterns:
        assert pattern_anchor(pattern) is not None, pattern
        assert "REGEX" not in repr(pattern).upper(), pattern
