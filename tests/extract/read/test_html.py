"""Web pages: ModernGov decision, agenda-item and issue pages by their markup, other pages by
their main content; each test checks the blocks, the records and that no furniture is left."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import DocumentTooLarge, UnreadableDocument
from extract.pipeline import extract_document
from extract.read.html import html_to_page
from schemas import BlockKind
from tests import formats

PAGES = Path(__file__).resolve().parents[2] / "pages" / "moderngov"
DECISION = PAGES / "ieDecisionDetails_8101.html"
AGENDA_ITEM = PAGES / "mgAi_7003.html"
ISSUE = PAGES / "ieIssueDetails_8150.html"
FURNITURE = ["Skip to", "cookies", "pdf icon", "PDF 512 KB", "DOCX 41 KB", "Home", "Accompanying Documents",
             "Supporting documents", "Privacy", "Browse decisions", "Accessibility statement", "Town Hall"]


def _page(path: Path):
    return html_to_page(path.read_bytes(), path.name)


def _no_furniture(text: str) -> None:
    for word in FURNITURE:
        assert word not in text, word


def test_decision_page_resolutions_are_commitments_with_their_due_dates():
    extracted = extract_document(DECISION)
    document = extracted.document
    assert document.title == "Social Work Recruitment and Retention Offer"
    assert document.published == "2025-03-14"  # the date of decision, not of publication
    assert document.source == "https://democracy.example.gov.uk/ieDecisionDetails.aspx?ID=8101"
    assert document.pages == 1
    _no_furniture(document.text)
    actions = {a.text: a for a in extracted.actions}
    assert set(actions) == {
        "a market supplement of £3,500 be introduced for experienced social workers in the assessment teams "
        "from April 2025;",
        "a social work academy be established for newly qualified social workers by September 2025; and",
        "the Director of Children's Services be asked to report on the retention of newly qualified social "
        "workers to the Committee in six months.",
    }  # noting the report is procedure; reasons and alternatives are not decisions
    assert {a.kind for a in actions.values()} == {"commitment"}
    assert sorted(filter(None, (a.due_date for a in actions.values()))) == ["2025-04", "2025-09"]
    for action in extracted.actions:
        assert action.page == 1
        assert document.text[action.char_start:action.char_end] == action.text


def test_decision_page_blocks_follow_the_markup():
    blocks = _page(DECISION).blocks
    headings = [(b.level, b.text) for b in blocks if b.kind == BlockKind.HEADING]
    assert headings[:3] == [(2, "Social Work Recruitment and Retention Offer"), (3, "Purpose:"), (3, "Decision:")]
    items = [b for b in blocks if b.kind == BlockKind.LIST_ITEM]
    assert [b.marker for b in items] == ["(a)", "(b)", "(c)", "(d)"]
    assert all(b.heading_path[-1] == "Decision:" for b in items)


def test_agenda_item_minutes_give_their_bullets_and_resolutions_as_records():
    extracted = extract_document(AGENDA_ITEM)
    document = extracted.document
    assert document.title == "Social Work Workforce Update" and document.published == "2023-03-14"
    _no_furniture(document.text)
    kinds = {a.text: a.kind for a in extracted.actions}
    assert kinds["14 agency social workers had been converted to permanent posts since the conversion offer "
                 "was introduced in May;"] == "progress"
    assert kinds["the Principal Social Worker would launch a practice development programme for team managers "
                 "in the autumn;"] == "commitment"
    assert kinds["a recruitment campaign for experienced social workers be launched by June 2023."] == "commitment"
    assert not any("exit interviews" in text or "national average" in text for text in kinds)
    markers = [b.marker for b in extracted.blocks if b.kind == BlockKind.LIST_ITEM]
    assert markers == ["•"] * 4 + ["a.", "b."]  # the <ol type="a"> numbering is the marker


def test_issue_page_table_keeps_rowspan_and_colspan():
    page = _page(ISSUE)
    assert page.title == "Social Work Academy" and page.published == "2025-02-01"
    (table,) = [b for b in page.blocks if b.kind == BlockKind.TABLE]
    assert table.cells == [
        ["Date", "Decision", "Decision maker"],
        ["14/03/2025", "Social Work Recruitment and Retention Offer", "Cabinet"],
        ["10/06/2025", "Social Work Academy: first cohort", None],  # under the rowspan
        ["Further decisions are expected in the autumn.", None, None],  # colspan=3
    ]
    assert [b.text for b in page.blocks if b.kind == BlockKind.HEADING][-1] == "Decisions:"  # "Documents:" held only links


def test_ordered_list_numbers_follow_start_type_and_value():
    page = html_to_page(b"<html><body><main><p>The plan has these steps for the social work workforce, "
                        b"agreed by the board in the spring.</p><ol start='3'><li>Recruit</li><li>Retain</li>"
                        b"<li value='9'>Develop<ol type='i'><li>Coaching</li><li>Mentoring</li></ol></li></ol>"
                        b"</main></body></html>", "steps.html")
    items = [(b.marker, b.text) for b in page.blocks if b.kind == BlockKind.LIST_ITEM]
    assert items == [("3.", "Recruit"), ("4.", "Retain"), ("9.", "Develop"), ("i.", "Coaching"), ("ii.", "Mentoring")]


def test_any_page_is_read_by_its_main_content():
    extracted = extract_document(_write(formats.as_html(), "plan.html"))
    assert extracted.document.title == formats.TITLE
    _no_furniture(extracted.document.text)
    assert [(b.kind, b.level) for b in extracted.blocks][:2] == [(BlockKind.HEADING, 1), (BlockKind.HEADING, 2)]
    assert len(formats.records(extracted)) == 4


def test_a_page_without_main_markup_is_read_by_its_boilerplate_classifier():
    prose = ("The council has agreed a new plan for the social work workforce, which sets out how it will "
             "recruit, retain and develop social workers over the next three years. ")
    page = (b"<html><head><title>Workforce plan</title></head><body><div class='top-links'><a href='/'>Home</a> "
            b"<a href='/a'>About</a> <a href='/c'>Contact</a></div><div class='content'><div class='text'>"
            + b"".join(f"<p>{prose * 2}Paragraph {i}.</p>".encode() for i in range(4))
            + b"</div></div><div class='bottom'><a href='/t'>Terms</a> | <a href='/s'>Sitemap</a></div></body></html>")
    blocks = html_to_page(page, "plan.html").blocks
    assert len(blocks) == 4 and all(b.text.startswith("The council has agreed") for b in blocks)


def test_an_articles_own_header_is_kept_and_the_sites_dropped():
    page = html_to_page(b"<html><body><header><a href='/'>Example Council</a></header><article><header>"
                        b"<h1>Social work academy opens</h1><p>Published 3 June 2025</p></header><p>The council "
                        b"opened its social work academy for 14 newly qualified social workers this week.</p>"
                        b"</article><footer>Town Hall</footer></body></html>", "news.html")
    assert [b.text for b in page.blocks] == ["Social work academy opens", "Published 3 June 2025",
                                             "The council opened its social work academy for 14 newly qualified "
                                             "social workers this week."]
    assert page.title == "Social work academy opens"


def _write(data: bytes, name: str) -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data, reason", [
    (b"<html><body><nav><a href='/'>Home</a></nav><footer>Contact us</footer></body></html>", "no main content"),
    (b"<html><head><title>Sign in</title></head><body><form><input name='u'><input type='password' name='p'>"
     b"</form></body></html>", "a login page"),
    (b"<html><head><title>404 - Page not found</title></head><body><main><h1>Page not found</h1></main></body></html>",
     "an error or login page"),
    (b"<html><head><title>Runtime Error</title></head><body><main><p>" + b"Sorry, something went wrong. " * 6
     + b"</p></main></body></html>", "an error or login page"),
    (b"\x00\x01\x02<html>", "binary content"),
])
def test_pages_that_are_not_documents_are_refused_in_one_line(data, reason):
    with pytest.raises(UnreadableDocument, match=reason) as caught:
        html_to_page(data, "page.html")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("page.html: ")


def test_a_page_over_the_html_size_cap_is_refused(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as f:
        f.write(b"<html><body><main>")
        for _ in range(50):
            f.write(b"<p>" + b"x" * 1_048_576 + b"</p>\n")
        f.write(b"</main></body></html>")
    with pytest.raises(DocumentTooLarge, match=r"huge.html: 50.00 MB of HTML is over the 20 MB limit"):
        extract_document(path)


@pytest.mark.parametrize("encoded", ["utf-8", "windows-1252"])
def test_a_page_that_declares_no_encoding_keeps_its_dashes_and_quotes(encoded):
    html = ("<html><head><title>Update</title></head><body><main><h1>Workforce update</h1><p>Recruitment \u2013 "
            "the council\u2019s \u201cgrow our own\u201d offer has been launched for social workers.</p>"
            "</main></body></html>").encode(encoded)
    page = html_to_page(html, "update.html")
    assert page.blocks[-1].text == ("Recruitment \u2013 the council\u2019s \u201cgrow our own\u201d offer has been "
                                    "launched for social workers.")


def test_the_council_a_page_names_only_in_its_title_bar_is_its_council(tmp_path):
    page = tmp_path / "item.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>Issue - items at meetings - Social Worker Recruitment | "
        "Kirklees Council</title></head><body><div id='modgov'><h1 class='mgMainTitleTxt'>Social Worker "
        "Recruitment</h1><h2>Meeting: 05/03/2025 - Children's Scrutiny Panel (Item 7)</h2>"
        "<p>It was reported that:</p><ul><li>the service had recruited 14 experienced social workers from "
        "overseas since September;</li><li>a new pay structure for team managers had been agreed with the "
        "trade unions.</li></ul></div></body></html>", encoding="utf-8")
    extracted = extract_document(page)
    assert extracted.document.council == "Kirklees" and extracted.document.published == "2025-03-05"
    assert [a.kind for a in extracted.actions] == ["progress", "progress"]
    assert html_to_page(page.read_bytes(), page.name).info["Author"] == "Kirklees Council"
