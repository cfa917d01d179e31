"""Cohorts on the real documents and on other councils' phrasings."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extract.records.cohorts import cohort_status, find_cohorts
from schemas import Block, BlockKind, CohortStatus

from tests.conftest import CORPUS, DATA  # noqa: E402
TEXTS = sorted(DATA.glob("*.txt"))
PDFS = sorted(CORPUS.glob("*.pdf"))


@cache
def extracted(path: Path):
    """One extraction per file for the whole session (shared by the cohort, target and lead tests)."""
    from extract.pipeline import extract_document

    return extract_document(path)


def _doc(stem: str):
    return extracted(DATA / f"{stem}.txt")


def _cohorts(nlp, *texts: str, published: str | None = "2024"):
    blocks, start = [], 0
    for seq, text in enumerate(texts):
        blocks.append(Block(kind=BlockKind.LIST_ITEM, text=text, page=1, seq=seq, char_start=start,
                            heading_path=["Progress made to date"]))
        start += len(text) + 1
    return find_cohorts(blocks, nlp, document_id="d", council="Testshire", published=published)


def _facts(cohorts):
    return [(c.programme, c.cohort_label, c.cohort_number, c.participants, c.status) for c in cohorts]


@pytest.mark.parametrize("path", TEXTS + PDFS, ids=lambda p: p.name)
def test_every_cohort_points_at_its_text(path):
    x = extracted(path)
    for c in x.cohorts:
        assert x.document.text[c.char_start:c.char_end] == c.text
        assert c.status in {s.value for s in CohortStatus}
    assert len({c.id for c in x.cohorts}) == len(x.cohorts)


def test_progress_update_cohorts_in_reading_order():
    facts = _facts(_doc("001_e98010b9432bf09c").cohorts)
    assert facts[:4] == [
        ("Social Work Degree Apprenticeship", None, None, 5, "in_progress"),
        ("Social Work Degree Apprenticeship", "cohort 3", 3, 2, "started"),
        ("Step Up to Social Work", "eighth cohort", 8, 27, "started"),
        ("Step Up to Social Work", "eighth cohort", 8, 4, "started"),
    ]
    assert ("Frontline", "4th unit", 4, 4, "completed") in facts
    assert facts[facts.index(("Frontline", "4th unit", 4, 4, "completed")) + 1] == (
        "Frontline", "4th unit", 4, 3, "retained")
    assert [(f[3], f[4]) for f in facts if f[0] == "ASYE"] == [(24, "in_progress"), (17, "planned")]


def test_as_of_reads_the_sentence_date():
    by_text = {c.participants: c.as_of for c in _doc("001_e98010b9432bf09c").cohorts if c.programme == "ASYE"}
    assert by_text == {24: "2023-08-31", 17: "2023-08-31"}


def test_strategy_cohorts_including_growth_and_planned():
    facts = _facts(_doc("004_d5165c856a572d5e").cohorts)
    assert facts[:2] == [("Step Up to Social Work", "third cohort", 3, 6, "started"),
                         ("Step Up to Social Work", None, None, 3, "started")]
    assert ("Trainee Social Worker Programme", "3rd cohort", 3, None, "planned") in facts
    assert ("Trainee Social Worker Programme", "first Cohort", 1, None, "qualified") in facts


def test_generic_programme_descriptions_are_not_cohorts(nlp):
    assert _cohorts(nlp, "We provide an extensive ASYE programme for newly qualified social workers.",
                    "Fast Track Programmes, like Step Up and Frontline, increase the number of social workers.") == []


def test_work_on_a_programme_finishing_on_a_date_is_no_cohort_but_its_trainees_starting_are(nlp):
    assert _cohorts(nlp, "Work to redesign the ASYE programme was being led by the Principal Social Worker and "
                         "would be completed by June 2025.") == []
    started, = _cohorts(nlp, "Our Step Up to Social Work trainees started in September 2024.")
    assert (started.programme, started.status) == ("Step Up to Social Work", "started")


def test_counts_without_a_programme_are_not_cohorts(nlp):
    assert _cohorts(nlp, "To date, the agencies have provided 7 social workers.") == []


def test_two_year_groups_of_one_programme_in_one_sentence(nlp):
    cohorts = _cohorts(nlp, "We currently have 8 Step Up to Social Work trainees in their second year and 6 in their "
                            "first year.")
    assert [c.participants for c in cohorts] == [8, 6]
    assert {c.programme for c in cohorts} == {"Step Up to Social Work"}


def test_a_next_step_written_as_an_instruction_is_a_planned_cohort(nlp):
    [cohort] = _cohorts(nlp, "Expand the Frontline programme to a second unit of 4 participants.")
    assert (cohort.programme, cohort.cohort_number, cohort.participants, cohort.status) == (
        "Frontline", 2, 4, "planned")


def test_an_ordinal_before_a_long_programme_name_numbers_the_cohort(nlp):
    [cohort] = _cohorts(nlp, "Our fifth Step Up to Social Work cohort of fourteen trainees will begin in January 2025.")
    assert (cohort.programme, cohort.cohort_number, cohort.participants, cohort.status) == (
        "Step Up to Social Work", 5, 14, "planned")


def test_two_units_in_one_sentence_each_keep_their_size_and_outcome(nlp):
    cohorts = _cohorts(nlp, "Our second Frontline unit of four participants started in September 2023, and the first "
                            "unit of four qualified in July 2023, three of whom have stayed with the Council.")
    assert _facts(cohorts) == [
        ("Frontline", "second Frontline unit", 2, 4, "started"),
        ("Frontline", "first unit", 1, 4, "qualified"),
        ("Frontline", "first unit", 1, 3, "retained"),
    ]


def test_newly_qualified_social_workers_counted_are_an_asye_cohort(nlp):
    [cohort] = _cohorts(nlp, "We have appointed 24 newly qualified social workers, who started their ASYE in "
                             "September 2023.")
    assert (cohort.programme, cohort.participants, cohort.status, cohort.as_of) == ("ASYE", 24, "started", "2023-09")


def test_cohorts_written_out_in_words(nlp):
    cohorts = _cohorts(nlp, "Twelve Step Up to Social Work students started their training in January 2024.",
                       "Six social workers from our third Frontline cohort qualified in July 2023 and five of them "
                       "have stayed with us.")
    assert _facts(cohorts) == [
        ("Step Up to Social Work", None, None, 12, "started"),
        ("Frontline", "third Frontline cohort", 3, 6, "qualified"),
        ("Frontline", "third Frontline cohort", 3, 5, "retained"),
    ]
    assert cohorts[0].as_of == "2024-01"


def test_compound_number_words_count_the_whole_number(nlp):
    [c] = _cohorts(nlp, "Thirty-two Step Up to Social Work trainees will begin their placements in January 2026.")
    assert (c.programme, c.participants) == ("Step Up to Social Work", 32)


def test_where_they_graduated_from_is_not_a_status_but_joining_at_a_date_is_a_start(nlp):
    [c] = _cohorts(nlp, "Two newly qualified social workers, each a graduate of a local university, joined the "
                        "Academy at the beginning of March 2024.")
    assert (c.programme, c.status) == ("ASYE", "started")


def test_trainee_social_workers_on_a_page_about_a_named_programme_are_its_trainees(nlp):
    cohorts = _cohorts(nlp, "Our Frontline programme has been renewed for another year.",
                       "Twelve trainee social workers will join the teams in the autumn.")
    assert [(c.programme, c.participants) for c in cohorts] == [("Frontline", 12)]


def test_a_national_programmes_places_are_not_a_councils_cohort(nlp):
    assert _cohorts(nlp, "Step Up to Social Work will support 700 trainees in local authorities across England in "
                         "2026.") == []


def test_apprentices_currently_on_programme(nlp):
    [c] = _cohorts(nlp, "Fourteen staff are currently on the Social Work Degree Apprenticeship.")
    assert (c.programme, c.participants, c.status) == ("Social Work Degree Apprenticeship", 14, "in_progress")


def test_newly_qualified_names_the_group_not_the_status(nlp):
    [c] = _cohorts(nlp, "In 2022/23, 15 newly qualified social workers started their ASYE with us.")
    assert (c.programme, c.participants, c.status) == ("ASYE", 15, "started")


def test_current_and_further_intake(nlp):
    cohorts = _cohorts(nlp, "We currently have 6 apprentices on the Social Work Degree Apprenticeship, with a further "
                            "4 due to start in September 2024.")
    assert [(c.participants, c.status) for c in cohorts] == [(6, "in_progress"), (4, "planned")]


def test_label_number_is_not_a_head_count_and_a_part_stays_on(nlp):
    cohorts = _cohorts(nlp, "Our Step Up to Social Work cohort 6 students all qualified in summer 2023 and seven have "
                            "accepted permanent posts with the council.")
    assert _facts(cohorts) == [("Step Up to Social Work", "cohort 6", 6, None, "qualified"),
                               ("Step Up to Social Work", "cohort 6", 6, 7, "retained")]


def test_workforce_size_is_not_a_cohort(nlp):
    [c] = _cohorts(nlp, "The council has 120 social workers, 12 of whom are in their ASYE year.")
    assert (c.programme, c.participants) == ("ASYE", 12)


def test_dated_start_without_a_count_is_a_cohort(nlp):
    [c] = _cohorts(nlp, "Our Think Ahead trainees started their placements in September 2023.")
    assert (c.programme, c.participants, c.status, c.as_of) == ("Think Ahead", None, "started", "2023-09")


def test_planned_intake_with_a_label(nlp):
    [c] = _cohorts(nlp, "Cohort 4 of our Grow Our Own scheme will start in September 2025 with 10 learners.")
    assert (c.programme, c.cohort_label, c.cohort_number, c.participants, c.status, c.as_of) == (
        "Grow Our Own", "Cohort 4", 4, 10, "planned", "2025-09")


def test_a_running_total_supported_by_an_academy_named_before(nlp):
    [c] = _cohorts(nlp, "The report set out the progress of the Social Work Academy.",
                   "Officers confirmed that since 2019, 52 social workers had been supported by the Academy.")
    assert (c.programme, c.cohort_label, c.participants, c.status, c.as_of) == ("ASYE", None, 52, "in_progress", None)


def test_people_of_a_labelled_cohort_who_had_returned_are_retained(nlp):
    [c] = _cohorts(nlp, "Our Social Work Academy supports newly qualified social workers through their ASYE.",
                   "In the second cohort, two people who had left to work for an agency had returned to the council.")
    assert _facts([c]) == [("ASYE", "second cohort", 2, 2, "retained")]


@pytest.mark.parametrize("text", [
    "A cohort of newly qualified social workers has been appointed and is due to start in the autumn.",
    "It was reported that a group of newly qualified social workers would commence in September.",
])
def test_a_start_still_to_come_dates_a_planned_cohort_without_a_count(nlp, text):
    [c] = _cohorts(nlp, text, published=None)
    assert _facts([c]) == [("ASYE", None, None, None, "planned")]


def test_applicants_who_can_expect_to_start_the_programme_on_a_date_are_a_planned_cohort(nlp):
    [c] = _cohorts(nlp, "Applications to our ASYE programme are open until May.",
                   "Successful applicants can expect to start the programme in September 2026.", published="2026-03")
    assert (c.programme, c.participants, c.status, c.as_of) == ("ASYE", None, "planned", "2026-09")


@pytest.mark.parametrize("text", [
    "Apprenticeships and student placements provide a pipeline of newly qualified social workers.",
    "We offer a return to practice scheme for social workers who have left the profession.",
    "Several newly qualified social workers who had graduated from local universities had been appointed in 2018.",
])
def test_pipelines_schemes_and_where_staff_studied_are_not_cohorts(nlp, text):
    assert _cohorts(nlp, text) == []


@pytest.mark.parametrize("clause,status", [
    ("the first 20 trainees due to become fully fledged social workers in June", "qualified"),
    ("as the new apprentices begin their degree next month", "planned"),
    ("have just begun this January", CohortStatus.STARTED),
    ("completed in September", CohortStatus.COMPLETED),
    ("remaining with us as newly qualified social workers", CohortStatus.RETAINED),
    ("will qualify in January 2023", CohortStatus.QUALIFIED),
    ("completed year one of their apprenticeship", CohortStatus.IN_PROGRESS),
    ("to be registered over the next couple of months", CohortStatus.PLANNED),
    ("had been supported by the programme", CohortStatus.IN_PROGRESS),
    ("two people who had left for agency work had returned", CohortStatus.RETAINED),
    ("due to commence in the summer", CohortStatus.PLANNED),
])
def test_status_from_verbs(clause, status):
    assert cohort_status(clause) == status


@pytest.mark.parametrize("text,facts", [
    ("A practice hub for newly qualified social workers had opened in Westby in March 2023 with 14 NQSWs, "
     "and a second hub would open in May 2023;", [("ASYE", None, None, 14, "started")]),
    ("the training team would launch a Step Up to Social Work cohort of 9 trainees in March 2025.",
     [("Step Up to Social Work", None, None, 9, "planned")]),
    ("the Council would join the regional Step Up to Social Work programme for its ninth cohort;",
     [("Step Up to Social Work", "ninth cohort", 9, None, "planned")]),
    ("The fourth cohort of 11 began in May 2024, and 22 of the second cohort remained with Westby after "
     "completing their ASYE.", [("ASYE", "fourth cohort", 4, 11, "started"),
                                ("ASYE", "second cohort", 2, 22, "retained")]),
    ("It was reported that the hub would take on apprentices from the Social Work Degree Apprenticeship "
     "from May 2025, with eight places funded.", [("Social Work Degree Apprenticeship", None, None, 8, "planned")]),
])
def test_statuses_and_counts_in_reported_speech(nlp, text, facts):
    assert _facts(_cohorts(nlp, text)) == facts


def test_completed_the_first_year_of_asye_then_a_part_stayed(nlp):
    text = ("41 newly qualified social workers had completed their first year in the hub in 2023/24. "
            "Of those, 36 remained employed by the Council.")
    cohorts = _cohorts(nlp, text)
    assert _facts(cohorts) == [("ASYE", None, None, 41, "completed"), ("ASYE", None, None, 36, "retained")]
    assert {c.text for c in cohorts} == {text}  # the part is stated with the group it is of


def test_a_further_cohort_to_start_takes_no_count_from_the_clause_before(nlp):
    text = ("Officers advised that 19 newly qualified social workers had started their ASYE in October, and that "
            "a further cohort was expected to start in March 2025.")
    assert _facts(_cohorts(nlp, text)) == [("ASYE", None, None, 19, "started"), ("ASYE", None, None, None, "planned")]


def test_a_sentence_without_an_event_word_states_no_dated_start_or_finish(nlp):
    from extract.language.nlp import block_segments, parse, sentences, span_text
    from extract.language.numbers import may_hold
    from extract.records.cohorts import _EVENT_WORDS, _planned_start

    checked = 0
    for path in PDFS + TEXTS:
        for block in extracted(path).blocks:
            for _, text in block_segments(block):
                for sent in sentences(parse(nlp, text)):
                    sentence = span_text(sent)
                    if may_hold(sentence, _EVENT_WORDS):
                        continue
                    checked += 1
                    assert not _planned_start(sentence, "2024")
                    assert cohort_status(sentence) not in (CohortStatus.STARTED, CohortStatus.COMPLETED,
                                                           CohortStatus.QUALIFIED)
    assert checked > 200


def test_a_label_takes_the_count_written_after_it_and_a_forecast_completion_is_completed(nlp):
    text = ("Officers confirmed that the current cohort of 4 would complete the programme in March 2025, whilst "
            "the second cohort of 9 newly qualified social workers had commenced employment in October 2024.")
    cohorts = _cohorts(nlp, "A 12 month programme of support for newly qualified social workers.", text)
    assert _facts(cohorts) == [("ASYE", None, None, 4, "completed"), ("ASYE", "second cohort", 2, 9, "started")]
    assert [c.as_of for c in cohorts] == ["2025-03", "2024-10"]


def test_newly_qualified_recruits_with_no_programme_word_are_no_cohort(nlp):
    assert _cohorts(nlp, "A national recruitment campaign, resulting in 12 posts filled, including 5 newly "
                         "qualified social workers.") == []


def test_a_cost_per_cohort_names_no_cohort(nlp):
    found = _cohorts(nlp, "The Step Up to Social Work contract commenced on 1 May 2021 and runs for four years, at "
                          "£250,000 per cohort.",
                     "Cohort 9 of Step Up to Social Work is due to start in January 2026.")
    assert _facts(found) == [("Step Up to Social Work", "Cohort 9", 9, None, "planned")]
