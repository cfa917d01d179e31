"""The kind of a statement from its tense, modality and agent, on sentences written here in the
forms minutes, decision records and reports use."""
from __future__ import annotations

import pytest

from extract.language.statements import classify_statement, is_procedural, on_workforce, promise_spans


@pytest.mark.parametrize("text", [
    "It was reported that 14 agency social workers had been converted to permanent posts.",
    "The service is offering a £2,000 retention payment to experienced social workers.",
    "Work is currently underway, led by the Head of Service, to refresh the induction programme.",
    "Following the establishment of a new practice educator post, student placements rose to 30.",
    "Officers confirmed that exit interviews were now offered to every leaver.",
    "Members were informed that the council had recruited 20 social workers since April.",
    "In 2024 we recruited 12 social workers through the international programme.",
    "The council introduced a £2,000 welcome payment for experienced social workers in May.",
    "Agency use has fallen to 18% of frontline posts following the conversion of agency staff to permanent posts.",
    "Work to redesign the ASYE programme was being led by the Principal Social Worker.",
    "The launch of the recruitment and retention strategy has been delayed until 2025.",  # a status report
    "A business case for additional social work posts was being prepared.",
    "The report informed the Committee that 12 social workers had been recruited since April.",
    "Longer term measures being put in place included a training offer for newly qualified social workers.",
    "In noting the progress made since then, including a more stable leadership team, he said that only 40% of "
    "social workers were permanent.",
    "The report presented stated that the retention payment had been introduced for team managers in April.",
    "She reported that this work had resulted in a rise in applications for social work posts.",
])
def test_work_done_or_under_way_is_progress(text):
    assert classify_statement(text, reported=True).kind == "progress"


@pytest.mark.parametrize("text", [
    "The Principal Social Worker would launch a practice development programme for team managers.",
    "The new recruitment portal would be used going forward to recruit experienced social workers.",
    "A further 10 social workers will be recruited by March 2025.",
    "The Head of Service had agreed to review the pay of agency social workers.",
    "A retention bonus would be paid to social workers completing two years' service from October.",
    "A new mentoring scheme led by the Head of Service will be launched for social workers in May.",
    "Officers were looking to introduce a four-day working week for social workers.",
    "There were plans to recruit 10 more social workers from overseas.",
    "The council is planning to open a new recruitment hub for social workers.",
    "The Corporate Management Team had therefore taken the decision on 3 June to pay a market supplement to "
    "social workers.",
    "The next staff survey was scheduled for March and its results would be shared with members.",
    "Refresher supervision training is programmed for the autumn for all team managers.",
])
def test_a_promise_of_the_council_or_a_partner_is_a_commitment(text):
    assert classify_statement(text, reported=True).kind == "commitment"


@pytest.mark.parametrize("text", [
    "The Committee considered a report of the Director of Children's Services on the workforce.",
    "The report updates the Committee on the progress made in the recruitment programme since June.",
    "Councillor Ames asked whether exit interviews were offered to all social workers.",
    "Nationally, the turnover of children's social workers rose to 17% last year.",
    "Agency social workers were 31% of the workforce in March.",
    "This report sets out how the council will recruit and retain social workers.",
    "The new team manager would be starting in September.",
    "Members asked whether the retention payment would be extended to team managers.",
    "Ofsted inspected the social work teams in May.",
    "Agency social workers made up 22% of the workforce.",
    "The turnover of social workers fell to 14% last year.",
    "Other councils were looking to recruit social workers from the same agencies.",
    "This was designed to improve the retention of experienced social workers in the assessment teams.",
    "The current apprentices will graduate next summer and join the social work teams.",
    "It was confirmed that the first cohort of trainees would complete the programme in March.",
    "The current cohort of 6 trainees would complete the programme in March.",
    "Officers were confident the apprentices would graduate next summer.",
    "This resulted in a competitive market for experienced social workers.",
    # A scrutiny inquiry into the workforce is members' work, not work on the workforce.
    "In order to explore the issues, the review group had undertaken research with social workers and managers.",
    "The Select Committee has reviewed the recruitment of social workers and will report in June.",
    "Talks are ongoing, but there are currently no firm plans to recruit social workers from abroad.",
    # the profession and a state, not work that went on
    "Members noted that recruiting to social work continued to be difficult across the region.",
    "The work of the assessment teams continued to be demanding for newly qualified social workers.",
])
def test_procedure_context_forecasts_and_questions_are_neither(text):
    assert classify_statement(text, reported=True).kind is None


def test_would_is_a_promise_only_in_reported_speech():
    text = "The Workforce Board would review agency use every quarter."
    assert classify_statement(text, reported=True).kind == "commitment"
    assert classify_statement(text, reported=False).kind is None


def test_a_leading_procedural_sentence_and_a_closing_lead_in_are_not_the_record():
    text = ("Dana Reed, Head of Workforce, gave a summary of this report. It was explained that the academy "
            "had supported 30 newly qualified social workers. Key priorities were identified as follows:")
    statement = classify_statement(text, reported=True)
    assert statement.kind == "progress"
    assert text[statement.start:statement.end] == ("It was explained that the academy had supported 30 newly "
                                                   "qualified social workers.")


def test_other_items_of_a_minute_are_not_workforce_records():
    assert not on_workforce("Improvements had been made to the timeliness of child protection conferences.")
    assert on_workforce("Caseloads had been reduced to 16 children per worker.")
    assert on_workforce("The service now had a stable senior management team.")  # the workforce's structure
    assert not on_workforce("Case management oversight had improved.")


def test_is_procedural_tells_members_doing_from_members_told():
    assert is_procedural("Members raised concern that salaries did not match those of neighbouring councils.")
    assert not is_procedural("Members were advised that the academy would expand next year.")
    assert is_procedural("Councillor Price, Chairman of the Review Group, attended the meeting to present its findings "
                         "on the recruitment of social workers.")


@pytest.mark.parametrize("text, promise", [
    ("A pay review has been agreed, and it is hoped that 12 posts will be filled by April.",
     "it is hoped that 12 posts will be filled by April."),
    ("An independent review had been commissioned and would report to the Board by June 2025.",
     "An independent review had been commissioned and would report to the Board by June 2025."),
    ("The service had recruited six apprentices and that findings would be reported to the Board annually.",
     "findings would be reported to the Board annually."),
])
def test_a_promise_after_reported_work_is_cut_at_its_own_clause(text, promise):
    assert [text[s:e] for s, e in promise_spans(text, reported=True)] == [promise]


def test_a_decision_reported_as_taken_is_a_promise_of_what_it_decided():
    text = "The Senior Leadership Team had already taken the decision in March to pay a retention bonus to social workers."
    assert classify_statement(text, reported=True).kind == "commitment"


@pytest.mark.parametrize("council, text", [
    ("Warwickshire", "WCC focused on reducing caseloads and improving the quality of supervision for social workers."),
    ("West Sussex", "WSCC introduced a retention payment for experienced social workers in April."),
    ("St Helens", "SHMBC recruited eight newly qualified social workers in September."),
])
def test_the_initials_a_council_calls_itself_by_make_it_the_subject(council, text):
    assert classify_statement(text, reported=True, council=council).kind == "progress"


def test_other_initials_are_not_the_council():
    # "LAC" (looked-after children) is no Leeds council, whatever its initial.
    assert classify_statement("LAC focused on the placements of social workers' cases.", reported=True,
                              council="Leeds").kind is None


@pytest.mark.parametrize("text", [
    "Since May 2023 the council has conducted two recruitment campaigns for experienced social workers.",
    "The new practice academy for social workers has officially launched on Monday, 3 March.",
    "The report stated that the retention strategy for social workers had been implemented in full.",
    "The workforce team has been instrumental in setting up a regional pool of agency social workers.",
    "Our social work apprenticeship opens for applications today for support workers across the service.",
])
def test_more_forms_of_work_done(text):
    assert classify_statement(text, reported=True).kind == "progress"


def test_local_authorities_led_by_the_council_do_the_councils_work():
    text = "A group of local authorities led by Anytown Council has successfully bid for funding to train 20 social workers."
    assert classify_statement(text, reported=False, council="Anytown").kind == "progress"
    assert classify_statement("Other local authorities have recruited 20 social workers from our area.",
                              reported=False, council="Anytown").kind is None


@pytest.mark.parametrize("text", [
    "You will have regular supervision with your team manager and access to coaching.",
    "Sam joined as a social worker last year and felt the academy will be the right place to learn.",
])
def test_an_offer_to_the_reader_and_a_prediction_are_no_promise(text):
    assert classify_statement(text, reported=False).kind is None


def test_first_person_testimony_is_feedback_not_work():
    text = ("“My manager has supported me through every case and I have now completed my first year,” said "
            "Priya, one of the newly qualified social workers.")
    assert classify_statement(text, reported=False).kind is None
    # the same words reported as the service's work are progress
    assert classify_statement("The service has supported every newly qualified social worker through the first "
                              "year.", reported=False).kind == "progress"


def test_a_won_bid_to_train_an_intake_is_progress_with_its_promise():
    text = "The council has successfully bid for funding to recruit 12 apprentice social workers next year."
    assert classify_statement(text, reported=False).kind == "progress"
    assert [text[s:e] for s, e in promise_spans(text)] == [text]


def test_what_a_named_plan_sets_out_or_was_developed_for_is_no_progress():
    assert classify_statement("Anytown’s Children's Workforce Plan sets out how our workforce offer is being "
                              "improved for social workers.").kind is None
    assert classify_statement("It has been developed to complement the workforce plans of each social work "
                              "team.").kind is None
    assert classify_statement("A new induction programme for newly qualified social workers has been "
                              "introduced.").kind == "progress"


def test_new_staff_welcomed_into_the_service_is_work_done_but_a_welcomed_report_is_not():
    assert classify_statement("The second intake of newly qualified social workers were welcomed into the "
                              "service on Monday.").kind == "progress"
    assert classify_statement("The workforce report was welcomed by members.").kind is None


def test_an_aside_dating_a_launch_reports_the_launch():
    assert classify_statement("The mentoring offer, which was launched in March, pairs every newly qualified "
                              "social worker with an experienced colleague.").kind == "progress"
    assert classify_statement("The mentoring offer, which was designed for newly qualified social workers, pairs "
                              "each of them with a colleague.").kind is None


def test_work_in_development_is_under_way():
    assert classify_statement("Our retention offer for social workers has been in development since the spring, "
                              "with staff and managers.").kind == "progress"
    assert classify_statement("A social work apprenticeship is in development with the local college.").kind \
        == "progress"


@pytest.mark.parametrize("text", [
    # What members noted, in a that-clause, is the statement the minute records; noting a paper is procedure.
    "Members noted that since the induction week began in May, turnover of newly qualified social workers "
    "had reduced by a third.",
    "The Board had noted on its visits to the locality teams that the council had appointed four senior "
    "practitioners.",
    "Officers were currently looking at the retention offer for experienced social workers.",
    "Members were told that a peer supervision model was now in place for every team manager.",
])
def test_what_members_noted_and_work_under_review_or_in_place_are_progress(text):
    assert classify_statement(text, reported=True).kind == "progress"


def test_noting_a_paper_stays_procedure():
    assert is_procedural("Members noted the report on social work vacancies.")
    assert is_procedural("The Committee received and noted the update on the workforce strategy.")
    assert not is_procedural("Members noted that six social workers had been recruited from overseas.")


def test_a_bodys_agreement_to_act_is_a_promise_but_a_post_holders_start_is_not():
    assert classify_statement("The Board agreed to review the market supplement for team managers in the "
                              "spring.", reported=True).kind == "commitment"
    assert classify_statement("The Board agreed to note the workforce update.", reported=True).kind is None
    for text in ("The new Head of Social Work was due to start in March and would bring experience of "
                 "recruitment campaigns.",
                 "The interim Principal Social Worker is expected to join the service in June."):
        assert classify_statement(text, reported=True).kind is None


def test_a_passive_considered_is_not_the_bodys_procedure():
    text = ("The Panel agreed to receive further information on the options being considered for retaining "
            "experienced social workers.")
    assert not is_procedural(text)
    assert classify_statement(text, reported=True).kind == "commitment"
    assert is_procedural("The Panel considered the options for retaining experienced social workers.")


def test_what_it_was_expected_would_happen_is_a_promise_but_not_a_post_holders_start():
    assert classify_statement("It was expected that recruitment to the new social work posts would start from "
                              "October.", reported=True).kind == "commitment"
    assert classify_statement("It is expected that the apprenticeship will open to support workers in the "
                              "spring.", reported=False).kind == "commitment"
    for text in ("It was expected that the new Director of Children's Services would start in January.",
                 "It was expected that the trainees would qualify in June."):
        assert classify_statement(text, reported=True).kind is None
