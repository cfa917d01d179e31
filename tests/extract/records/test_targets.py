"""Targets on the real documents and on other councils' phrasings."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.records.targets import find_targets, quantity_of
from schemas import Action, Block, BlockKind
from tests.extract.records.test_cohorts import PDFS, TEXTS, extracted

from tests.conftest import DATA  # noqa: E402


def _targets(nlp, *texts: str, actions: list[Action] = ()):
    blocks, start = [], 0
    for seq, text in enumerate(texts):
        blocks.append(Block(kind=BlockKind.PARAGRAPH, text=text, page=1, seq=seq, char_start=start))
        start += len(text) + 1
    return find_targets(blocks, list(actions), nlp, document_id="d", council="Testshire", published="2024-06")


@pytest.mark.parametrize("path", TEXTS + PDFS, ids=lambda p: p.name)
def test_every_target_points_at_its_text(path):
    x = extracted(path)
    action_ids = {a.id for a in x.actions}
    for t in x.targets:
        assert x.document.text[t.char_start:t.char_end] == t.text
        assert t.action_id is None or t.action_id in action_ids
        assert t.value_min is None or t.value_min <= t.value_max


def test_every_dated_commitment_is_a_target():
    x = extracted(DATA / "004_d5165c856a572d5e.txt")
    targeted = {t.action_id for t in x.targets}
    for a in x.actions:
        if a.kind == "commitment" and a.due_date:
            assert a.id in targeted


def test_range_every_year_with_review_date():
    x = extracted(DATA / "004_d5165c856a572d5e.txt")
    [t] = [t for t in x.targets if t.value_max == 10]
    assert (t.value_min, t.unit, t.period, t.deadline_date) == (8, "people", "per year", "2023-03")
    assert "Practice Educator Professional Standards Awards" in t.metric


def test_recruitment_table_rows():
    x = extracted(DATA / "003_d80c8cc1c9b6dc28.txt")
    found = sorted((t.value_min, t.metric) for t in x.targets)
    assert [v for v, _ in found] == [1, 1, 10]
    # The text dump prints the Lead column on the same line, so compare the metric's start.
    assert [m.split()[:2] for _, m in found] == [["Principal", "Social"], ["additional", "Team"],
                                                 ["additional", "social"]]


def test_projected_reduction_in_days_per_fte():
    [t] = extracted(DATA / "002_c2b6556e76a60ddc.txt").targets
    assert (t.value_min, t.unit, t.deadline_text, t.deadline_date) == (0.7, "days per FTE", "by April 2024", "2024-04")


def test_targets_as_percentages(nlp):
    [t] = _targets(nlp, "Increase the proportion of permanent social workers to 85% by March 2025.")
    assert (t.value_min, t.value_max, t.unit, t.deadline_date) == (85, 85, "percent", "2025-03")
    [t] = _targets(nlp, "We will reduce agency use by 10 per cent over the next 12 months.")
    assert (t.value_min, t.unit, t.deadline_date) == (10, "percent", None)


def test_a_count_changed_from_one_number_to_another_names_what_is_counted(nlp):
    [t] = _targets(nlp, "Reduce the number of agency social workers from 45 to 30 by March 2025.")
    assert (t.value_min, t.value_max, t.unit, t.metric, t.deadline_date) == (
        30, 30, "people", "number of agency social workers", "2025-03")


def test_a_yearly_number_names_what_is_counted_and_its_period(nlp):
    [t] = _targets(nlp, "Increase the number of Social Work Degree Apprentices to 20 a year from 2025.")
    assert (t.value_min, t.unit, t.metric, t.period) == (20, "people", "number of Social Work Degree Apprentices",
                                                         "per year")
    [t] = _targets(nlp, "We will offer 60 student placements each year, which will be funded by the partnership.")
    assert (t.value_min, t.unit, t.metric, t.period) == (60, "people", "student placements", "per year")


def test_percentage_change_aims_at_the_new_rate(nlp):
    [t] = _targets(nlp, "Increase the proportion of permanent social workers from 60% to 75% by March 2026.")
    assert (t.value_min, t.unit, t.metric, t.deadline_date) == (
        75, "percent", "proportion of permanent social workers", "2026-03")
    [t] = _targets(nlp, "95% of social workers will receive monthly supervision by March 2025.")
    assert (t.value_min, t.unit, t.deadline_date) == (95, "percent", "2025-03")


def test_national_forecast_is_not_a_target(nlp):
    assert _targets(nlp, "Nationally, 30% of social workers will leave the profession within five years.") == []


def test_recurring_aim(nlp):
    [t] = _targets(nlp, "Our aim is to recruit 15 newly qualified social workers each year.")
    assert (t.value_min, t.unit, t.period) == (15, "people", "per year")


@pytest.mark.parametrize("text", [
    "We recruited 7 social workers through agencies last year.",
    "Health Check to be completed annually.",
    "In the coming months this project will begin recruitment.",
    "Over 200 professionals have been trained since October 2022.",
    "We have grown this cohort from 3 students in 2019 to 6 students in 2022.",
    # a reported bid, a forecast in a clause after the aim's own, a national programme's places
    "The council has successfully bid for funding to train a further 20 social workers.",
    "This is the third year we have run the scheme, with the first 15 trainees due to qualify in June 2025.",
    "The Department for Education funds the scheme to support 900 trainees in councils across England.",
    "That the contract be extended for up to 12-months if required.",  # a duration
])
def test_not_targets(nlp, text):
    assert _targets(nlp, text) == []


def test_dated_commitment_action_gives_a_target(nlp):
    text = "A refreshed induction programme will be launched in April 2025."
    action = Action(id="a1", document_id="d", council="Testshire", priority_id=None, text=text, kind="commitment",
                    lead=None, due_text="April 2025", due_date="2025-04", page=1, char_start=0, char_end=len(text))
    [t] = _targets(nlp, text, actions=[action])
    assert (t.action_id, t.deadline_date, t.value_min, t.text) == ("a1", "2025-04", None, text)


def test_quantity_of_skips_counts_about_now():
    assert quantity_of("We currently have 8 trainees and aim to reach 12 trainees by 2025").value_min == 12
    assert quantity_of("Recruit 10 additional social workers").metric == "additional social workers"


def test_a_measures_table_with_a_target_column_gives_a_target_per_row(nlp):
    cells = [["Measure", "Baseline (March 2024)", "Target (March 2027)"], ["Vacancy rate", "22%", "10%"],
             ["Agency social workers", "95", "40"], ["Average caseload", "21", "17 - 18"], ["Retention", "n/a", "tbc"]]
    text = "\n".join(" | ".join(row) for row in cells)
    table = Block(kind=BlockKind.TABLE, text=text, page=3, cells=cells, char_start=100)
    found = find_targets([table], [], nlp, document_id="d", council="Testshire", published="2024-04")
    assert [(t.metric, t.value_min, t.value_max, t.unit, t.deadline_date) for t in found] == [
        ("Vacancy rate", 10, 10, "percent", "2027-03"), ("Agency social workers", 40, 40, "people", "2027-03"),
        ("Average caseload", 17, 18, None, "2027-03")]
    assert [text[t.char_start - 100:t.char_end - 100] for t in found] == [t.text for t in found]
    assert found[0].text == "Vacancy rate | 22% | 10%"


def test_passive_aim_in_a_minute_reads_this_financial_year_against_the_paragraph_date(nlp):
    paragraph = ("As at the end of September 2023, 12 new social workers had been appointed. Further funding has "
                 "been agreed and it is expected that a further 8 social workers will be recruited by the end of "
                 "this financial year.")
    [t] = _targets(nlp, paragraph)  # the 12 appointed is a result, not an aim
    assert (t.value_min, t.value_max, t.unit, t.deadline_text, t.deadline_date) == (
        8, 8, "people", "by the end of this financial year", "2024-03")
    assert t.text.startswith("Further funding")


def test_reported_passive_aim(nlp):
    [t] = _targets(nlp, "Members were told that 20 vacant posts would be filled by March 2025.")
    assert (t.value_min, t.unit, t.deadline_date) == (20, "people", "2025-03")


def test_the_financial_year_ends_in_march_after_the_document_date(nlp):
    [t] = _targets(nlp, "We will recruit 10 social workers by the end of the financial year.")  # published 2024-06
    assert (t.value_min, t.deadline_text, t.deadline_date) == (10, "by the end of the financial year", "2025-03")


def test_a_blank_figure_gives_no_target_but_its_neighbour_does(nlp):
    [t] = _targets(nlp, "Our aim is to reduce the vacancy rate of and sustain the sickness rate at a level below 4%.")
    assert (t.value_min, t.value_max, t.unit) == (4, 4, "percent")


@pytest.mark.parametrize("text", [
    "A retention payment of £3,000 will be offered to social workers.",
    "The contract will be awarded for a term of 12 months.",
    "The grant will be used to fund the posts for 2014/15 and 2015/16.",
    "Next review date: April 2025.",
    "There are currently 14 vacancies, which will be filled by agency staff.",
])
def test_pay_durations_periods_of_use_review_dates_and_counts_about_now_are_not_targets(nlp, text):
    assert _targets(nlp, text) == []


def _commitment(text: str, clause: str, due_text: str, due_date: str) -> Action:
    start = text.index(clause)
    return Action(id="a1", document_id="d", council="Testshire", priority_id=None, text=clause, kind="commitment",
                  lead=None, due_text=due_text, due_date=due_date, page=1, char_start=start,
                  char_end=start + len(clause))


def test_a_promise_clause_takes_no_number_from_the_rest_of_its_sentence(nlp):
    text = ("Officers reported that 31 trainees had begun the course in May, and that a second intake "
            "was expected to begin in April 2025.")
    clause = "a second intake was expected to begin in April 2025."
    [t] = _targets(nlp, text, actions=[_commitment(text, clause, "April 2025", "2025-04")])
    assert (t.text, t.value_min, t.deadline_date) == (clause, None, "2025-04")


def test_a_promise_clause_counts_its_own_number_not_a_minimum_before_it(nlp):
    text = ("Mentoring had been widened so that each hub had at least one trained mentor, and the service "
            "would enrol a further 9 staff on the course in May 2025.")
    clause = "the service would enrol a further 9 staff on the course in May 2025."
    [t] = _targets(nlp, text, actions=[_commitment(text, clause, "May 2025", "2025-05")])
    assert (t.value_min, t.value_max) == (9, 9)


def test_a_dated_pay_change_gives_a_target_with_no_value_from_its_pay_levels(nlp):
    text = ("That, from 1st April 2025, the retention payment be paid monthly as a 5% market supplement, "
            "the rest (2.5% of basic pay) after a year's service.")
    [t] = _targets(nlp, text, actions=[_commitment(text, text, "from 1st April 2025", "2025-04-01")])
    assert (t.value_min, t.deadline_date) == (None, "2025-04-01")


def test_places_funded_count_in_a_dated_commitment(nlp):
    text = "It was reported that the hub would take on apprentices from May 2025, with four places funded."
    action = _commitment(text, text, "from May 2025", "2025-05")
    [t] = _targets(nlp, text, actions=[action])
    assert (t.value_min, t.deadline_date) == (4, "2025-05")


@pytest.mark.parametrize("text,value", [
    ("guarantee caseloads of no more than 16 children for newly qualified staff;", 16),
    ("Caseloads will be kept to a maximum of 20 children per worker.", 20),
    ("Caseloads were no more than 16 children last year.", None),
    ("Members heard that staff now worked with a protected caseload of no more than 12 children.", None),
    ("Your caseload will be protected, ensuring no more than 12 children are allocated to you.", 12),
])
def test_a_promised_ceiling_is_a_target_value(text, value):
    q = quantity_of(text)
    assert (q.value_min if q else None) == value


def test_the_quick_tests_pass_over_only_sentences_their_patterns_cannot_match(nlp):
    import re

    from extract.language.nlp import block_segments, parse, sentences, span_text
    from extract.language.numbers import has_word
    from extract.pipeline import extract_document
    from extract.records import targets
    from tests.conftest import CORPUS_PDFS, SEED_TEXTS

    texts = [span_text(sent) for path in CORPUS_PDFS + SEED_TEXTS
             for block in extract_document(path, records=False).blocks
             for _, text in block_segments(block) for sent in sentences(parse(nlp, text))]
    texts += ["Recruit 10 staff.", "the TARGET is 20", "15 posts will be filled", "90% will be trained"]
    promised = re.compile(r"\b(will|shall|aim|target|expect(?:ed)?)\b", re.IGNORECASE)
    checked = 0
    for words, pattern in ((targets._AIM_WORDS, targets._AIM), (targets._TARGET_NOUN_WORDS, targets._TARGET_NOUN),
                           (targets._BE, targets._PASSIVE_AIM), (targets._PROMISED_WORDS, promised)):
        for text in texts:
            if has_word(text, words):
                checked += 1
            else:
                assert pattern.search(text) is None, (pattern.pattern[:40], text)
    assert checked > 100


def test_an_aim_added_in_words_or_as_an_or_range_beside_a_reported_clause(nlp):
    [added] = _targets(nlp, "That three senior social workers be funded, and to add two social workers to the "
                            "leaving care team.")
    assert (added.value_min, added.value_max, added.unit) == (2, 2, "people")
    [caseload] = _targets(nlp, "Extra funding had been secured for the teams, but caseloads were high at about "
                               "twenty cases, and these needed to be reduced to fifteen or sixteen cases.")
    assert (caseload.value_min, caseload.value_max, caseload.unit) == (15, 16, "cases")


def test_posts_to_add_are_a_quantity_to_reach():
    added = quantity_of("That two practice educator posts be created and to add four social workers to the assessment team.")
    assert (added.value_min, added.value_max) == (4, 4)
    assert quantity_of("A further 6 social workers will be added to the fostering team by June.").value_min == 6


def test_what_an_foi_answer_provides_is_no_target():
    assert quantity_of("To protect the individuals we can provide this information to you grouped as fewer than "
                       "10 social workers.") is None
    assert quantity_of("We will provide 10 additional social work placements next year.").value_min == 10
