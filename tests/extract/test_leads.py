"""Leads: an action's lead and the distinct leads of a document."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.ids import stable_id
from extract.leads import abbreviations_in, find_leads, lead_of, normalise_name
from schemas import Action, Block, BlockKind, LeadKind
from tests.extract.test_cohorts import extracted

DATA = Path(__file__).resolve().parent.parent / "data"


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

    from extract.leads import _defined
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
