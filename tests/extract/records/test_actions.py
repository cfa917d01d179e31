"""Actions: section kinds, embedded promises, action-plan tables, on real and hand-written text."""
from __future__ import annotations

import sqlite3

from extract.records.actions import find_actions, promise_sentences, section_kind
from extract.layout.blocks import blocks_to_text, items_to_blocks
from extract.read.text import text_to_items
from schemas import Block, BlockKind


def _actions(text: str, published: str | None = "2024-03"):
    return _read(text, published)[2]


def _read(text: str, published: str | None = "2024-03"):
    """The blocks, document text and actions of a passage; every action's span holds its text."""
    blocks = items_to_blocks(text_to_items(text))
    document = blocks_to_text(blocks)
    actions = find_actions(blocks, [], document_id="doc", council="Anytown", published=published)
    return blocks, document, actions


def test_section_cues_decide_the_kind():
    assert section_kind("Key achievements this year") == "progress"
    assert section_kind("What more do we need to do?") == "commitment"
    assert section_kind("Actions for the next period") == "commitment"
    assert section_kind("FINANCIAL IMPLICATIONS") == "exclude"
    assert section_kind("Apprenticeships") is None


def test_section_cues_in_other_councils_wording():
    assert section_kind("What we have achieved") == "progress"
    assert section_kind("Highlights of the year") == "progress"
    assert section_kind("Our plans for 2025/26") == "commitment"
    assert section_kind("Key actions") == "commitment"
    assert section_kind("The year ahead") == "commitment"
    assert section_kind("Looking ahead") == section_kind("Areas for improvement") == "commitment"
    assert section_kind("Our commitments") == "commitment"
    assert section_kind("How will we know we have achieved our goals") == "exclude"
    # Lead-ins that introduce who takes part or what a model is describe, they report nothing.
    assert section_kind("The partners who will support the approach are:") == "exclude"
    assert section_kind("This theme has focused on two new practice models:") == "exclude"
    assert section_kind("This year we have focused on three areas:") is None


def test_progress_items_and_next_steps_in_another_councils_phrasing():
    actions = _actions(
        "Our progress this year\n\n"
        "▪ Twelve newly qualified social workers joined the Academy in September.\n\n"
        "▪ The practice educator network has been relaunched.\n\n"
        "Priorities for the coming year\n\n"
        "▪ Extend the Academy to family support workers.\n\n"
        "▪ Review the market supplement for hard to fill posts.\n\n")
    assert [(a.kind, a.text[:30]) for a in actions] == [
        ("progress", "Twelve newly qualified social "), ("progress", "The practice educator network "),
        ("commitment", "Extend the Academy to family s"), ("commitment", "Review the market supplement f")]


def test_a_progress_item_with_a_promise_gives_a_second_commitment_row():
    actions = _actions(
        "Progress to date:\n\n"
        "• A new induction pack has been written. It will be launched in June 2024 for all new starters.\n\n")
    assert [a.kind for a in actions] == ["progress", "commitment"]
    promise = actions[1]
    assert promise.embedded and promise.text == "It will be launched in June 2024 for all new starters."
    assert promise.due_date == "2024-06"


def test_purpose_and_forecasts_are_not_promises():
    assert promise_sentences("A hub has been built which will enable staff to find guidance.") == []
    assert promise_sentences("Our first cohort will qualify in January 2025.") == []
    assert promise_sentences("Our four apprentices will graduate in July 2025.") == []
    text = "Funding was agreed, and we intend to launch the scheme early this year."
    (start, end), = promise_sentences(text)
    assert text[start:end] == "we intend to launch the scheme early this year."


def test_action_plan_table_with_responsible_officer_and_timescale_columns():
    table = Block(kind=BlockKind.TABLE, text="", page=3, cells=[
        ["Action", "Responsible officer", "Timescale"],
        ["Launch a recruitment microsite", "Head of Service", "by March 2025"],
        ["Audit supervision quality", "Principal Social Worker", None]])
    blocks = items_to_blocks([table])
    blocks_to_text(blocks)
    actions = find_actions(blocks, [], document_id="doc", council="Anytown", published="2024")
    assert [(a.text, a.kind, a.lead, a.due_text, a.due_date) for a in actions] == [
        ("Launch a recruitment microsite", "commitment", "Head of Service", "by March 2025", "2025-03"),
        ("Audit supervision quality", "commitment", "Principal Social Worker", None, None)]


def test_implications_sections_hold_no_actions_even_with_will():
    assert _actions("LEGAL IMPLICATIONS\n\nThe council will meet its statutory duties.\n\n") == []


def test_every_action_offset_covers_its_text(built_kb):
    db = sqlite3.connect(built_kb)
    rows = db.execute("select a.text, d.text, a.char_start, a.char_end from actions a "
                      "join documents d on d.id = a.document_id").fetchall()
    assert len(rows) >= 150
    assert all(text[start:end] == action for action, text, start, end in rows)


def test_sefton_action_table_rows_carry_their_lead(built_kb):
    db = sqlite3.connect(built_kb)
    rows = dict(db.execute("select text, lead from actions where council = 'Sefton' and text like 'Recruit%'"))
    assert rows == {"Recruit 10 additional social workers": "Service Managers",
                    "Recruit 1 additional Team Manager": "Service Managers",
                    "Recruit 1 Principal Social Worker": "Head of Service"}


def test_wirral_embedded_commitments_are_found(built_kb):
    db = sqlite3.connect(built_kb)
    texts = [t for (t,) in db.execute("select text from actions where embedded = 1 and council = 'Wirral'")]
    assert any(t.startswith("A coaching and mentoring programme has been developed and will be launched") for t in texts)
    assert any("shadowing pilot will commence in 2023" in t for t in texts)


def test_a_paragraph_of_promises_under_a_progress_heading_is_one_commitment():
    actions = _actions(
        "Progress made to date\n\n"
        "The priorities will be delivered through the service plan. The plan will be reviewed and "
        "refreshed every quarter.\n\n")
    assert [(a.kind, a.embedded) for a in actions] == [("commitment", False)]


def test_a_status_note_is_progress_whatever_the_section_and_an_expected_level_is_no_promise():
    actions = _actions(
        "Next steps\n\n"
        "NOTE: The staff survey has been completed for 2024; awaiting results.\n\n"
        "Progress made to date\n\n"
        "Case audits give oversight; extra support can be provided where it is below the level that is "
        "expected.\n\n")
    assert [(a.kind, a.text[:20]) for a in actions] == [
        ("progress", "The staff survey has"), ("progress", "Case audits give ove")]


def test_where_no_heading_says_the_tense_decides():
    actions = _actions(
        "Priority 1: Recruitment\n\n"
        "• A new refer-a-friend scheme will be launched in January 2025.\n\n"
        "• We are planning to open a second academy hub.\n\n"
        "• We will recruit ten newly qualified social workers.\n\n"
        "• The academy has trained 20 social workers.\n\n")
    assert [(a.kind, a.embedded, a.text[:24]) for a in actions] == [
        ("commitment", False, "A new refer-a-friend sch"), ("commitment", False, "We are planning to open "),
        ("commitment", False, "We will recruit ten newl"), ("progress", False, "The academy has trained ")]


def test_what_a_document_is_about_is_no_promise():
    assert promise_sentences("This strategy sets out how we will attract, develop and keep the workforce we need.") == []
    assert promise_sentences("We will launch the academy in May.") != []


def test_a_promise_outside_any_action_section_keeps_its_lead():
    actions = _actions(
        "Our approach\n\n"
        "The Leadership team will provide visible leadership, which promotes restorative practice.\n\n")
    assert [(a.kind, a.lead) for a in actions] == [("commitment", "Leadership team")]


def test_who_a_priority_sits_with_leads_its_next_steps_too():
    actions = _actions(
        "Priority 3: Develop our managers\n\n"
        "The work under this priority sits with the Leadership Subgroup which meets monthly. Below is the "
        "progress made to date:\n\n"
        "\u2022 Team Manager forums have been held every month.\n\n"
        "Our next steps include:\n\n"
        "\u2022 Run a skills audit for team managers.\n\n")
    assert [(a.kind, a.lead) for a in actions] == [("progress", "Leadership Subgroup"),
                                                   ("commitment", "Leadership Subgroup")]


def test_a_table_whose_columns_are_sections_gives_an_action_per_cell():
    cells = [["What we have achieved", "What we will do next"],
             ["We recruited 18 newly qualified social workers; the scheme will be evaluated in May.",
              "Recruit a further 20 social workers by September 2024."],
             ["A recruitment website was launched in May 2023.", ""]]
    text = "\n".join(" | ".join(c for c in row) for row in cells)
    table = Block(kind=BlockKind.TABLE, text=text, page=1, cells=cells, char_start=0, heading_path=["Priority 1"])
    actions = find_actions([table], [], document_id="doc", council="Anytown", published="2024-01")
    assert [(a.kind, a.embedded, a.due_date, text[a.char_start:a.char_end] == a.text) for a in actions] == [
        ("progress", False, None, True), ("commitment", True, "2024-05", True), ("commitment", False, "2024-09", True),
        ("progress", False, None, True)]


def test_a_bare_we_will_inside_a_vision_is_vision_but_we_will_ensure_lists_means():
    actions = _actions(
        "Our vision\n\n"
        "As a local authority we will:\n\n"
        "\u2022 be a learning authority seen to innovate.\n\n"
        "Workforce vision\n\n"
        "In order to achieve this, we will ensure that:\n\n"
        "\u2022 Frontline staff will receive good quality supervision.\n\n")
    assert [(a.kind, a.text) for a in actions] == [
        ("commitment", "Frontline staff will receive good quality supervision.")]


def test_a_tracker_under_an_update_heading_keeps_its_plan_apart_from_its_progress():
    text = ("Improvement Plan: Workforce Progress Update, March 2025\n\n"
            "Recommendation\nAction\nBy whom\nBy when\nProgress\n"
            "1. Reduce reliance on agency social workers\n"
            "Recruit permanent team managers to the three locality teams\n"
            "Head of Service, Localities\nJune 2025\n"
            "Two of three posts filled; the third is being readvertised.\n")
    _, _, actions = _read(text, published="2025-03")
    assert [(a.text, a.kind, a.lead, a.due_date) for a in actions] == [
        ("Recruit permanent team managers to the three locality teams", "commitment",
         "Head of Service, Localities", "2025-06"),
        ("Two of three posts filled; the third is being readvertised.", "progress",
         "Head of Service, Localities", None)]


def test_a_wished_for_end_state_under_a_priority_is_no_action_but_its_steps_are():
    text = ("Priority one: Attract\n\nWe want Anytown to be the place social workers choose to work.\n\n"
            "What we will do:\n- Launch a new recruitment website with videos from our own staff.\n")
    assert [(a.text, a.kind) for a in _actions(text)] == [
        ("Launch a new recruitment website with videos from our own staff.", "commitment")]


def test_a_portfolio_decision_agreed_in_infinitives_gives_its_substantive_items():
    text = ("Record of Decision\nCabinet Member for Children's Services\nDate: 3 July 2024\n\n"
            "Subject: Social Work Recruitment Package\n\nDECISION\nThe Cabinet Member AGREED:\n"
            "a) to introduce a recruitment incentive of £2,500 for experienced social workers;\n"
            "b) to fund 10 additional social work apprenticeships from September 2024;\n"
            "c) to note the position on agency spending set out in the report.\n\n"
            "REASONS\nVacancies in frontline teams remain high.\n")
    blocks, _, actions = _read(text, published="2024-07-03")
    headings = [b.text for b in blocks if b.kind == BlockKind.HEADING]
    assert "DECISION" in headings and "REASONS" in headings  # capitals after a blank line head a section
    assert [(a.text, a.kind, a.lead, a.due_date) for a in actions] == [
        ("to introduce a recruitment incentive of £2,500 for experienced social workers;", "commitment", None,
         None),
        ("to fund 10 additional social work apprenticeships from September 2024;", "commitment", None, "2024-09")]


def test_a_scrutiny_review_response_table_gives_its_updates_as_progress_of_each_recommendation():
    text = ("Scrutiny Review of Social Worker Retention: Response and Action Plan\n\n"
            "Recommendation\tResponse\tLead officer\tTimescale\tUpdate (February 2025)\n"
            "1. Offer exit interviews to all leavers.\tAccepted\tHR Business Partner\tSeptember 2024\t"
            "Exit interviews are now offered to every leaver and reported quarterly.\n"
            "2. Keep caseloads below 20 children per worker.\tPartially accepted\tHead of Service\tMarch 2026\t"
            "Average caseloads have been reduced to 22 since the new teams were created.\n")
    _, _, actions = _read(text, published="2025-02")
    assert [(a.text, a.kind, a.lead) for a in actions] == [
        ("Exit interviews are now offered to every leaver and reported quarterly.", "progress", "HR Business Partner"),
        ("Average caseloads have been reduced to 22 since the new teams were created.", "progress",
         "Head of Service")]


def test_a_reports_supporting_information_is_read_by_its_words_beside_its_next_steps():
    text = ("Report to the Children's Scrutiny Committee\n10 September 2024\n\n"
            "Supporting information\n\n"
            "2. Since April the council has recruited 9 permanent social workers.\n\n"
            "3. Turnover of social workers was 14% in the year to August.\n\n"
            "4. Agency use has fallen to 18% of frontline posts following the conversion of agency staff.\n\n"
            "Next steps\n\n"
            "5. The service plans to recruit a further 6 international social workers by March 2025.\n\n"
            "Recommendation\n\n6. Members are asked to note the report.\n")
    _, _, actions = _read(text, published="2024-09-10")
    assert [(a.text, a.kind, a.due_date) for a in actions] == [
        ("Since April the council has recruited 9 permanent social workers.", "progress", None),
        ("Agency use has fallen to 18% of frontline posts following the conversion of agency staff.", "progress",
         None),
        ("The service plans to recruit a further 6 international social workers by March 2025.", "commitment",
         "2025-03")]


def test_an_action_plan_printed_as_labelled_items_and_fields_gives_each_action_its_lead_and_date():
    text = ("Children's Workforce Action Plan 2025/26\n\nPriority 1: Stability of the workforce\n\n"
            "Action 1.1: Convert agency social workers to permanent contracts (Lead: Head of Service)\n"
            "Target date: March 2026\n\n"
            "Action 1.2: Introduce a market supplement for hard-to-fill teams\n"
            "Lead officer: Assistant Director, Safeguarding\nTarget date: June 2025\n\n"
            "Priority 2: Learning and development\n\n"
            "Action 2.1: Launch a practice leaders programme for senior practitioners by September 2025.\n")
    blocks, _, actions = _read(text, published="2025-04")
    assert [b.text for b in blocks if b.kind == BlockKind.HEADING] == [
        "Children's Workforce Action Plan 2025/26", "Priority 1: Stability of the workforce",
        "Priority 2: Learning and development"]
    assert [(a.text, a.kind, a.lead, a.due_date) for a in actions] == [
        ("Convert agency social workers to permanent contracts (Lead: Head of Service)", "commitment",
         "Head of Service", "2026-03"),
        ("Introduce a market supplement for hard-to-fill teams", "commitment", "Assistant Director, Safeguarding",
         "2025-06"),
        ("Launch a practice leaders programme for senior practitioners by September 2025.", "commitment", None,
         "2025-09")]


def test_a_summary_of_the_paper_is_no_action_even_where_it_says_will():
    text = ("Forward Plan entry\n\nDecision Maker: Cabinet\nDecision due date: 5 June 2025\n\n"
            "Summary: The strategy sets out how the council will recruit, retain and develop its social workers. "
            "Cabinet will be asked to approve the strategy.\n")
    assert _actions(text) == []


def test_a_section_headed_by_a_priority_listed_unnumbered_is_that_priority_and_its_outcomes_are_no_actions():
    from extract.records.priorities import find_priorities

    text = ("Children's Services Workforce Strategy 2024-2027\n\nOur four priorities\n"
            "\u2022 Recruit \u2013 attracting experienced social workers\n\u2022 Retain \u2013 keeping the staff we have\n\n"
            "Retain\nSince 2023 we have introduced a \u00a32,000 retention payment for social workers.\n\n"
            "How we will know\n\u2022 Agency staff will be below 10% by 2027.\n")
    blocks = items_to_blocks(text_to_items(text))
    blocks_to_text(blocks)
    priorities = find_priorities(blocks, document_id="doc", council="Anytown")
    assert [p.title for p in priorities] == ["Recruit \u2013 attracting experienced social workers",
                                             "Retain \u2013 keeping the staff we have"]
    actions = find_actions(blocks, priorities, document_id="doc", council="Anytown", published="2024")
    assert [(a.text, a.kind, a.priority_id) for a in actions] == [
        ("Since 2023 we have introduced a \u00a32,000 retention payment for social workers.", "progress",
         priorities[1].id)]


def test_a_plan_table_under_a_progress_heading_gives_its_actions_as_commitments_with_their_dates():
    from extract.records.priorities import find_priorities

    text = ("Improvement Plan: Workforce Actions \u2013 Progress Report, April 2025\n\n"
            "Recommendation\tAction\tLead\tBy when\tRAG\n"
            "1. Reduce agency reliance\tConvert 20 agency social workers to permanent contracts\tHead of Service\t"
            "March 2026\tAmber\n"
            "\tIntroduce a market supplement for frontline teams\tHR Lead\tJune 2025\tGreen\n")
    blocks = items_to_blocks(text_to_items(text))
    blocks_to_text(blocks)
    priorities = find_priorities(blocks, document_id="doc", council="Anytown")
    actions = find_actions(blocks, priorities, document_id="doc", council="Anytown", published="2025-04")
    assert [(a.text, a.kind, a.lead, a.due_date) for a in actions] == [
        ("Convert 20 agency social workers to permanent contracts", "commitment", "Head of Service", "2026-03"),
        ("Introduce a market supplement for frontline teams", "commitment", "HR Lead", "2025-06")]
    assert [p.title for p in priorities] == ["Reduce agency reliance"]
    assert {a.priority_id for a in actions} == {priorities[0].id}  # the second row goes on under the first's


def test_a_cue_needs_its_required_literal():
    import re

    from extract.records.actions import _cue_lists, _cue_literals, required_literal
    from tests.conftest import CORPUS_PDFS, SEED_TEXTS
    from extract.pipeline import extract_document

    assert required_literal(r"^recommendations?\b") == "recommendation"  # the optional "s" is no part of it
    assert required_literal(r"what (do )?we know") == "we know" and required_literal("a|b") == ""
    assert all(_cue_literals().values())  # every cue of every kind has one, so each kind is quick-tested
    texts = [block.text.strip().lower() for path in CORPUS_PDFS + SEED_TEXTS
             for block in extract_document(path, records=False).blocks]
    texts += ["recommendation:", "next steps", "key achievements this year", "our plan", "focussed on these models"]
    matched = 0
    for cues in _cue_lists().values():
        for cue in cues:
            literal = required_literal(cue)
            for text in texts:
                if re.search(cue, text):
                    matched += 1
                    assert literal in text, (cue, text)
    assert matched > 100


def test_resolutions_opened_by_the_bodys_own_sentence_a_purpose_or_that_cabinet_are_commitments():
    considered = ("Minutes\n\nThe Committee considered the report and RESOLVED to:\n"
                  "1. Approve a relocation allowance for newly appointed team managers;\n"
                  "2. Note the update on vacancies in the fostering teams.\n")
    purpose = ("Executive decisions\n\nAgreed, in order to reduce the use of agency staff, to:\n\n"
               "1.  The introduction of a retention bonus for children's social workers; and\n\n"
               "2.  Note the monthly figures on staff turnover.\n")
    that_cabinet = ("Resolved:\n\nThat Cabinet:\n\n1. Note and support the decision of the Leadership Team to "
                    "pay a market supplement to senior social workers; and\n\n2. Note the report.\n")
    assert [(a.text, a.kind) for a in _actions(considered)] == [
        ("Approve a relocation allowance for newly appointed team managers;", "commitment")]
    assert [(a.text, a.kind) for a in _actions(purpose)] == [
        ("The introduction of a retention bonus for children's social workers; and", "commitment")]
    assert [(a.text, a.kind) for a in _actions(that_cabinet)] == [
        ("Note and support the decision of the Leadership Team to pay a market supplement to senior social "
         "workers; and", "commitment")]


def test_a_decision_printed_above_the_minutes_and_again_as_resolved_is_one_commitment():
    text = ("Agenda item\n\nSocial Work Pay Review\n\n\n"
            "That the revised pay scale for children's social workers be approved.\n\n\n"
            "The Director introduced the report, which compared the pay of social workers with that of "
            "neighbouring councils and set out what a new scale would cost over three years.\n\n\n"
            "Resolved – That the revised pay scale for children's social workers be approved.\n")
    assert [(a.text, a.kind) for a in _actions(text)] == [
        ("That the revised pay scale for children's social workers be approved.", "commitment")]


def test_a_forward_plan_entrys_lead_officer_leads_its_resolutions_but_not_its_lead_member():
    text = ("Issue history\n\nThe Cabinet considered the report and RESOLVED to:\n"
            "1. Approve a market supplement for social workers in the child protection teams;\n"
            "2. Agree that the supplement for social workers be reviewed after twelve months.\n\n"
            "Decision type: Key\n\nLead member: Cabinet Member for Children's Services\n\n"
            "Lead officer: Head of Workforce Development\n")
    assert [(a.kind, a.lead) for a in _actions(text)] == [("commitment", "Head of Workforce Development")] * 2


def test_a_workforce_items_resolutions_need_not_repeat_its_topic_but_another_items_do():
    workforce_item = ("Social Work Capacity\n\nReport by the Corporate Director\n\n"
                      "To approve an additional £900k annual investment in Families and Children's Services.\n\n"
                      "Reason for Decision:\n\nDemand has risen.\n")
    other_item = ("Home to School Transport\n\nReport by the Corporate Director\n\n"
                  "To approve an additional £900k annual investment in Families and Children's Services.\n")
    assert [a.text for a in _actions(workforce_item)] == [
        "To approve an additional £900k annual investment in Families and Children's Services."]
    assert _actions(other_item) == []


def test_resolved_that_with_its_list_below_gives_only_the_lists_resolutions():
    text = ("Social Worker Retention\n\nResolved: That;\n\n  i.  The report be noted.\n\n"
            "  ii.  A retention payment for social workers in the assessment teams be introduced.\n")
    assert [a.text for a in _actions(text)] == [
        "A retention payment for social workers in the assessment teams be introduced."]


def test_resolutions_unanimously_resolved_in_the_present_tense_and_paid_in_parts():
    unanimous = ("Decision details\n\nSocial Work Bursaries\n\nRESOLVED UNANIMOUSLY: That the Policy Committee:-\n\n"
                 "1. Approves the Council funding ten social work bursaries for local students;\n")
    paid = ("Minutes\n\nResolved:- (1) That the report be received and its contents noted.\n"
            "(2) That, from 1st April, the market supplement for social workers be paid monthly.\n")
    assert [a.text for a in _actions(unanimous)] == [
        "Approves the Council funding ten social work bursaries for local students;"]
    assert [a.text for a in _actions(paid)] == [
        "That, from 1st April, the market supplement for social workers be paid monthly."]


def test_resolutions_listed_under_that_cabinet_are_read_as_resolutions():
    text = ("Minutes:\nThe Cabinet Member presented a report on social worker pay.\n\nResolved:\n\nThat Cabinet:\n\n"
            "1. Note and support the decision of the Corporate Management Team to pay a 10% market supplement "
            "to experienced social workers in the assessment teams; and\n\n"
            "2. Note the report.\n")
    assert [(a.text, a.kind) for a in _actions(text)] == [
        ("Note and support the decision of the Corporate Management Team to pay a 10% market supplement to "
         "experienced social workers in the assessment teams; and", "commitment")]


def test_a_resolution_in_an_irregular_participle_is_a_commitment_with_its_date():
    text = ("Minutes:\nConsideration was given to a report on retention payments for social workers.\n\n"
            "Resolved:- (1) That the report be received.\n"
            "(2) That, with effect from 1st April 2025, the retention payment be paid monthly to social workers "
            "in frontline teams.\n")
    assert [(a.text, a.kind, a.due_date) for a in _actions(text)] == [
        ("That, with effect from 1st April 2025, the retention payment be paid monthly to social workers in "
         "frontline teams.", "commitment", "2025-04-01")]


def test_an_agenda_items_description_is_no_resolution():
    text = ("Agenda item\n\nSocial Worker Recruitment\n\nTo receive a report of the Director updating the "
            "Committee on social work vacancies and setting out how these could be filled.\n\nMinutes:\n"
            "The Director introduced the report.\n")
    assert _actions(text) == []


def test_a_minutes_list_of_actions_taken_gives_its_verbless_items_as_progress():
    text = ("Agenda item\n\nRecruitment Update\n\nMinutes:\n\nThe Head of Service outlined the report.\n\n"
            "Members were informed that the actions taken included:\n\n"
            "  • A review of pay for experienced social workers in the assessment teams.\n"
            "  • A new induction week for newly qualified social workers, which 12 had attended.\n"
            "  • New signage for the family hub.\n\n"
            "The impact of these actions was discussed.\n")
    assert [(a.text, a.kind) for a in _actions(text)] == [
        ("A review of pay for experienced social workers in the assessment teams.", "progress"),
        ("A new induction week for newly qualified social workers, which 12 had attended.", "progress")]


def test_what_a_minute_reports_a_report_stated_is_its_statement():
    text = ("Agenda item\n\nRecruitment and Retention\n\nMinutes:\n\n"
            "The report presented stated that the recruitment strategy for social workers had been implemented "
            "in April.\n\n"
            "The report outlined the difficulties in recruiting experienced social workers.\n\n"
            "This was designed to improve the retention of experienced social workers.\n\n"
            "Following a request by the Committee, a report on what had been achieved was provided.\n\n"
            "In order to reduce caseloads, extra capacity was brought in over the summer and salaries had been "
            "benchmarked against other boroughs.\n")
    assert [(a.text, a.kind) for a in _actions(text)] == [
        ("The report presented stated that the recruitment strategy for social workers had been implemented in "
         "April.", "progress"),
        ("In order to reduce caseloads, extra capacity was brought in over the summer and salaries had been "
         "benchmarked against other boroughs.", "progress")]


def test_decisions_listed_after_agreed_with_its_purpose_are_resolutions():
    text = ("Issue - decisions\n\nSocial worker pay\n\n14/03/2019 - Recruitment incentives\n\n"
            "Received a report on the turnover of social workers.\n\n"
            "Agreed, in order to recruit and retain social workers, to:\n\n"
            "1. The payment of a welcome bonus to experienced social workers; and\n\n"
            "2. Note the actions being taken to reduce turnover.\n")
    assert [(a.text, a.kind) for a in _actions(text)] == [
        ("The payment of a welcome bonus to experienced social workers; and", "commitment")]


def test_a_decision_printed_above_the_minutes_and_after_resolved_is_one_commitment():
    actions = _actions(
        "Agenda item\n\n"
        "Social Work Pay Review\n\n"
        "That the revised market supplement for experienced social workers be approved.\n\n"
        "The Cabinet Member introduced the report on the pay of experienced social workers, who had asked for a "
        "review of the market supplement last year.  The report set out the supplement paid by neighbouring "
        "councils to experienced staff.\n\n"
        "Resolved – That the revised market supplement for experienced social workers be approved.\n\n"
        "Supporting documents:")
    assert [(a.kind, a.text) for a in actions] == [
        ("commitment", "That the revised market supplement for experienced social workers be approved.")]


def test_a_promise_is_led_by_whoever_its_own_sentence_names():
    [action] = _actions(
        "News\n\nTwenty trainee social workers join the regional partnership in May, in a scheme led by the "
        "Regional Academy Board. Their teaching will be delivered by Northfield lecturers at the city campus, "
        "with placements in every locality.\n\nContact us")
    assert (action.kind, action.lead) == ("commitment", "Northfield lecturers")


def test_officers_answers_after_members_questions_are_read_by_their_words():
    text = ("Agenda item\n\nSocial Work Staffing\n\nMinutes:\n\nThe Panel received a report on staffing.\n\n"
            "Members raised questions about the following\n"
            "- Was the use of agency staff falling.\n"
            "- Had pay been compared with neighbouring boroughs.\n"
            "In reply the Head of Service explained that:\n"
            "- A new career pathway for senior practitioners had been introduced in May.\n"
            "- Work continued on a housing offer for newly qualified social workers.\n"
            "- Agency social workers were 21% of the workforce.\n")
    assert [(a.text, a.kind) for a in _actions(text)] == [
        ("A new career pathway for senior practitioners had been introduced in May.", "progress"),
        ("Work continued on a housing offer for newly qualified social workers.", "progress")]


def test_what_an_offer_page_says_staff_or_the_reader_will_receive_is_no_promise():
    text = ("Join our Social Work Academy\n\n"
            "Every newly qualified social worker employed by the council will benefit from a protected caseload.\n\n"
            "In your first year you will be supported by an experienced practice supervisor.\n\n"
            "We will open a second academy hub in the north of the county in 2025.\n")
    assert [(a.text, a.kind) for a in _actions(text)] == [
        ("We will open a second academy hub in the north of the county in 2025.", "commitment")]


def test_a_decisions_alternative_options_are_no_actions():
    text = ("Issue - meetings\n\nSocial Work Capacity\n\nMinutes:\n\n"
            "The Cabinet Member introduced the report.\n\n"
            "  1.  A second assessment team would be created and eight social workers would be recruited to it.\n\n"
            "Alternative Options Considered:\n\n"
            "The council had considered a managed agency team, which would be recruited for six months, but "
            "agency staff would not be cost effective.\n")
    assert [(a.kind, a.text) for a in _actions(text)] == [
        ("commitment", "A second assessment team would be created and eight social workers would be recruited to it.")]


def test_what_members_noted_is_the_minutes_record():
    text = ("Agenda item\n\nWorkforce Development\n\nMinutes:\n\n"
            "The Cabinet Member introduced the report. Members noted that since the practice academy opened in "
            "April the vacancy rate for social workers had fallen by 8%. A senior practitioner role had also "
            "been created.\n")
    [action] = _actions(text)
    assert (action.kind, action.text) == ("progress", "Members noted that since the practice academy opened in "
                                          "April the vacancy rate for social workers had fallen by 8%. A senior "
                                          "practitioner role had also been created.")


def test_a_noting_and_the_list_it_introduces_are_no_actions_but_the_next_resolution_is():
    text = ("Agenda item\n\nSocial Work Staffing\n\nDecision:\n\n"
            "(1)  The proposal to fund twelve additional social workers for three years be endorsed.\n\n"
            "(2)  It is noted that the funding is expected to taper over the three years. This will be achieved "
            "by the following measures -\n\n"
            "·  Vacant agency posts will be deleted as permanent staff are recruited.\n\n"
            "·  The number of posts will reduce by four each year.\n\n"
            "(3)  A recruitment campaign for the new social work posts be launched.\n")
    assert [a.text for a in _actions(text)] == [
        "The proposal to fund twelve additional social workers for three years be endorsed.",
        "A recruitment campaign for the new social work posts be launched."]


def test_a_decision_stated_before_its_lead_in_is_a_commitment_and_its_item_too():
    text = ("Issue - meetings\n\nSocial Work Capacity\n\nDecision:\n\n"
            "Cabinet approved an investment of £300K in the assessment teams to reduce social work caseloads. "
            "The investment will be made up as follows:\n\n"
            "(i)  Recruit four more social workers to the assessment teams.\n")
    assert [a.text for a in _actions(text)] == [
        "Cabinet approved an investment of £300K in the assessment teams to reduce social work caseloads.",
        "Recruit four more social workers to the assessment teams."]
