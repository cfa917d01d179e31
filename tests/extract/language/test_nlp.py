"""The rule pipeline: components registered by name, patterns loaded from data files."""
from __future__ import annotations

import spacy

from extract.language.nlp import block_segments, build_nlp, date_iso, initialize, load_patterns, parse, sentences, spans_of


def test_pipeline_is_blank_english_with_named_rule_components(nlp):
    assert nlp.lang == "en"
    assert nlp.pipe_names[:2] == ["sentencizer", "wkb_entities"]
    assert {"wkb_dates", "wkb_cohort_phrases"} <= set(nlp.pipe_names)
    assert build_nlp() is nlp  # built once


def test_name_words_are_tagged_only_where_an_entity_pattern_can_use_them(nlp):
    named = parse(nlp, "The Workforce Development Board met.")
    assert [t.tag_ for t in named] == ["O", "NAME", "NAME", "NAME", "O", "O"]
    assert [t.tag_ for t in parse(nlp, "Numbers rose again.")] == ["", "", "", ""]  # no anchor word


def test_patterns_are_data_with_labels():
    labels = {p["label"] for p in load_patterns()}
    assert labels == {"PROGRAMME", "ROLE", "TEAM", "ORG"}


def _ents(nlp, text):
    return [(e.label_, e.text, e.id_) for e in parse(nlp, text).spans["entities"]]


def test_programmes_get_canonical_ids(nlp):
    ents = _ents(nlp, "Our Step Up students, 24 NQSWs and the Social Work Degree Apprenticeship.")
    assert ("PROGRAMME", "Step Up", "Step Up to Social Work") in ents
    assert ("PROGRAMME", "NQSWs", "ASYE") in ents
    assert ("PROGRAMME", "Social Work Degree Apprenticeship", "Social Work Degree Apprenticeship") in ents


def test_lower_case_frontline_is_not_the_programme(nlp):
    assert not [e for e in _ents(nlp, "Support for frontline staff.") if e[0] == "PROGRAMME"]
    assert ("PROGRAMME", "Frontline", "Frontline") in _ents(nlp, "Our Frontline unit.")


def test_roles_teams_and_organisations(nlp):
    ents = {(label, text) for label, text, _ in _ents(
        nlp, "The Head of Service and the Workforce Development Board met Cheshire West and Chester Council "
             "and the corporate Communications Team.")}
    assert ("ROLE", "Head of Service") in ents
    assert ("TEAM", "Workforce Development Board") in ents
    assert ("ORG", "Cheshire West and Chester Council") in ents
    assert ("TEAM", "corporate Communications Team") in ents


def test_dates_and_cohort_phrases_land_in_doc_spans(nlp):
    doc = parse(nlp, "Our eighth cohort began in January 2024 with 27 trainees.")
    assert "dates" not in doc.spans and "cohort_phrases" not in doc.spans  # found when a reader first asks
    phrases = [(s.label_, s.text, s.kb_id_) for s in spans_of(doc, "cohort_phrases")]
    assert ("COHORT_LABEL", "eighth cohort", "8") in phrases and ("COUNT", "27 trainees", "27") in phrases
    assert [(s.label_, s.kb_id_) for s in spans_of(doc, "dates")] == [("month", "2024-01")]
    whole = nlp(doc.text)  # the whole pipeline, as spaCy runs it, finds the same dates
    assert [(s.label_, s.kb_id_) for s in whole.spans["dates"]] == [("month", "2024-01")]


def test_relative_dates_resolve_against_the_document_date(nlp):
    [span] = spans_of(parse(nlp, "The cohort has just begun this January."), "dates")
    assert (span.label_, date_iso(span, "2024-02-01"), date_iso(span, None)) == ("relative", "2024-01", None)


def test_dotted_date_does_not_end_a_sentence(nlp):
    doc = parse(nlp, "As of 31.8.23 there were 24 NQSWs. Another sentence.")
    assert len(list(doc.sents)) == 2


def test_the_pipeline_is_rebuilt_from_its_config_alone(nlp):
    again = spacy.util.load_model_from_config(nlp.config, auto_fill=True)
    initialize(again)
    assert again.pipe_names == nlp.pipe_names
    text = "The Head of Service met the Workforce Development Board about Step Up in January 2024."
    spans = [(s.label_, s.text) for s in parse(nlp, text).spans["entities"]]
    doc = again(text)
    assert spans and [(s.label_, s.text) for s in doc.spans["entities"]] == spans


def test_segments_without_a_letter_are_not_parsed():
    from schemas import Block, BlockKind

    table = Block(kind=BlockKind.TABLE, text="Measure | 2023 | Target\nVacancy rate | 22% | 10%", page=1)
    assert block_segments(table) == [(0, "Measure"), (17, "Target"), (24, "Vacancy rate")]
    assert block_segments(Block(kind=BlockKind.PARAGRAPH, text="12.5 – 14", page=1)) == []
    assert block_segments(Block(kind=BlockKind.PARAGRAPH, text="Über 5", page=1)) == [(0, "Über 5")]


def test_sentences_are_spacys_own_on_every_document(nlp):
    from extract.pipeline import extract_document
    from tests.conftest import CORPUS_PDFS, SEED_TEXTS

    checked = 0
    for path in CORPUS_PDFS + SEED_TEXTS:
        for block in extract_document(path, records=False).blocks:
            for _, text in block_segments(block):
                doc = parse(nlp, text)
                assert [(s.start, s.end) for s in sentences(doc)] == [(s.start, s.end) for s in doc.sents]
                checked += 1
    assert checked > 500


def test_parsing_a_documents_passages_together_gives_the_same_parses(nlp):
    from extract.language.nlp import _parse_cached, parse_all
    from extract.pipeline import extract_document
    from tests.conftest import CORPUS_PDFS

    texts = [text for block in extract_document(CORPUS_PDFS[1], records=False).blocks
             for _, text in block_segments(block)] + [""]

    def described(doc):
        return ([(t.text, t.tag_, t.is_sent_start) for t in doc], [(s.start, s.end, s.label_, s.id_)
                for s in doc.spans["entities"]], [(s.start, s.end) for s in spans_of(doc, "cohort_phrases")])

    _parse_cached.cache_clear()
    one_by_one = [described(parse(nlp, t)) for t in texts]
    _parse_cached.cache_clear()
    parse_all(nlp, texts)
    assert _parse_cached.cache_info().currsize == len(set(texts))
    assert [described(parse(nlp, t)) for t in texts] == one_by_one
    assert _parse_cached.cache_info().misses == len(set(texts))  # all parsed in parse_all, none again


def test_the_sentencizer_splits_as_spacys_own_on_every_document(nlp):
    from spacy.attrs import SENT_START
    from spacy.pipeline import Sentencizer

    from extract.language.nlp import _new_doc
    from extract.pipeline import extract_document
    from tests.conftest import CORPUS_PDFS, SEED_TEXTS

    spacys = Sentencizer(punct_chars=[".", "!", "?", ";"])
    ours = nlp.get_pipe("sentencizer")
    texts = [text for path in CORPUS_PDFS + SEED_TEXTS for block in extract_document(path, records=False).blocks
             for _, text in block_segments(block)]
    texts += ["One.", "Two. Three!", "Stop.) Next", "a ; b", "Ends with a stop.\n", "\u201cQuoted.\u201d Then", "?!"]
    for text in texts:
        expected, found = spacys(_new_doc(nlp, text)), ours(_new_doc(nlp, text))
        assert found.to_array(SENT_START).tolist() == expected.to_array(SENT_START).tolist(), text
