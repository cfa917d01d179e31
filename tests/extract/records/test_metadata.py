"""Document metadata on the real documents (texts and PDFs) and on hand-written snippets of other councils."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from extract.layout.blocks import blocks_to_text, items_to_blocks
from extract.records.metadata import (_DATE_LABEL, DocumentMetadata, _by_sentence, _date_labels, _mentions, _squash,
                                      council_of_source, council_scores, councils, document_metadata, find_doc_type)
from extract.pipeline import extract_document, read_blocks
from extract.read.text import read_text_file, running_headers, text_to_items
from tests.conftest import CORPUS_PDFS, SEED_TEXTS

# What the gold (eval/gold/*.json "document") says of the five documents.
GOLD = {
    "000_d0267cf840bad862": ("Wirral", "committee_report", "2023"),
    "001_e98010b9432bf09c": ("Wirral", "progress_update", "2024"),
    "002_c2b6556e76a60ddc": ("Wirral", "committee_report", "2024-02-01"),
    "003_d80c8cc1c9b6dc28": ("Sefton", "strategy", "2019"),
    "004_d5165c856a572d5e": ("Shropshire", "strategy", "2022-01"),
}


def assert_gold(meta: DocumentMetadata, stem: str) -> None:
    council, doc_type, published = GOLD[stem]
    assert (meta.council, meta.doc_type) == (council, doc_type)
    # The scorer's rule: the predicted date states the gold date at least at the gold's precision.
    assert meta.published is not None and meta.published.startswith(published), meta.published


def _pdf_running_lines(path: Path) -> list[str]:
    """First and last lines repeated on at least half the pages: what the PDF reader drops as headers."""
    counts: Counter[str] = Counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines = page.extract_text_lines()
            counts.update({line["text"].strip() for line in lines[:2] + lines[-2:]})
        needed = max(2, len(pdf.pages) // 2)
    return [text for text, n in counts.items() if n >= needed and len(text) >= 20]


@pytest.fixture(scope="module")
def pipeline_metadata():
    """Metadata of a corpus file read through the real block builder, once per file."""
    cache: dict[Path, DocumentMetadata] = {}

    def of(path: Path) -> DocumentMetadata:
        if path not in cache:
            blocks, _, info = read_blocks(path)
            if path.suffix == ".pdf":
                headers = info.get("running_headers") or _pdf_running_lines(path)
            else:
                headers = sorted(running_headers(read_text_file(path).splitlines()))
            cache[path] = document_metadata(blocks_to_text(blocks), blocks, info, running_headers=headers)
        return cache[path]
    return of


@pytest.mark.parametrize("path", SEED_TEXTS, ids=lambda p: p.name)
def test_gold_metadata_from_text_split_on_blank_lines(path):
    assert_gold(document_metadata(read_text_file(path)), path.stem)


@pytest.mark.parametrize("path", SEED_TEXTS + CORPUS_PDFS, ids=lambda p: p.name)
def test_gold_metadata_through_the_block_builder(path, pipeline_metadata):
    assert_gold(pipeline_metadata(path), path.stem)


# Titles as printed (or, where nothing is printed, the PDF's own title) and the strategy each belongs to.
PDF_TITLES = {
    "000_d0267cf840bad862": ("Social Care Workforce Strategy 2022-2025",
                             "Children's Social Care Workforce Strategy 2022-2025"),
    "001_e98010b9432bf09c": ("Appendix B - Progress and Updates", None),  # the appendix names no strategy
    "002_c2b6556e76a60ddc": ("SOCIAL CARE WORKFORCE STRATEGY 2022-2025",
                             "Children's Social Care Workforce Strategy 2022-2025"),
    "003_d80c8cc1c9b6dc28": ("Children's Social Care Workforce Strategy", "Children's Social Care Workforce Strategy"),
    "004_d5165c856a572d5e": ("Shropshire Children's Workforce Strategy 2021-23",
                             "Shropshire Children's Workforce Strategy 2021-23"),
}


def _plain(text: str | None) -> str | None:
    return text.replace("\u2019", "'").replace("\u2013", "-") if text else text


@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: p.name)
def test_pdf_titles_and_strategies(path, pipeline_metadata):
    meta = pipeline_metadata(path)
    assert (_plain(meta.title), meta.strategy) == PDF_TITLES[path.stem]


def test_strategy_name_and_period_normalised(pipeline_metadata):
    report = pipeline_metadata(SEED_TEXTS[2])
    # Printed as "Children’s ... Strategy 2022-2025", "Social Care Workforce Strategy 2022 – 2025"
    # and, in its background papers, the previous "Strategy 2019-2021".
    assert report.strategy == "Children's Social Care Workforce Strategy 2022-2025"
    assert report.title == "SOCIAL CARE WORKFORCE STRATEGY 2022-2025"


def test_partner_councils_do_not_outweigh_the_subject():
    appendix = read_text_file(SEED_TEXTS[1])  # names Cheshire West and Chester Council and Warrington Council
    scores = council_scores(appendix)
    assert scores.most_common(1)[0][0] == "Wirral"
    assert {"Cheshire West and Chester", "Warrington"} <= set(scores)


# --------------------------------------------------------------------------- other councils

HACKNEY_REPORT = """London Borough of Hackney

Children and Young People Scrutiny Commission

Date of meeting: 12 March 2024

Report title: Children's Social Care Workforce Update

REPORT SUMMARY

This report updates the Commission on the recruitment and retention of social workers in Hackney.

RECOMMENDATIONS

The Commission is asked to note the report.

FINANCIAL IMPLICATIONS

None.
"""

KENT_PLAN = """Kent County Council

Children's Social Work Workforce Action Plan 2024-25

This action plan sets out what Kent will do to recruit and retain social workers.

Action | Lead | By when
Launch a new recruitment campaign | Head of HR | June 2024
"""


def test_london_borough_committee_report():
    meta = document_metadata(HACKNEY_REPORT)
    assert meta == DocumentMetadata(council="Hackney", title="Children's Social Care Workforce Update",
                                    doc_type="committee_report", strategy=None, published="2024-03-12")


def test_county_council_action_plan():
    meta = document_metadata(KENT_PLAN)
    assert (meta.council, meta.doc_type) == ("Kent", "action_plan")
    assert meta.title == "Children's Social Work Workforce Action Plan 2024-25"
    assert meta.published is None  # a deadline in the plan is not its date


def test_minutes_dated_by_the_meeting_they_record_and_their_item_number_heads_the_item():
    text = ("Somerset Council\nChildren and Families Scrutiny Committee\n"
            "Minutes of the meeting held on 14 January 2025\n\n45 Workforce Strategy Progress Report\n"
            "The Committee considered a report on the progress of the workforce strategy.\n"
            "It was noted that:\n\u2022 The service had appointed a Workforce Development Lead in October.\n")
    blocks = items_to_blocks(text_to_items(text))
    assert [b.text for b in blocks][2:4] == ["Minutes of the meeting held on 14 January 2025",
                                             "45 Workforce Strategy Progress Report"]
    meta = document_metadata(blocks_to_text(blocks), blocks)
    assert (meta.council, meta.doc_type, meta.published) == ("Somerset", "committee_report", "2025-01-14")


def test_cabinet_minutes_without_a_resolved_in_capitals_are_a_committee_report():
    text = ("Lancashire County Council\nMinutes of the Cabinet held on Thursday, 6 March 2025 at 2.00 pm\n\n"
            "12. Social Work Academy\nCabinet considered a report on the Social Work Academy.\n"
            "Resolved: That the Social Work Academy be expanded to 40 places a year from September 2025.\n")
    blocks = items_to_blocks(text_to_items(text))
    meta = document_metadata(blocks_to_text(blocks), blocks)
    assert (meta.council, meta.doc_type, meta.published) == ("Lancashire", "committee_report", "2025-03-06")
    meta = document_metadata("Surrey County Council\nChildren's Select Committee\nMinutes - 4 December 2024\n\n"
                             "7. RECRUITMENT OF SOCIAL WORKERS\n\nThe Director explained that agency use had fallen.\n")
    assert (meta.council, meta.doc_type, meta.published) == ("Surrey", "committee_report", "2024-12-04")


def test_a_title_set_off_with_its_month_is_dated_by_it_but_a_period_is_not_a_date():
    meta = document_metadata("Leeds City Council\nChildren's Workforce Progress Update, January 2025\n\n"
                             "Progress so far\n\n- 12 students started on Step Up in January.\n")
    assert (meta.council, meta.doc_type, meta.published) == ("Leeds", "progress_update", "2025-01")
    assert document_metadata("Leeds City Council\nFigures for the year to March 2024\n\nText.").published != "2024-03"


def test_no_council_named():
    text = ("Workforce Strategy\n\nThis strategy sets out how the authority will recruit and develop "
            "its social workers. Our strategy has five priorities. A recruitment fair was held in Liverpool.")
    meta = document_metadata(text)
    assert meta.council is None  # a town named once in passing is not the document's council
    assert meta.doc_type == "strategy"
    assert meta.published is None


def test_subject_beats_partners_listed_formally():
    text = ("Sefton Children's Services\n\nWorkforce update\n\nSefton's social workers now have an academy. "
            "In Sefton, agency use fell.\n\nWe host the regional programme on behalf of Liverpool City Council, "
            "Knowsley Council, St Helens Council and Wirral Council.")
    assert document_metadata(text).council == "Sefton"


@pytest.mark.parametrize("text, council", [
    ("The Royal Borough of Kingston upon Thames values its social workers.", "Kingston upon Thames"),
    ("Metropolitan Borough of Wirral", "Wirral"),
    ("Report to Cabinet, Hull City Council", "Kingston upon Hull"),
    ("Durham County Council children's services", "Durham"),
    ("London Borough of Barking & Dagenham", "Barking and Dagenham"),
    ("Newcastle-under-Lyme Borough Council", "Newcastle-under-Lyme"),
    ("Newcastle City Council", "Newcastle upon Tyne"),
    ("Stoke on Trent City Council", "Stoke-on-Trent"),
    ("Cumberland Council", "Cumberland"),
    ("Westmorland and Furness Council", "Westmorland and Furness"),
    ("North Yorkshire Council", "North Yorkshire"),
    ("BCP Council", "Bournemouth, Christchurch and Poole"),
    ("Reading Borough Council", "Reading"),
    ("Shropshire Council", "Shropshire"),
    ("SEFTON METROPOLITAN BOROUGH COUNCIL", "Sefton"),
    ("City of London Corporation", "City of London"),
    ("Council of the Isles of Scilly", "Isles of Scilly"),
    ("Reading the report, members noted the progress made.", None),
    ("The BCP (business continuity plan) was tested.", None),
    ("Greater Manchester partners met at Manchester Airport.", None),
])
def test_council_name_forms(text, council):
    assert document_metadata(text).council == council


def test_the_shipped_list_is_every_english_authority():
    current = [c for c in councils() if c.abolished is None]
    assert len(current) == 317
    assert Counter(c.kind for c in current) == {"district": 164, "unitary": 62, "metropolitan_borough": 36,
                                                "london_borough": 32, "county": 21, "sui_generis": 2}
    names = {c.name for c in councils()}
    assert len(names) == len(councils())
    assert {"Cumberland", "Westmorland and Furness", "North Yorkshire", "Somerset", "Buckinghamshire",
            "Dorset", "Bournemouth, Christchurch and Poole", "Wirral", "Sefton", "Shropshire"} <= names


# --------------------------------------------------------------------------- titles and dates

def test_pdf_info_title_used_only_when_meaningful():
    text = "Purpose\n\nThis strategy sets out how we will support our workforce. Our strategy runs to 2025."
    assert document_metadata(text, pdf_info={"Title": "Microsoft Word - strategy_v3_final.docx"}).title is None
    meta = document_metadata(text, pdf_info={"Title": "Early Help Workforce Strategy"})
    assert (meta.title, meta.strategy) == ("Early Help Workforce Strategy", "Early Help Workforce Strategy")


@pytest.mark.parametrize("text, published", [
    ("Workforce Plan\n\nVersion 1.2 (March 2023)\n\nWe will launch a scheme in 2024.", "2023-03"),
    ("Workforce Plan\n\nLast updated: 4 April 2023\n\nText.", "2023-04-04"),
    ("CABINET\n\nWednesday 6 September 2023\n\nReport of the Director of Children's Services", "2023-09-06"),
    ("Running title – version 3 – June 2021", "2021-06"),
    # inferred at year precision: the year of work done and of promises made ...
    ("Update\n\nThe academy was launched in March 2021. A second intake will follow in September 2021.", "2021"),
    # ... or the next one, when work done late in a year comes with promises for the next
    ("Update\n\nThe pilot began in October 2022. A second cohort will start in January 2023.", "2023"),
    # ... or the year of data up to a point early in it
    ("Profile\n\nTurnover was 12% for the year to the end of March 2019.", "2019"),
    # events alone, and data up to a year's end, leave the year open: the paper may be the next year's
    ("Update\n\nThe academy was launched in March 2021. Ten students started in June 2021.", None),
    ("Minute\n\nAs at the end of December 2018, 12 social workers had been appointed.", None),
    ("Report\n\nThe caseload analysis is based on activity up to 30th September 2018.", None),
    ("Plan\n\nWe will launch a new academy in 2025.", None),  # promises alone date nothing
    ("Plan\n\nThe Children Act (1989) and the Frontline Programme 2023.", None),  # years in names
    # a decision list's dated line, and a forward-plan entry's decision date
    ("Issue - decisions\n\nSocial Work Pay\n\n04/03/2019 - Pay Review for Social Workers\n\nAgreed the review.",
     "2019-03-04"),
    ("Cabinet RESOLVED to approve the pay review.\n\nDecision type: Key\n\nDecision due: 12 Feb 2020 by Cabinet\n\n"
     "Lead member: Cabinet Member for Children", "2020-02-12"),
    # an item's purpose runs to a deadline, which neither heads the paper nor is the horizon of its data
    ("Agenda item\n\nTo agree the extension of the retention payments until 31 March 2021.\n\nThe payments had "
     "reduced turnover from 30% in 2016 to 20% in 2018.", None),
])
def test_published(text, published):
    assert document_metadata(text).published == published


def test_running_headers_carry_the_version_date():
    text = "Our Workforce Strategy\n\nWhat we know:\n\nThe need for social workers is growing."
    headers = ["Workforce Strategy – version 2 – January 2022"]
    assert document_metadata(text).published is None
    assert document_metadata(text, running_headers=headers).published == "2022-01"
    assert document_metadata(text, pdf_info={"running_headers": headers}).published == "2022-01"


@pytest.mark.parametrize("title, doc_type", [
    ("Appendix 2 – Progress update on the workforce plan", "progress_update"),
    ("Social Work Recruitment and Retention Strategy 2024-2027", "strategy"),
    ("Workforce Delivery Plan 2023/24", "action_plan"),
    ("Annual Safeguarding Partnership Newsletter", "other"),
])
def test_doc_type_from_title(title, doc_type):
    assert document_metadata(f"{title}\n\nSome text about the workforce.").doc_type == doc_type


@pytest.mark.parametrize("sections", [
    ("Financial implications", "Legal implications", "Background papers"),
    ("FINANCIAL IMPLICATIONS", "LEGAL IMPLICATIONS", "BACKGROUND PAPERS"),
    ("Wards Affected: All", "KEY DECISION: No", "Contact officer: Jo Bloggs"),
    ("Report Author: Jo Bloggs", "REASONS FOR RECOMMENDATIONS", "Exempt information: None"),
])
def test_three_sections_of_the_committee_template_in_any_case_make_a_committee_report(sections):
    def paper(headings):
        return "Social work workforce\n\n" + "\n\n".join(f"{h}\n\nThe service sets out its plans." for h in headings)

    assert document_metadata(paper(sections)).doc_type == "committee_report"
    assert document_metadata(paper(sections[:1])).doc_type == "other"


@pytest.mark.parametrize("opening", [
    "Social work workforce",
    "\u0130stanbul exchange: social work workforce",  # lower-casing changes the text's length
    "Social work workforce (repo\u017ft \u2013 the long s a case-blind s matches)",
])
def test_template_sections_counted_alike_whatever_the_text_folds_to(opening):
    def paper(headings):
        return opening + "\n\n" + "\n\n".join(f"{h}\n\nThe service sets out its plans." for h in headings)

    sure = ("Wards Affected: All", "kEY dECISION: No", "Contact Officer: Jo Bloggs")
    assert find_doc_type(paper(sure)) == "committee_report"
    # words run into the cue's first word are no cue ("awards affected", "turnkey decision")
    near_misses = ("Awards affected: All", "Turnkey decision: No", "Contact officer: Jo Bloggs")
    assert find_doc_type(paper(near_misses)) == "other"


MODERNGOV_REPORT = """Agenda Item 7

Report to: Children and Families Scrutiny Committee
Date of Meeting: 14 November 2023
Report Title: Social Work Recruitment and Retention Update
Report of: Director of Children's Services
Key Decision: No

1. Purpose of the Report

1.1 To update the committee on the Cheshire East Social Work Workforce Strategy 2022-2025. Cheshire East
Council has recruited 20 social workers since April 2023.

2. Recommendations

2.1 The Committee is asked to note the progress.
"""

CABINET_REPORT = """CABINET

12 July 2022

CHILDREN'S SOCIAL CARE WORKFORCE ACTION PLAN

Report of the Cabinet Member for Children

This report presents Bradford's children's social care workforce action plan, agreed by the City of
Bradford Metropolitan District Council.
"""

STRATEGY_COVER = """Our Workforce Strategy 2023 – 2026

Supporting our people to support children

Derbyshire County Council

Foreword

Derbyshire's children deserve the best. This strategy sets out how we will recruit and retain social
workers. In 2022 we recruited 40 newly qualified social workers, and as at 31 March 2023 our vacancy rate
was 12%. We will open our academy in September 2023.

References

Published: March 2018. Social work health check.
"""


def test_committee_report_with_labelled_fields():
    meta = document_metadata(MODERNGOV_REPORT)
    assert meta == DocumentMetadata(
        council="Cheshire East", title="Social Work Recruitment and Retention Update", doc_type="committee_report",
        strategy="Cheshire East Social Work Workforce Strategy 2022-2025", published="2023-11-14")


def test_cabinet_report_presenting_an_action_plan_is_a_committee_report():
    meta = document_metadata(CABINET_REPORT)
    assert (meta.council, meta.doc_type, meta.published) == ("Bradford", "committee_report", "2022-07-12")
    assert meta.title == "CHILDREN'S SOCIAL CARE WORKFORCE ACTION PLAN"  # not the "Report of" line under it


def test_strategy_cover_page():
    meta = document_metadata(STRATEGY_COVER)
    assert meta == DocumentMetadata(council="Derbyshire", title="Our Workforce Strategy 2023 – 2026",
                                    doc_type="strategy", strategy="Workforce Strategy 2023-2026",
                                    published="2023")  # inferred: the data "as at 31 March 2023"


def test_masthead_fields_are_not_the_title_but_a_titles_colon_is_kept():
    fields = "Report to: Cabinet\n\nWards affected: All\n\nKey Decision: Yes\n\nFostering Recruitment Plan\n\nBody."
    assert document_metadata(fields).title == "Fostering Recruitment Plan"
    assert document_metadata("Growing our own: Workforce Strategy 2023-26\n\nBody.").title == \
        "Growing our own: Workforce Strategy 2023-26"


def test_a_date_field_is_masthead_and_a_workforce_plan_is_a_strategy():
    text = ("Barnsley Metropolitan Borough Council\n\nDate: 9 July 2024\n\n"
            "Social Work Workforce Development Plan: Progress Report\n\n"
            "1.1 To update members on the delivery of the Social Work Workforce Development Plan 2023-2025.")
    meta = document_metadata(text)
    assert (meta.council, meta.title, meta.published) == (
        "Barnsley", "Social Work Workforce Development Plan: Progress Report", "2024-07-09")
    assert meta.strategy == "Social Work Workforce Development Plan 2023-2025"
    assert document_metadata("Our Children and Young People's Plan 2015-2020 sets out.\n\nBody.").strategy is None


def test_a_title_ending_with_the_committee_it_is_for_is_still_the_title():
    text = ("Cheshire East Council\n\nChildren and Families Committee\n\n"
            "Social Work Workforce Action Plan 2023-2025: Update for Children and Families Committee\n\n"
            "1.1 This report updates the committee on the action plan.")
    assert document_metadata(text).title == \
        "Social Work Workforce Action Plan 2023-2025: Update for Children and Families Committee"


def test_a_masthead_line_naming_the_meeting_dates_the_report():
    text = ("Derbyshire County Council\n\nChildren's Services Workforce Action Plan 2023 – 2025\n\n"
            "Progress report to Improvement and Scrutiny Committee – 7 November 2023\n\n"
            "1.1 To update the committee on the workforce action plan agreed in March 2023.")
    assert document_metadata(text).published == "2023-11-07"


def test_a_title_run_on_into_the_field_under_it_ends_at_the_field():
    text = ("Hertfordshire County Council \n \nChildren's Social Care Workforce Strategy 2023-2026: Six Month "
            "Progress Report \nReport to Children, Young People and Families Cabinet Panel – 14 March 2024 \n \n"
            " Priority 1: Recruitment \n")
    blocks = items_to_blocks(text_to_items(text))
    meta = document_metadata(blocks_to_text(blocks), blocks, {})
    assert (meta.title, meta.published) == (
        "Children's Social Care Workforce Strategy 2023-2026: Six Month Progress Report", "2024-03-14")


def test_the_first_priority_heading_is_not_part_of_the_title():
    text = "Wigan Council Social Work Workforce Update\n\nPriority 1: Recruitment\n\nWe recruited ten social workers."
    assert document_metadata(text).title == "Wigan Council Social Work Workforce Update"


def test_without_its_running_header_a_strategy_is_dated_by_its_content():
    blocks, _, info = read_blocks(SEED_TEXTS[4])  # the block builder drops the "version 2 – January 2022" header
    info = {k: v for k, v in info.items() if k != "running_headers"}
    meta = document_metadata(blocks_to_text(blocks), blocks, info)
    assert meta.published == "2022"  # work begun in January 2022 and promised for later that year


# --------------------------------------------------------------------------- other councils' web pages

CABINET_DECISION_PAGE = """Decision details

Social work recruitment and retention - annual update

Decision Maker: Cabinet

Decision status: Recommendations Approved

Is Key decision?: No

Date of decision: 14/03/2024

The Cabinet noted the progress of the recruitment campaign and agreed the actions for the coming year.
"""


def test_a_cabinet_decision_page_takes_its_council_from_the_sites_host():
    source = "https://democracy.north-somerset.gov.uk/ieDecisionDetails.aspx?ID=812"
    meta = document_metadata(CABINET_DECISION_PAGE, source=source)
    assert (meta.council, meta.doc_type, meta.published) == ("North Somerset", "committee_report", "2024-03-14")
    assert document_metadata(CABINET_DECISION_PAGE).council is None  # the text alone names no council


@pytest.mark.parametrize("source, council", [
    ("https://democracy.westberkshire.gov.uk/mgAi.aspx?ID=1", "West Berkshire"),
    ("https://moderngov.west-berkshire.gov.uk/ieIssueDetails.aspx?IId=2", "West Berkshire"),
    ("https://modgov.stockport.gov.uk/x", "Stockport"),
    ("https://cms.cornwall.gov.uk/ieDecisionDetails.aspx?ID=3", "Cornwall"),
    ("https://calderdale.moderngov.co.uk/mgAi.aspx?ID=4", "Calderdale"),
    ("https://www.torbay.gov.uk/council/policies/workforce-strategy/", "Torbay"),
    ("https://docs-mirror.example.com/doc/12/reading-the-workforce-strategy", None),  # a mirror's path is no host
    ("papers/05_st-helens_cabinet-report-2021.txt", "St Helens"),
    ("papers/11_north-east-lincolnshire_minutes.pdf", "North East Lincolnshire"),
    ("papers/workforce_stockport-scrutiny-minutes.txt", "Stockport"),
    ("papers/reading-list-for-new-starters.txt", None),  # a common word counts only as its own part
    ("corpus/000_d0267cf840bad862.pdf", None),
    (None, None),
])
def test_council_of_source(source, council):
    assert council_of_source(source) == council


AGENDA_ITEM_MINUTE = """Agenda item

Children's Social Work Workforce Update

Minutes:

The Panel considered a report of the Head of Service which set out the position on recruitment. Members
were advised that 14 newly qualified social workers had started in post.

RESOLVED: That the report be noted.
"""


def test_an_agenda_item_minute_takes_its_council_from_the_file_name():
    meta = document_metadata(AGENDA_ITEM_MINUTE, source="dev/03_rotherham_cyp-scrutiny-workforce-update.txt")
    assert (meta.council, meta.doc_type, meta.published) == ("Rotherham", "committee_report", None)


def test_a_committee_issue_page_is_dated_by_its_meeting():
    text = ("Issue - meetings\n\nSocial work workforce\n\nMeeting: 09/11/2022 - Children and Families Committee "
            "(Item 6)\n\nMinutes:\n\nMembers were told that 20 social workers had been recruited up to "
            "30 September 2022.")
    meta = document_metadata(text)
    assert (meta.doc_type, meta.published) == ("committee_report", "2022-11-09")


def test_an_issues_decision_list_is_a_committee_report_dated_by_its_entry():
    text = ("Issue - decisions\n\nSocial worker pay\n\n14/03/2019 - Market supplement for social workers\n\n"
            "Received a report on the pay of social workers.\n\nAgreed to pay the supplement from April.")
    meta = document_metadata(text)
    assert (meta.doc_type, meta.published) == ("committee_report", "2019-03-14")


def test_consideration_given_to_a_report_makes_a_minute():
    text = ("Venue: Town Hall.\n\nSocial Work Pay Review Minutes: Consideration was given to a report, presented "
            "by the Strategic Director, on retention payments for social workers.\n\nResolved:- (1) That the "
            "report be received.")
    assert document_metadata(text).doc_type == "committee_report"


@pytest.mark.parametrize("decision_maker", [
    "Director of Children's Services", "Portfolio Holder for Children and Families",
    "Cabinet Member for Children, Education and Skills", "Leader of the Council"])
def test_one_persons_decision_is_other(decision_maker):
    text = (f"Decision details\n\nAgency social worker pay rates\n\nDecision Maker: {decision_maker}\n\n"
            "Decision status: Recommendations Approved\n\nDate of decision: 03/07/2019\n\nDecision:\n\n"
            "That the revised pay rates for agency social workers be approved.")
    meta = document_metadata(text)
    assert (meta.doc_type, meta.published) == ("other", "2019-07-03")


@pytest.mark.parametrize("body", ["Cabinet", "Executive", "Children's Services Scrutiny Committee", "Mayor and Cabinet"])
def test_a_bodys_decision_is_a_committee_report(body):
    text = f"Decision details\n\nWorkforce strategy\n\nDecision Maker: {body}\n\nThe strategy was endorsed."
    assert document_metadata(text).doc_type == "committee_report"


def test_an_foi_response_is_other():
    text = ("- Request\n-\nPlease provide the turnover rate of children's social workers for each year since "
            "2019.\n- Decision\n-\nNorfolk County Council holds the information requested.\nYear Turnover\n"
            "2021/2022 14.2%")
    meta = document_metadata(text)
    assert (meta.council, meta.doc_type, meta.published) == ("Norfolk", "other", None)
    assert document_metadata("Freedom of Information response\n\nAgency staff numbers.").doc_type == "other"


def test_a_strategy_printing_only_its_period_is_dated_by_its_start():
    text = ("Children's Social Work Recruitment and Retention Strategy 2019 - 22\n\nVersion: 1.3\n\n"
            "Introduction\n\nThe previous strategy covered the period 2015 - 2018. Much has changed since.")
    meta = document_metadata(text)
    assert (meta.doc_type, meta.published) == ("strategy", "2019")
    cover = "Solihull Children's Services\n\nWORKFORCE STRATEGY APRIL 2021 MARCH 2024\n\nOur people are our strength."
    assert (document_metadata(cover).doc_type, document_metadata(cover).published) == ("strategy", "2021")


def test_a_document_control_table_dates_a_strategy():
    text = ("Early Help Workforce Strategy 2021-2024\n\nMay 2021\n\nDocument control\n\n"
            "Title Early Help Workforce Strategy Owner Head of Early Help Approved by Workforce Board "
            "Date 4th May 2021 Version Final Next review date May 2022")
    assert document_metadata(text).published == "2021-05-04"


def test_a_month_first_date_after_the_authors_dates_the_paper():
    text = "Retention Strategy\n\nV2.1 /\n\nA Author & B Writer 3/21/2016\n\nContents\n\nNew starters"
    assert document_metadata(text).published == "2016-03-21"


def test_a_defined_abbreviation_names_the_council():
    text = ("Workforce update\n\nKent County Council (KCC) has agreed a new offer for social workers. "
            "The offer follows work with Medway Council.\n\nMedway Council has a similar scheme.\n\n"
            "KCC recruited 30 social workers. KCC will open an academy. KCC has cut agency use.")
    assert document_metadata(text).council == "Kent"


def test_the_source_settles_a_text_naming_several_councils():
    text = ("Workforce update\n\nThe regional partnership is hosted by Liverpool City Council. "
            "Liverpool City Council leads the commissioning.\n\nKnowsley has joined the scheme.")
    assert document_metadata(text).council == "Liverpool"
    meta = document_metadata(text, source="https://democracy.knowsley.gov.uk/mgAi.aspx?ID=9")
    assert meta.council == "Knowsley"  # the paper is on Knowsley's own site, and the text names Knowsley


def test_the_pipeline_passes_the_source_through(tmp_path):
    named = tmp_path / "09_sandwell_workforce-minute.txt"
    named.write_text(AGENDA_ITEM_MINUTE, encoding="utf-8")
    assert extract_document(named, records=False).document.council == "Sandwell"
    unnamed = tmp_path / "minute.txt"
    unnamed.write_text(AGENDA_ITEM_MINUTE, encoding="utf-8")
    assert extract_document(unnamed, records=False).document.council is None
    by_url = extract_document(unnamed, source="https://sandwell.moderngov.co.uk/mgAi.aspx?ID=5", records=False)
    assert by_url.document.council == "Sandwell"


# --------------------------------------------------------------------------- decision pages, page dumps, trackers

def test_a_decision_page_is_dated_by_its_decision_not_its_publication():
    text = ("Decision details\n\nPay progression for newly qualified social workers\n\n"
            "Decision Maker: Executive Member for Children\n\nIs Key decision?: No\n\n"
            "Decision:\n\nThat the revised pay progression scheme be approved.\n\n"
            "Publication date: 22/03/2022\n\nDate of decision: 18/03/2022\n\nEffective from: 30/03/2022")
    meta = document_metadata(text)
    assert (meta.title, meta.doc_type, meta.published) == (
        "Pay progression for newly qualified social workers", "other", "2022-03-18")


def test_a_meeting_line_run_into_a_page_dump_still_dates_it():
    # Menus and crumbs joined into one paragraph: the "Meeting:" line no longer opens a line.
    head = ("Accept cookies Reject cookies Menu Home Your council Meetings and minutes Corporate Parenting Panel "
            "Issue - meetings Meeting: 04/03/2021 - Corporate Parenting Panel (Item 5) 5 Social work workforce "
            "Minutes:")
    body = "The Panel received an update on recruitment. Twelve social workers had started since January 2021."
    assert document_metadata(f"{head}\n\n{body}").published == "2021-03-04"
    assert document_metadata(f"Minutes\n\nNext Meeting: 04/03/2021 - Corporate Parenting Panel\n\n{body}"
                              ).published != "2021-03-04"


@pytest.mark.parametrize("label", ["Refreshed", "Updated", "Revised", "Version 2.1", "Version 3"])
def test_a_workforce_plan_with_its_period_is_a_strategy_dated_by_its_refresh(label):
    text = (f"Social Work Workforce Plan 2021-23\n\n{label} October 2022\n\nIntroduction\n\n"
            "Twenty students joined the academy in September 2022. We will open a second hub in 2023.")
    meta = document_metadata(text)
    assert (meta.title, meta.doc_type, meta.published) == ("Social Work Workforce Plan 2021-23", "strategy", "2022-10")


def test_a_tracker_opening_on_its_columns_is_an_action_plan():
    text = ("Lancashire County Council\n\nFostering Service Review - Recommendations Tracker Updated: 3 May 2023\n\n"
            "Recommendation | Action | Lead officer | Timescale | Progress | RAG\n"
            "1. Review supervision | Audit supervision files | Principal Social Worker | June 2023 | Under way | Amber")
    meta = document_metadata(text)
    assert (meta.council, meta.title, meta.doc_type, meta.published) == (
        "Lancashire", "Fostering Service Review - Recommendations Tracker", "action_plan", "2023-05-03")
    columns = "Workforce review\n\nRecommendation\nAction\nBy whom\nBy when\nStatus\n\nRecruit two team managers"
    assert document_metadata(columns).doc_type == "action_plan"
    # a committee's minute about its tracker is still the committee's
    minute = "Minutes:\n\nThe Committee considered the recommendations tracker.\n\nRESOLVED: That the tracker be noted."
    assert document_metadata(minute).doc_type == "committee_report"


@pytest.mark.parametrize("text, title", [
    ("Minute item\n\nMeeting: 02/02/2022 - Cabinet\n\nMinutes:\n\nThe Cabinet noted the report.", None),
    ("Part I - Open to the public\n\nREPORT OF THE DIRECTOR OF CHILDREN'S SERVICES\n\n"
     "TITLE: Agency Social Work Spend\n\nRECOMMENDATIONS:\n\nThat the report be noted.", "Agency Social Work Spend"),
    ("Corporate Parenting Board, 2 March 2022\n\nAgenda Item 4\n\nSocial Worker Caseloads\n\nSummary\n\n"
     "This report sets out caseloads.", "Social Worker Caseloads"),
    ("Decision details\n\nTeam manager retention payments\n\nDecision Maker: Cabinet\n\n"
     "Is subject to call in?: Yes\n\nThe payments were agreed.", "Team manager retention payments"),
])
def test_page_furniture_is_not_the_title(text, title):
    assert document_metadata(text).title == title


@pytest.mark.parametrize("text", [
    "Children and Families Committee\nDate of Meeting: 12 March 2024\nReport of: Director of Children's Services",
    "REPORT\n   DATE | 7 November 2023\nPublication\tdate: 14 November 2023",  # the spaces between run over a line
    "Decision details\n  \tMeeting: 27/10/2021 - Children and Families Committee\nNext meeting: 3/11/2021 - Cabinet",
    "Issue - meetings Meeting: 27/10/2021 - Children and Families Committee Decision published: 1 November 2021",
    "Sub-report date: 1 May 2022; the meeting-date: 2 May 2022; xmeeting date: 3 May 2022",  # no label inside a word
    "Scrutiny Panel, date published: 5 June 2023, Meeting date: 4 June 2023",
    "\u0130zmir exchange visit. Date of the decision: 9 February 2024",  # lower-casing changes the text's length
    "Ba\u0131ley Court. Meeting date: 9 February 2024",  # a dotless i, which a case-blind i matches
    "The panel will meet again in the spring to review the workforce strategy.",
])
def test_date_labels_are_the_label_patterns_matches(text):
    def spans(matches):
        return [(m.span(), m.group("rest")) for m in matches]
    assert spans(_date_labels(text)) == spans(_DATE_LABEL.finditer(text))
    assert spans(_date_labels(text.swapcase())) == spans(_DATE_LABEL.finditer(text.swapcase()))


def test_a_labelled_date_after_the_line_it_opens():
    text = ("Workforce Strategy Update\n\n  Meeting: 14/03/2024 - Corporate Parenting Panel\n\n"
            "The panel noted the report.")
    assert document_metadata(text).published == "2024-03-14"


def test_council_mentions_grouped_by_the_sentence_they_are_in():
    text = _squash("Kent County Council and Medway Council run the academy together; Kent County Council leads it.\n\n"
                   "Surrey's panel met twice. Essex County Council? It did not. Sefton Council.")
    groups = [[council.name for council, _, _ in group] for group in _by_sentence(text, _mentions(text))]
    assert groups == [["Kent", "Medway"], ["Kent"], ["Surrey"], ["Essex"], ["Sefton"]]


@pytest.mark.parametrize("head,doc_type", [
    ("Workforce update\n \t Agenda Item 7\n\nThe Corporate Parenting Panel noted the update.", "committee_report"),
    ("Workforce update\n\nSee the agenda item 7 papers\u2019 annex for the figures.", "other"),  # not opening a line
    ("Workforce update\n\nThe Children's Services Scrutiny Committee received a report on agency staff.",
     "committee_report"),
    ("Workforce update\n\n  Decision Maker: Cabinet\n\nAgency staffing.", "committee_report"),
    ("Workforce update\n\n  Decision Maker: Director of Children's Services\n\nAgency staffing.", "other"),
    ("Issue - decisions\n\nSocial Work Pay\n\n04/03/2019 - Pay Review\n\nAgreed the review.", "committee_report"),
    ("Social Work Pay\n\nCouncillor Jo Bloggs presented the report which set out the pay review.", "committee_report"),
    # another paper mentioned is not this one
    ("Agency Staffing\n\nSummary\n\nTo agree the use of agency staff. An action plan has been developed.", "other"),
])
def test_a_meeting_record_opening_a_line_makes_a_committee_report(head, doc_type):
    assert find_doc_type(head) == doc_type


@pytest.mark.parametrize("text,published", [
    ("Workforce update\n\nRecruitment began in March 2023. We'll open the second academy in 2023.", "2023"),
    ("Workforce update\n\nThe academy took place in October 2023 and we'll run a second cohort in 2024.", "2024"),
    ("Workforce update\n\nAgency use fell in the year to June 2022, and the panel will meet again in 2022.", "2022"),
    ("Workforce update\n\nThe review launched in May 2021.", None),  # an event alone dates nothing
])
def test_the_year_a_papers_report_and_promises_place_it_in(text, published):
    assert document_metadata(text).published == published


def test_an_issues_decision_list_is_a_committee_report_dated_by_its_decision_line():
    # A committee site lists an issue's decisions, each line opening with its date.
    text = ("Issue - decisions\n\nSocial Worker Pay and Progression\n\n"
            "14/05/2024 - Social Worker Pay and Progression\n\n"
            "The Chair welcomed the Head of Workforce Development to the meeting.\n\n"
            "Members were informed that a new progression scheme for social workers had been introduced in April.\n\n"
            "Resolved: That the report be noted.\n")
    blocks = items_to_blocks(text_to_items(text))
    meta = document_metadata(blocks_to_text(blocks), blocks)
    assert (meta.doc_type, meta.published) == ("committee_report", "2024-05-14")


def test_a_date_label_on_its_own_line_dates_the_page_by_the_next_line():
    text = ("Agency Social Workers in Post - Find a freedom of information request\n\n"
            "How many agency social workers did Northshire County Council employ on 1 April 2024?\n\n"
            "41.\n\nReference number\nDate request received\n2 May 2024\nDate of decision\n20 May 2024")
    blocks = items_to_blocks(text_to_items(text))
    assert document_metadata(blocks_to_text(blocks), blocks).published == "2024-05-20"


def test_a_news_release_is_dated_by_the_day_it_calls_today():
    text = ("Applications for the Northshire social work apprenticeship open today (9 March 2026) for "
            "support workers in children's services who want to qualify as social workers while they keep "
            "working with the families they know, with study days at the local university each week.\n\n"
            "The first cohort started in September 2024 and will qualify in 2027.")
    blocks = items_to_blocks(text_to_items(text))
    assert document_metadata(blocks_to_text(blocks), blocks).published == "2026-03-09"
