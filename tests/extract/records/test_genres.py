"""Papers of any council, read by their genre: decision records, minutes, committee reports,
trackers, strategies and saved web pages. Every passage is written here in the form councils
publish; each test checks the records, their kinds, leads and spans in the document text."""
from __future__ import annotations

import pytest

from extract.records.genres import find_genre
from extract.pipeline import extract_document

DECISION = """Decision details

Social work recruitment and retention offer

Decision Maker: Cabinet

Decision status: Recommendations Approved

Decision:

RESOLVED - That

(a) the report be noted;

(b) a market supplement of £3,500 be introduced for experienced social workers in the assessment teams from April 2025;

(c) the Director of Children's Services be asked to report on the retention of newly qualified social workers to the Committee in six months;

(d) officers be thanked for their work on the recruitment campaign.

Reasons for the decision:

Vacancies in the assessment teams will rise further without a market supplement, and agency social workers cost the council £1.2 million last year.
"""

MINUTES = """Agenda item

Social Work Workforce Update

Minutes:

The Committee considered a report of the Assistant Director, Children's Social Care, on the stability of the social work workforce.

Members were advised that:

\u2022 14 agency social workers had been converted to permanent posts since the conversion offer was introduced in May;
\u2022 the Principal Social Worker would launch a practice development programme for team managers in the autumn;
\u2022 caseloads remained above the national average;
\u2022 a member asked whether exit interviews were offered to all leavers.

In response to questions, it was reported that the service had secured two more university partnerships to expand student placements, and that a second cohort of apprentices was expected to start in January.

Councillor Hale thanked officers for the report.

RESOLVED: That the update be noted.
"""

RESOLUTIONS_WITH_OWNER = """Agenda item

Recommended -

That the Committee notes the report.

(1) That a report on the caseloads of the assessment teams be brought to the next meeting.

(2) That the results of the staff wellbeing survey be shared with Members.

Action: Head of Service, Assessment/Workforce Lead
"""

REPORT = """Report to: Children's Services Scrutiny Committee
Date of meeting: 12 March 2025
Report of: Director of Children's Services

1. Purpose of the report
1.1 To update the Committee on the recruitment and retention of social workers.

2. Recommendations
2.1 That the Committee notes the progress made and endorses the next steps.

3. Background
3.1 Nationally, the number of children's social workers leaving the profession rose by 9% last year.

4. Progress
4.1 The council has recruited 22 permanent social workers since April 2024.
4.2 A retention payment of £2,000 was introduced for social workers with two years' service.

5. Next steps
5.1 The service will launch a recruitment campaign for experienced social workers in June 2025.
"""

TRACKER = """Workforce recommendations tracker

Recommendation
Action
By whom
By when
Progress
RAG

1. Reduce the use of agency social workers
Convert agency social workers to permanent contracts through a conversion offer
Head of Workforce Development
March 2024
Twelve agency social workers have converted to permanent contracts since the offer was launched in October 2023.
Green
2. Improve the retention of newly qualified social workers
Introduce a protected caseload for every newly qualified social worker in their first year
Principal Social Worker
September 2024
Amber
"""

WEB_PAGE = """Skip to main content
Home > Council and democracy > Meetings
Agenda item

Workforce Development Plan progress pdf icon PDF 320 KB

Additional documents:

Minutes:

The Panel received an update from the Head of Workforce Development.

It was reported that the social work academy had recruited 18 newly qualified social workers since March, and that the academy would extend its offer to occupational therapists next year.

advertisement
Page 2 of 3
Back to top
"""

STRATEGY = """Children's Workforce Strategy 2025-2028

Our strategic themes are:

\u2022 Recruiting the right people
\u2022 Keeping our experienced practitioners
\u2022 Developing our leaders

Where we are now

Over the last year the service has introduced a practice academy for newly qualified social workers and has reduced average caseloads to 16 children.

The demand for children's social workers continues to rise across the region.
"""


def _extract(tmp_path, text: str, name: str = "paper.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_document(path)


def _spans_hold(extracted) -> None:
    text = extracted.document.text
    for action in extracted.actions:
        assert text[action.char_start:action.char_end] == action.text


def test_each_genre_is_recognised_by_its_cues():
    assert find_genre(DECISION).name == "decision"
    assert find_genre(MINUTES).name == "minutes"
    assert find_genre(REPORT).name == "report"
    assert find_genre(TRACKER).name == "tracker"
    assert find_genre(STRATEGY).name == "strategy"
    assert find_genre(MINUTES).reported_speech and not find_genre(REPORT).reported_speech
    # a cue's optional letter is not needed of the text: "Recommendation:" is "recommendations?"
    assert find_genre("Recommendation:\nThat this strategy be approved.\n").name == "report"


def test_a_decision_record_gives_its_substantive_resolutions_only(tmp_path):
    extracted = _extract(tmp_path, DECISION)
    found = [(a.kind, a.text[:40]) for a in extracted.actions]
    assert found == [("commitment", "a market supplement of £3,500 be introdu"),
                     ("commitment", "the Director of Children's Services be a")]
    supplement, report_back = extracted.actions
    assert supplement.due_date == "2025-04"
    assert report_back.lead == "Director of Children's Services"
    assert not any("Vacancies" in a.text for a in extracted.actions), "reasons are not actions"
    _spans_hold(extracted)


def test_minutes_read_reported_speech_as_progress_and_promises(tmp_path):
    extracted = _extract(tmp_path, MINUTES)
    found = [(a.kind, a.embedded, a.text[:45]) for a in extracted.actions]
    assert found == [
        ("progress", False, "14 agency social workers had been converted t"),
        ("commitment", False, "the Principal Social Worker would launch a pr"),
        ("progress", False, "In response to questions, it was reported tha"),
        ("commitment", True, "a second cohort of apprentices was expected t"),
    ]
    assert extracted.actions[1].lead == "Principal Social Worker"
    # Procedure, a bare figure, a member's question and a noting resolution give nothing.
    assert not any(t.startswith(("The Committee", "caseloads", "a member", "Councillor", "That the update"))
                   for _, _, t in found)
    _spans_hold(extracted)


def test_an_action_line_leads_the_resolutions_above_it_and_recommendations_are_not_actions(tmp_path):
    extracted = _extract(tmp_path, RESOLUTIONS_WITH_OWNER)
    assert [(a.kind, a.text[:30], a.lead) for a in extracted.actions] == [
        ("commitment", "That a report on the caseloads", "Head of Service, Assessment/Workforce Lead"),
        ("commitment", "That the results of the staff ", "Head of Service, Assessment/Workforce Lead"),
    ]
    _spans_hold(extracted)


def test_a_committee_report_gives_progress_and_next_steps_but_not_recommendations(tmp_path):
    extracted = _extract(tmp_path, REPORT)
    assert [(a.kind, a.text[:40]) for a in extracted.actions] == [
        ("progress", "The council has recruited 22 permanent s"),
        ("progress", "A retention payment of £2,000 was introd"),
        ("commitment", "The service will launch a recruitment ca"),
    ]
    assert extracted.actions[2].due_date == "2025-06"
    _spans_hold(extracted)


def test_a_flattened_tracker_gives_priorities_actions_leads_and_due_dates(tmp_path):
    extracted = _extract(tmp_path, TRACKER)
    assert [(p.number, p.title) for p in extracted.priorities] == [
        (1, "Reduce the use of agency social workers"),
        (2, "Improve the retention of newly qualified social workers")]
    first, second = (p.id for p in extracted.priorities)
    assert [(a.kind, a.lead, a.due_date, a.priority_id, a.text[:30]) for a in extracted.actions] == [
        ("commitment", "Head of Workforce Development", "2024-03", first, "Convert agency social workers "),
        ("progress", "Head of Workforce Development", None, first, "Twelve agency social workers h"),
        ("commitment", "Principal Social Worker", "2024-09", second, "Introduce a protected caseload"),
    ]
    assert {"Head of Workforce Development", "Principal Social Worker"} <= {l.name for l in extracted.leads}
    _spans_hold(extracted)


@pytest.mark.parametrize("furniture", ["Skip to main content", "pdf icon", "Additional documents", "advertisement",
                                       "Page 2 of 3", "Back to top", "Home >"])
def test_web_page_furniture_is_not_document_text(tmp_path, furniture):
    extracted = _extract(tmp_path, WEB_PAGE)
    assert furniture not in extracted.document.text


def test_a_saved_minutes_page_gives_its_records_once_the_furniture_is_gone(tmp_path):
    extracted = _extract(tmp_path, WEB_PAGE)
    assert [(a.kind, a.embedded, a.text[:40]) for a in extracted.actions] == [
        ("progress", False, "It was reported that the social work aca"),
        ("commitment", True, "the academy would extend its offer to oc"),
    ]
    assert extracted.document.doc_type == "committee_report"
    _spans_hold(extracted)


def test_a_strategy_gives_its_themes_as_priorities_and_reports_progress_without_a_progress_heading(tmp_path):
    extracted = _extract(tmp_path, STRATEGY)
    assert [p.title for p in extracted.priorities] == [
        "Recruiting the right people", "Keeping our experienced practitioners", "Developing our leaders"]
    assert [(a.kind, a.text[:40]) for a in extracted.actions] == [
        ("progress", "Over the last year the service has intro")]
    _spans_hold(extracted)


def test_a_page_cut_mid_word_loses_the_cut_word_only(tmp_path):
    extracted = _extract(tmp_path, "Minutes:\n\nIt was reported that the service would use the new recruitment "
                                   "portal going forward to recruit experienced practit")
    assert extracted.document.text.endswith("to recruit experienced")
    assert [a.kind for a in extracted.actions] == ["commitment"]


RESOLVED_THAT_LIST = """Westshire Council
Children's Services Scrutiny Committee
Minutes of the meeting held on 4 February 2025

7. Social Work Recruitment and Retention

The Head of Service introduced the report on the workforce.

RESOLVED - That
- the Head of Service reports on the number of agency social workers to the July 2025 meeting;
- a working group be set up to review the offer to newly qualified social workers; and
- the report be noted.
"""


@pytest.mark.parametrize("name, text", [
    ("minutes.txt", RESOLVED_THAT_LIST),
    ("minutes.html", "<html><head><title>Minutes</title></head><body><main><h1>Minutes</h1>"
                     "<p>The Head of Service introduced the report on the workforce.</p><p>RESOLVED \u2013 That</p>"
                     "<ul><li>the Head of Service reports on the number of agency social workers to the July 2025 "
                     "meeting;</li><li>a working group be set up to review the offer to newly qualified social "
                     "workers; and</li><li>the report be noted.</li></ul></main></body></html>"),
])
def test_resolutions_listed_under_a_resolved_that_line_are_commitments(tmp_path, name, text):
    extracted = _extract(tmp_path, text, name)
    assert [(a.kind, a.text[:30], a.lead, a.due_date) for a in extracted.actions] == [
        ("commitment", "the Head of Service reports on", "Head of Service", "2025-07"),
        ("commitment", "a working group be set up to r", "working group", None),
    ]
    _spans_hold(extracted)


# A committee site's issue page: the decision, then the minutes, which print the decision again.
ISSUE_PAGE = """Issue - meetings

Meeting: 03/03/2025 - Children's Services Committee (Item 9)

9 Newly Qualified Social Worker Pathway

Decision:

RESOLVED UNANIMOUSLY: That the Committee:-

1. approves a protected caseload of twelve children for newly qualified social workers in their first year; and

2. notes the progress of the pathway and thanks the practice educators.

Minutes:

The Head of Practice presented the report on the pathway for newly qualified social workers.

It is proposed that the service will extend the pathway to social work apprentices next year.

Members were informed that nine newly qualified social workers had been appointed to the assessment teams since September.

RESOLVED - That the Committee approves a protected caseload of twelve children for newly qualified social workers in their first year.
"""


def test_an_issue_page_gives_each_decision_once_and_reads_its_minutes_by_their_words(tmp_path):
    extracted = _extract(tmp_path, ISSUE_PAGE)
    assert [(a.kind, a.text[:40]) for a in extracted.actions] == [
        ("commitment", "approves a protected caseload of twelve "),
        ("progress", "Members were informed that nine newly qu"),
    ]
    # The minutes' paragraphs are not resolutions of the decision above them, and a report's
    # proposal ("It is proposed that ...") is not the council's promise.
    assert not any(a.text.startswith("It is proposed") for a in extracted.actions)
    _spans_hold(extracted)
