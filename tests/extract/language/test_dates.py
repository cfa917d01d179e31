"""Dates, deadlines, horizons and frequencies normalised at the precision written."""
from __future__ import annotations

import pytest

from extract.language.dates import _DMY_ANCHOR, _has_dmy, due_of, find_dated, find_dates, latest_day, may_hold_year


@pytest.mark.parametrize("text,written,iso", [
    ("is expected early 2023.", "early 2023", "2023"),
    ("launched early in 2023.", "early in 2023", "2023"),
    ("will be launched in January 2023.", "January 2023", "2023-01"),
    ("as of 31.8.23 there were", "31.8.23", "2023-08-31"),
    ("completed by March 2023", "by March 2023", "2023-03"),
    ("made available in the summer of 2022.", "in the summer of 2022", "2022"),
    ("launched on the 2nd October 2023", "2nd October 2023", "2023-10-02"),
    ("Thursday 1 February 2024", "Thursday 1 February 2024", "2024-02-01"),
    ("by the end of March 2025", "by the end of March 2025", "2025-03"),
    ("reviewed by 30/09/2024", "30/09/2024", "2024-09-30"),
    ("a pilot will commence in 2023", "in 2023", "2023"),
])
def test_absolute_dates(text, written, iso):
    [d] = find_dates(text)
    assert (d.text, d.iso) == (written, iso)
    assert text[d.start:d.end] == d.text


@pytest.mark.parametrize("text,written,iso", [
    ("cohort 3 which has just begun this January.", "this January", "2024-01"),
    ("we intend to launch early this year", "early this year", "2024"),
    ("beginning the programme this month.", "this month", "2024-02"),
    ("we will review it next year", "next year", "2025"),
])
def test_relative_dates_use_the_document_date(text, written, iso):
    [d] = find_dates(text, "2024-02-01")
    assert (d.text, d.iso) == (written, iso)


def test_relative_dates_without_a_document_date_have_no_iso():
    [d] = find_dates("early this year")
    assert d.iso is None


@pytest.mark.parametrize("text,kind", [
    ("over the next 12 months", "horizon"), ("In the coming months this project", "horizon"),
    ("to be carried out annually", "frequency"), ("on a quarterly basis", "frequency"),
    ("in 2021-23 we will continue", "period"),
])
def test_horizons_frequencies_and_periods_have_no_date(text, kind):
    [d] = find_dates(text)
    assert d.kind == kind and d.iso is None


def test_a_year_naming_a_thing_is_not_a_date():
    assert find_dates("Collate 2023 SWORD survey results") == []


def test_may_as_a_verb_is_not_a_month():
    assert find_dates("staff may be called upon in 2024")[0].text == "in 2024"
    assert len(find_dates("staff may be called upon in 2024")) == 1


@pytest.mark.parametrize("sentence,expected", [
    ("A second cohort will launch in January 2023 and 4 suitable candidates have been successful.",
     ("January 2023", "2023-01")),
    ("This review, which began in January 2022 and will conclude in April 2022, includes everyone.",
     ("April 2022", "2022-04")),
    ("This year we have supported 2 students and in 2024 we shall support a further 2 students.",
     ("in 2024", "2024")),
    ("Supervision survey to be carried out annually", ("annually", None)),
    ("In 2021-23 we will continue to invest in learning", ("In 2021-23", None)),
    ("We are continuing to offer coaching following the launch in January 2023.", (None, None)),
    ("Reduce agency spend by 10% by the end of March 2025", ("by the end of March 2025", "2025-03")),
])
def test_due_of_prefers_the_forward_looking_date(sentence, expected):
    # read from a 2022 paper: a date before the paper's own is no deadline (see below)
    assert due_of(sentence, "2022") == expected


def test_a_plain_date_before_the_papers_own_is_no_deadline():
    minute = "2024-07-16"
    assert due_of("Note and support the decision of the management team on 3 June 2024 to pay a market "
                  "supplement to social workers", minute) == (None, None)
    assert due_of("That the allowance be paid from 1 September 2024 to social workers", minute) == \
        ("from 1 September 2024", "2024-09-01")
    # "by" before a body's name is its agent, not a deadline's "by"
    assert due_of("Note the decision by the Corporate Management Team on 3 June 2024 to pay a supplement",
                  minute) == (None, None)


def test_due_of_resolves_relative_deadlines():
    assert due_of("we intend to agree a design and launch early this year", "2024") == ("early this year", "2024")


def test_the_words_each_rule_needs_hide_no_date_in_the_documents():
    """Every rule run over every passage, with no word test first, finds the same dates."""
    from extract.language.dates import _mention, _rules
    from extract.language.nlp import block_segments
    from extract.pipeline import extract_document
    from tests.conftest import CORPUS_PDFS, SEED_TEXTS

    def every_rule(text: str) -> list:
        taken, found = [], []
        for kind, pattern, _ in _rules()[0]:
            for m in pattern.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                mention = _mention(kind, m, "2024-03-01")
                if mention is not None:
                    taken.append((m.start(), m.end()))
                    found.append(mention)
        return sorted(found, key=lambda d: d.start)

    texts = {text for path in CORPUS_PDFS + SEED_TEXTS for block in extract_document(path, records=False).blocks
             for _, text in block_segments(block)}
    texts |= {"on a quarterly basis", "mid-March 2024", "Q3 2025", "this spring", "every year", "31.8.23"}
    assert sum(len(find_dates(t, "2024-03-01")) for t in texts) > 100
    for text in texts:
        assert find_dates(text, "2024-03-01") == every_rule(text), text


@pytest.mark.parametrize("context,iso", [("2023-07-13", "2023"), ("2023-12-01", "2024"), ("2023", "2023"),
                                         (None, None)])
def test_a_season_without_a_year_is_the_next_one_from_the_context_date(context, iso):
    assert due_of("Officers would bring proposals forward in the autumn.", context) == ("in the autumn", iso)


def test_a_plan_for_a_year_onwards_is_its_scope_not_its_deadline():
    assert due_of("We will refresh the plan for 2026 onwards and present it in the spring.", "2025-01-10") == (
        "in the spring", "2025")


def test_reported_would_with_a_start_date_is_a_deadline():
    assert due_of("It was reported that the hub would offer places from March 2025.", "2024-10") == (
        "from March 2025", "2025-03")


@pytest.mark.parametrize("due_text, due_date, last_day", [
    ("early in 2023", "2023", "2023-04-30"),
    ("summer 2024", "2024", "2024-08-31"),
    ("the first half of 2025", "2025", "2025-06-30"),
    ("mid-2024", "2024", "2024-08-31"),
    ("in 2023", "2023", "2023-12-31"),
    ("by the end of 2023", "2023", "2023-12-31"),
    ("February 2024", "2024-02", "2024-02-29"),
    ("by 31.8.23", "2023-08-31", "2023-08-31"),
    ("over the next 12 months", None, None),
])
def test_latest_day_a_deadline_allows(due_text, due_date, last_day):
    assert latest_day(due_text, due_date) == last_day


@pytest.mark.parametrize("text", [
    "The Corporate Parenting Panel will receive a further update next spring.",
    "Recruitment will be reviewed on a quarterly basis over the next 12 months.",
    "Agency use fell sharply in March, as the Head of Service told members.",
    "Since last year the service has recruited twelve newly qualified social workers.",
])
def test_without_a_years_digits_no_date_has_an_iso_value_until_a_context_date_gives_one(text):
    assert not may_hold_year(text)
    assert find_dates(text) and not any(d.iso for d in find_dates(text))


@pytest.mark.parametrize("text", ["The strategy was approved by Cabinet in 2023.",
                                  "Reviewed at the meeting of 31.8.23 by the panel."])
def test_a_years_digits_may_hold_a_date(text):
    assert may_hold_year(text) and any(d.iso for d in find_dates(text))


@pytest.mark.parametrize("text", [
    "31.8.23", "Reviewed by Cabinet on 1/12/2024.", "Figures to 30.09.24 (provisional).", "v2.1 of the plan, page 3/4.",
    "1.2.3", "Item 4.12/ 5", "Report 12/2023.", "./1.1.1", "", ".", "/9/9/9", "The panel met in March.",
])
def test_day_month_year_anchor_found_alike_by_its_separators(text):
    assert _has_dmy(text) == (_DMY_ANCHOR.search(text) is not None)


@pytest.mark.parametrize("text", [
    "The strategy will be published by 31 March 2025 and reviewed annually over the next 12 months.",
    "Recruitment began in September 2022; the second cohort starts in January and runs until summer 2024.",
    "Figures as at 30.09.24 show agency use fell in the year to March 2024, since last year.",
    "The Workforce Strategy 2022-2025 is refreshed this year, in the spring of 2023.",
    "Members will receive an update in the autumn.",
])
def test_find_dated_is_every_date_with_an_iso_value(text):
    assert find_dated(text) == [d for d in find_dates(text) if d.iso]


@pytest.mark.parametrize("text,written,iso", [
    ("The review will report to Cabinet in Q3 2025.", "in Q3 2025", "2025"),
    ("Recruitment closes by the end of quarter 2 2024.", "by the end of quarter 2 2024", "2024"),
    ("Launched in the final quarter of 2023, the academy", "in the final quarter of 2023", "2023"),
])
def test_quarter_of_a_year(text, written, iso):
    [d] = find_dates(text)
    assert (d.text, d.iso, d.kind) == (written, iso, "year")


def test_a_date_wholly_before_the_papers_own_is_no_deadline():
    # The decision a minute reports was taken before the meeting: its date dates the past.
    assert due_of("Endorse the decision taken by the Director on 4 March 2023 to pay a retention bonus",
                  "2023-04-18") == (None, None)
    assert due_of("That a pay review will be held in February 2023", "2023-03") == (None, None)
    # The paper's own month or year, or later, can still be a deadline.
    assert due_of("That a pay review will be held in March 2023", "2023-03") == ("March 2023", "2023-03")
    assert due_of("That the new induction will start in 2023", "2023-06-01") == ("in 2023", "2023")


def test_a_scheduled_event_dates_its_deadline():
    assert due_of("The next staff survey was programmed for January 2026.", "2025-10") == ("January 2026", "2026-01")


@pytest.mark.parametrize("text", [
    "Delegate the decision to approve a further one-year extension until March 2027 to the Director.",
    "The contract with the training provider will run until September 2026.",
])
def test_when_a_contract_or_extension_ends_is_its_term_not_a_deadline(text):
    assert due_of(text, "2025-06") == (None, None)


def test_a_deadline_beside_a_contracts_term_is_still_one():
    assert due_of("The contract will run until March 2027 and 10 social workers will be recruited by June 2026.",
                  "2025-06") == ("by June 2026", "2026-06")
