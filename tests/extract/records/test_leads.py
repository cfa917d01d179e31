"""Leads: an action's lead and the distinct leads of a document."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.ids import stable_id
from extract.records.leads import abbreviations_in, find_leads, lead_of, normalise_name
from schemas import Action, Block, BlockKind, LeadKind
from tests.extract.records.test_cohorts import extracted

from tests.conftest import DATA  # noqa: E402


@pytest.mark.parametrize("text,lead", [
    ("Responsible officer: Head of Service", "Head of Service"),
    ("Review the induction offer. Lead: Workforce Development Manager | Timescale: March 2025",
     "Workforce Development Manager"),
    ("The programme is coordinated by Advanced Practitioners, over and above team support.", "Advanced Practitioners"),
    ("An innovation programme, led by Capacity, will develop a not-for-profit agency.", "Capacity"),
    ("The Workforce Development Board will oversee delivery of the plan.", "Workforce Development Board"),
    ("In March the HoS reviewed caseloads across the service.", "Head of Service"),
    ("The approach is reviewed by operational leads, heads of service and the Assistant Director for Children "
     "and Families.", "operational leads, heads of service and the Assistant Director for Children and Families"),
    ("Regularly review progress through the steering group on a quarterly basis", "steering group"),
    ("Warrington Council initially worked with us to support the development of training.", "Warrington Council"),
    ("Team Managers will complete audits monthly.", "Team Managers"),
    ("This will be monitored by the Corporate Parenting Panel.", "Corporate Parenting Panel"),
    ("Following the appointment of the Workforce Development Manager, a review will be conducted.",
     "Workforce Development Manager"),
    ("Family Voices, a local charity, has been commissioned to run the listening sessions.", "Family Voices"),
    ("The Service Director for Children's Social Care will lead a review of caseloads.",
     "Service Director for Children's Social Care"),
    ("The Head of Workforce Development will work with universities.", "Head of Workforce Development"),
    ("Practice Matters CIC, a community interest company, will deliver the training.", "Practice Matters CIC"),
])
def test_lead_of(nlp, text, lead):
    assert lead_of(text, nlp) == lead


@pytest.mark.parametrize("text", [
    "We will work with the University of Chester to develop placements.",   # a collaborator
    "A new leadership programme has been made available to all Team Managers.",  # recipients
    "DfE funding was awarded for this.",  # a funder
    "Shropshire Children's Services support career events across the county.",  # the council itself
    "All Heads of Service have been enrolled on a Leadership Programme.",  # participants
    "Regular Team Manager forums empower managers to understand their role.",  # a meeting, not a lead
])
def test_not_leads(nlp, text):
    assert lead_of(text, nlp, council="Shropshire") is None


def test_defined_acronym_as_subject_is_written_in_full(nlp):
    aliases = {"WSCP": "Wirral Safeguarding Children Partnership"}
    text = "In September 2023 the WSCP introduced basic awareness training."
    assert lead_of(text, nlp, aliases=aliases) == "Wirral Safeguarding Children Partnership"
    assert lead_of("The 2023 SWORD has taken place.", nlp, aliases=aliases) is None


def test_the_council_is_never_its_own_lead(nlp):
    assert lead_of("Testshire Council will launch the campaign.", nlp, council="Testshire") is None


def test_document_abbreviations_write_leads_in_full(nlp):
    text = "The Wirral Safeguarding Children Partnership (WSCP) leads on systemic practice."
    assert abbreviations_in(text) == {"WSCP": "Wirral Safeguarding Children Partnership"}


def test_an_acronym_never_defined_is_matched_to_the_name_it_spells(nlp):
    text = ("In Northshire the Northshire Safeguarding Children Partnership leads on systemic practice. "
            "In September 2023 the NSCP introduced awareness training. The DCS chairs the board.")
    assert abbreviations_in(text) == {"NSCP": "Northshire Safeguarding Children Partnership"}
    assert lead_of("In September 2023 the NSCP introduced awareness training.", nlp,
                   aliases=abbreviations_in(text)) == "Northshire Safeguarding Children Partnership"


def test_normalised_names_fold_case_plurals_and_abbreviations():
    assert normalise_name("Service Managers") == normalise_name("service manager")
    assert normalise_name("HoS") == normalise_name("Heads of Service") == "head of service"
    assert normalise_name("the Staff college") == "staff college"


def _action(text: str, lead: str | None) -> Action:
    return Action(id=text[:8], document_id="d", council="Testshire", priority_id=None, text=text, kind="commitment",
                  lead=lead, due_text=None, due_date=None, page=1, char_start=0, char_end=len(text))


def test_find_leads_distinct_and_typed(nlp):
    blocks = [Block(kind=BlockKind.PARAGRAPH, text="The Workforce Board is chaired by the Head of Service.", page=1),
              Block(kind=BlockKind.LIST_ITEM, text="We are working with Skills for Care, a charity, on retention.",
                    page=1, seq=1, char_start=60)]
    actions = [_action("Recruit 10 social workers", "Service Managers"),
               _action("Audit supervision", "service manager"), _action("Run a survey", "HoS")]
    leads = find_leads(blocks, actions, nlp, council="Testshire")
    kinds = {normalise_name(lead.name): lead.kind for lead in leads}
    assert kinds == {"service manager": "role", "head of service": "role", "workforce board": "team",
                     normalise_name("Skills for Care"): "organisation"}
    assert {lead.id for lead in leads} == {stable_id("Testshire", key) for key in kinds}


def test_sefton_leads():
    x = extracted(DATA / "003_d80c8cc1c9b6dc28.txt")
    assert {normalise_name(lead.name) for lead in x.leads} == {
        "service manager", "head of service", "qa manager", "principal social worker",
        "sefton corporate learning centre", "research in practice", "practice champion"}


def test_wirral_leads_exclude_funders_audiences_and_recipients():
    names = {normalise_name(lead.name) for lead in extracted(DATA / "000_d0267cf840bad862.txt").leads}
    assert {"cpd subgroup", "social care workforce strategy board", "capacity community interest company",
            "multi-agency steering group", "frontline"} <= names
    assert not names & {"department for education", "ofsted", "team manager", "wirral council"}
    assert all(lead.kind in {k.value for k in LeadKind} for lead in extracted(DATA / "000_d0267cf840bad862.txt").leads)


def test_abbreviations_found_back_from_brackets_are_those_a_full_scan_finds():
    """The bracket-first search gives the pairs the plain regex over the whole text gives."""
    import re

    from extract.records.leads import _defined
    from extract.pipeline import extract_document
    from tests.conftest import CORPUS_PDFS, SEED_TEXTS

    full_scan = re.compile(r"((?:[A-Z][\w’'&-]*\s+(?:(?:and|of|for|in|the)\s+)?){1,8})\(([A-Z][A-Za-z&]{1,7})\)")
    texts = [" ".join(b.text for b in extract_document(p, records=False).blocks) for p in CORPUS_PDFS + SEED_TEXTS]
    texts += ["Head (HD) of the Youth Offending Service (YOS), Early Help (EH)", "(ABC) McDonald Trust (MT)",
              "A B C D E F G H I J (AB)", "Foo\nBar  (FB) and (XY)"]
    pairs = 0
    for text in texts:
        expected = [(m.group(1), m.group(2)) for m in full_scan.finditer(text)]
        assert list(_defined(text)) == expected
        pairs += len(expected)
    assert pairs > 10


def _leads_of(nlp, council: str, *blocks: tuple[str, str]) -> set[str]:
    """The lead names find_leads gives for (kind, text) blocks of one document, no actions."""
    made = [Block(kind=BlockKind(kind), text=text, page=1, seq=i) for i, (kind, text) in enumerate(blocks)]
    return {lead.name for lead in find_leads(made, [], nlp, council=council)}


def test_minutes_presenters_are_not_leads_but_a_partner_doing_work_is(nlp):
    names = _leads_of(nlp, "Northshire", (
        "paragraph", "Jo Bloggs, Director of Children's Services (DCS), gave a summary of the report. The DCS "
        "remarked that agency costs had risen. The Head of Safeguarding introduced the report of the Director "
        "of Children's Services. Members were advised that Practice Futures CIC would undertake a review of "
        "supervision and that Ofsted had commented on caseloads. Councillor Green suggested that pay be reviewed. "
        "The Assistant Director observed the council had benchmarked salaries against other boroughs. The "
        "Corporate Management Team had therefore taken the decision to pay a market supplement to social workers."),
        ("list_item", "The new TalentBridge recruitment service would be used going forward to recruit "
                      "experienced social workers;"))
    assert names == {"Practice Futures CIC", "TalentBridge"}


def test_a_council_name_inside_a_partner_name_is_not_the_council(nlp):
    # a brand that runs the council's name into another word is not the council
    assert "Jobs4Northshire" in _leads_of(nlp, "Northshire", (
        "paragraph", "The Jobs4Northshire service will be used to recruit agency staff."))
    assert not _leads_of(nlp, "Northshire", ("paragraph", "Northshire Council will run the campaign."))


def test_resolutions_with_an_action_line_name_its_owners(nlp):
    names = _leads_of(nlp, "Northshire",
                      ("paragraph", "The report of the Strategic Director of Children's Services (Document “Q”) "
                                    "presented the latest workload figures."),
                      ("list_item", "That the Head of Early Help be requested to provide retention figures to the "
                                    "next meeting."),
                      ("list_item", "That further updates be included in the reports from the Improvement Board."),
                      ("heading", "Action: Strategic Director Children's Services/Scrutiny Support Lead"),
                      ("heading", "(Pat Jones – 01632 960123)"))
    assert names == {"Head of Early Help", "Strategic Director Children's Services", "Scrutiny Support Lead"}


def test_an_action_line_that_states_the_task_names_no_one(nlp):
    assert lead_of("Action: Recruit ten social workers by March", nlp) is None
    assert lead_of("Action: Head of Service/Workforce Lead", nlp) == "Head of Service/Workforce Lead"
    assert lead_of("By whom: Principal Social Worker", nlp) == "Principal Social Worker"


def test_document_control_table_gives_the_approving_board_not_the_authors(nlp):
    names = _leads_of(nlp, "Northshire",
                      ("paragraph", "Title Northshire Early Help Workforce Strategy Purpose To set out the strategy "
                                    "Updated by Sam Taylor Approved by Early Help Workforce Board Date 1st May 2024 "
                                    "Version number Final v2"),
                      ("heading", "Prepared by Alex Brown, Kim White and Lee Green"),
                      ("paragraph", "Page created by Robin Black"))
    assert names == {"Early Help Workforce Board"}


def test_joint_responsibility_and_a_committee_that_shaped_the_proposals(nlp):
    names = _leads_of(nlp, "Northshire", (
        "paragraph", "Councillor Amy Hart presented the report. In doing so, Councillor Hart acknowledged that the "
        "issues were jointly the responsibility of Councillor Ben Cole and Councillor Dee Fox. Issues discussed "
        "included: the involvement of the Staffing Policy Committee in the development of the proposals; the "
        "success of social media in recruitment."))
    assert names == {"Councillor Ben Cole", "Councillor Dee Fox", "Staffing Policy Committee"}


def test_a_contractor_is_a_lead_by_its_trading_name_and_the_decision_maker_is_not(nlp):
    text = ("The Director of Children's Services has decided to award a contract of £90,000 to Civic Futures Lab "
            "LLP (trading as ‘Bridge') to conduct the first phase of a not-for-profit staffing agency.")
    assert lead_of(text, nlp, council="Northshire") == "Bridge"
    names = _leads_of(nlp, "Northshire", ("heading", "Decision Maker: Director of Children's Services"),
                      ("paragraph", text), ("list_item", "Develop & deliver the Regional Steering Group"))
    assert names == {"Bridge"}


def test_a_remit_written_after_the_title_is_part_of_the_role(nlp):
    text = "Work is under way, led by the Assistant Director Safeguarding, with partner agencies."
    assert lead_of(text, nlp) == "Assistant Director Safeguarding"


def test_pipelines_used_name_outside_providers_not_the_councils_academy(nlp):
    names = _leads_of(nlp, "Northshire", (
        "paragraph", "It was explained that several routes were being used to build a stable workforce including; "
        "the Social Work Academy, the Open University, apprenticeships and student placements. "
        "Since 2020, 30 social workers had been supported by the Academy and not 25 as reported."))
    assert names == {"Open University"}


def test_national_bodies_audiences_and_agreeing_parties_are_not_leads(nlp):
    names = _leads_of(nlp, "Northshire", (
        "paragraph", "In 2010 the Social Work Reform Board, which had grown out of the Social Work Task Force, set "
        "new standards. The Children's Workforce Development Council (CWDC) framework was adopted. The Director "
        "submitted the report to Executive Board."),
        ("list_item", "Gain agreement on the framework and Statement of Intent with the Children's Trust"),
        ("paragraph", "Year Social Worker turnover rate Social Worker vacancy rate"))
    assert names == set()


@pytest.mark.parametrize("text,lead", [
    # a later "led by" names who did the work; the sentence's subject is only what changed
    ("The induction process has been shortened to four weeks, led by the Workforce Development Team.",
     "Workforce Development Team"),
    # a chair named beside a body leaves the body the subject
    ("The Practice Board, chaired by the Assistant Director for Safeguarding, will review caseloads in May.",
     "Practice Board"),
    # a resolution's own subjunctive
    ("That the Principal Social Worker arrange a visit to the academy for members.", "Principal Social Worker"),
    # "agreed by" a body that governs the work
    ("The plan was drafted by the academy and agreed by the Social Work Leadership Team in June.",
     "Social Work Leadership Team"),
    ("Peer supervision runs weekly in each pod, facilitated by the consultant social workers.",
     "consultant social workers"),
])
def test_lead_of_in_council_forms(nlp, text, lead):
    assert lead_of(text, nlp, council="Testshire") == lead


@pytest.mark.parametrize("text", [
    # a name that only qualifies the subject noun
    "The Independent Reviewing Officer caseloads have been reduced.",
    # delegated authority to decide is not doing the work
    "That the Director of Children's Services be authorised to vary the scheme within the budget.",
    # some holder of a post, not a named entity
    "The pod is supervised by a Team Manager and managed by an Advanced Practitioner.",
])
def test_not_leads_in_council_forms(nlp, text):
    assert lead_of(text, nlp, council="Testshire") is None


@pytest.mark.parametrize("blocks", [
    [("list_item", "Run quarterly question-and-answer sessions with the Director of Children's Services.")],
    [("paragraph", "The council has created ten Senior Practitioner posts, and a review of the Senior "
                   "Practitioner role will follow.")],
    [("paragraph", "That a briefing on the Advanced Practitioner role be arranged for members.")],
    [("list_item", "Compare leavers' feedback with HR by the end of the year.")],
    [("paragraph", "That the Board's thanks to the recruitment team be recorded."), ("paragraph", "Action: Committee Clerk")],
])
def test_mentioned_participants_and_posts_are_not_listed(nlp, blocks):
    assert _leads_of(nlp, "Testshire", *blocks) == set()


def test_hr_colleagues_who_work_with_us_are_listed(nlp):
    assert _leads_of(nlp, "Testshire", ("list_item", "Work with HR colleagues to design the exit survey.")) == {"HR"}


def test_a_reports_author_and_a_body_that_took_the_decision_are_no_leads(nlp):
    names = _leads_of(nlp, "Northshire",
                      ("heading", "Report by Jo Bloggs, Director of People"),
                      ("paragraph", "The Senior Management Team had already taken the decision in May to extend "
                                    "the retention payment to team managers in the assessment service."),
                      ("paragraph", "The Workforce Development Board will oversee delivery of the payment scheme."))
    assert names == {"Workforce Development Board"}


def test_the_rules_a_meeting_follows_are_not_leads(nlp):
    names = _leads_of(nlp, "Northshire", (
        "paragraph", "(Councillor Ames attended remotely in accordance with Standing Order 14 and spoke to this item.) "
                     "The review of supervision was led by Sarah Jones, the Principal Social Worker."))
    assert names == {"Sarah Jones"}


def test_a_board_that_titles_a_section_is_no_lead_but_one_named_in_its_text_is(nlp):
    names = _leads_of(nlp, "Northshire",
                      ("heading", "Context - Northshire Practice Improvement Board - lessons from audits 4"),
                      ("paragraph", "The plan is overseen by the Workforce Development Board, which meets monthly."))
    assert names == {"Workforce Development Board"}


def test_the_staff_of_a_named_place_who_deliver_the_work_lead_it(nlp):
    names = _leads_of(nlp, "Northshire",
                      ("paragraph", "The taught modules for our apprentices will be delivered by Eastfield tutors "
                                    "at the Northshire campus."))
    assert names == {"Eastfield tutors"}


def test_a_directors_title_naming_a_list_of_services_is_one_role(nlp):
    assert lead_of("The review is led by the Director of Adults, Housing and Communities.", nlp,
                   council="Anytown") == "Director of Adults, Housing and Communities"
    assert lead_of("A panel, chaired by the Assistant Director for Quality, Safeguarding and Learning, meets "
                   "monthly.", nlp, council="Anytown") == "Assistant Director for Quality, Safeguarding and Learning"
    assert lead_of("The pilot is overseen by the Director of Children’s Services.", nlp,
                   council="Anytown") == "Director of Children’s Services"


def test_a_body_whose_chairs_title_lists_services_still_leads_its_work(nlp):
    assert lead_of("The workforce steering group, chaired by the Director of Adults, Housing and Communities, has "
                   "met monthly to review the plan.", nlp, council="Anytown") == "workforce steering group"


def test_the_party_a_delivery_contract_is_with_leads_it(nlp):
    assert lead_of("Approves the extension of the contract between the Council and Northfield University in respect "
                   "of the delivery of the social work degree apprenticeship.", nlp, council="Testshire") == \
        "Northfield University"
    assert lead_of("Agrees a contract with Westfield College to deliver the practice educator course.", nlp,
                   council="Testshire") == "Westfield College"


def test_a_board_papers_go_to_or_data_come_from_does_not_lead(nlp):
    blocks = [Block(kind=BlockKind.PARAGRAPH, page=1,
                    text="The Panel noted that workforce data from the Improvement Board would be reviewed at each "
                         "meeting and that questions on vacancies could be submitted to the Corporate Parenting "
                         "Board for consideration.")]
    assert find_leads(blocks, [], nlp, council="Testshire") == []
