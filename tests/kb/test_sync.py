"""kb.sync end to end against a fake ModernGov site on 127.0.0.1 serving the corpus PDFs.

The ingest step is a recording callable here except in the last test, which runs
the real `kb.build.ingest`: these tests are about finding, fetching and remembering.
"""
from __future__ import annotations

import hashlib
import importlib.util
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from extract.errors import WorkforceKBError
from kb.sync import (
    Committee,
    Council,
    LinkedDoc,
    MalformedXML,
    UnknownCouncil,
    is_on_topic,
    load_councils,
    match_committees,
    parse_committees,
    parse_meeting_documents,
    parse_meetings,
    page_links,
    select_councils,
    service_url,
    sync,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT / "corpus").glob("*.pdf"))
MODERNGOV = ROOT / "tests" / "data" / "moderngov"
TODAY = date(2024, 3, 1)  # both fixture meetings of committee 101 fall in the default window
REPORT = "/documents/s5001/Workforce Strategy Update Report.pdf"
APPENDIX = "/documents/s5002/Appendix B - Progress and Updates.pdf"
UPDATED = "/documents/s5102/Social Care Workforce Strategy.pdf"
CABINET = "/documents/s6001/Workforce Strategy.pdf"
OFF_TOPIC = ["/documents/s5000/Minutes 17012023.pdf", "/documents/s5003/Budget Monitoring.pdf",
             "/documents/s5101/Fostering.pdf", "/documents/g2001/Agenda frontsheet.pdf"]
DOCUMENTS = {REPORT: CORPUS[0], APPENDIX: CORPUS[1], UPDATED: CORPUS[2], CABINET: CORPUS[3],
             **{path: CORPUS[4] for path in OFF_TOPIC}}


def _load_fake():
    """The fake site lives with its fixtures in tests/data/moderngov/ (shared with test_fetch)."""
    if "fake_moderngov" in sys.modules:
        return sys.modules["fake_moderngov"]
    spec = importlib.util.spec_from_file_location("fake_moderngov", MODERNGOV / "fake_moderngov.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["fake_moderngov"] = module
    spec.loader.exec_module(module)
    return module


fake = _load_fake()
SHIPPED = load_councils()


def _xml(name: str) -> bytes:
    return (MODERNGOV / name).read_bytes()


class RecordingIngest:
    """Stands in for kb.build.ingest; `fail_for` URLs raise as an unreadable file would."""

    def __init__(self, fail_for: tuple[str, ...] = ()) -> None:
        self.calls: list[tuple] = []
        self.fail_for = fail_for

    def __call__(self, fetched, doc) -> None:
        if any(doc.url.endswith(f) for f in self.fail_for):
            raise WorkforceKBError(f"{fetched.path}: not a readable PDF")
        self.calls.append((fetched, doc))

    @property
    def attachments(self) -> list[str]:
        return [doc.attachment_id for _, doc in self.calls]


@pytest.fixture
def site():
    with fake.FakeModernGov({path: source for path, source in DOCUMENTS.items()}) as server:
        yield server


@pytest.fixture
def council(site) -> Council:
    """A council shaped like the shipped ones (same topic terms), living on the fake site."""
    return replace(SHIPPED[0], base_url=site.url, committees=("Children, Young People and Education Committee",))


@pytest.fixture
def settings(tmp_path) -> dict:
    """The linked papers alone; the tests of agenda-item and decision pages turn `follow_pages` on."""
    return {"data_dir": str(tmp_path / "data"), "follow_pages": False,
            "fetch": {"delay": 0, "backoff": 0, "timeout": 5, "retries": 1}}


def _sync(tmp_path, council, settings, ingest, **kwargs):
    kwargs.setdefault("today", TODAY)
    return sync(tmp_path / "kb.db", None, kwargs.pop("since", None), ingest,
                config=kwargs.pop("config", [council]), settings=settings, **kwargs)


def _seen(tmp_path) -> dict[str, dict]:
    return {r["attachment_id"]: r for r in Database(tmp_path / "kb.db")["sync_seen"].rows}


# ---------------------------------------------------------------- configuration


def test_shipped_config_names_three_moderngov_councils():
    assert [c.name for c in SHIPPED] == ["Wirral", "Sefton", "Shropshire"]
    for council in SHIPPED:
        assert council.base_url.startswith("https://") and not council.base_url.endswith("/")
        assert council.committees
        assert "workforce" in council.topic_terms


def test_unknown_council_is_refused_naming_the_configured_ones():
    assert [c.name for c in select_councils(SHIPPED, ["sefton"])] == ["Sefton"]
    assert select_councils(SHIPPED, None) == SHIPPED
    with pytest.raises(UnknownCouncil, match="Barsetshire: not a configured council .*Wirral, Sefton"):
        select_councils(SHIPPED, ["Barsetshire"])


def test_service_urls_use_the_get_binding():
    url = service_url("https://x.gov.uk/", "GetMeetings", lCommitteeId=7, sFromDate="01/02/2024")
    assert url == "https://x.gov.uk/mgWebService.asmx/GetMeetings?lCommitteeId=7&sFromDate=01%2F02%2F2024"


# ---------------------------------------------------------------- parsing the service's XML


def test_parse_committees_skips_deleted_and_unescapes_titles():
    committees = parse_committees(_xml("committees.xml"))
    assert [c.id for c in committees] == ["101", "102", "103"]
    assert committees[0].title == "Children, Young People & Education Committee"


def test_parse_meetings_reads_dates_with_and_without_namespace():
    assert [(m.id, m.date) for m in parse_meetings(_xml("meetings_101.xml"))] == [
        ("2001", date(2023, 3, 14)), ("2002", date(2024, 2, 1))]
    assert [(m.id, m.date) for m in parse_meetings(_xml("meetings_103.xml"))] == [("3001", date(2023, 6, 20))]


def test_parse_meeting_documents_keeps_agenda_item_and_drops_repeats():
    docs = parse_meeting_documents(_xml("meeting_2001.xml"))
    assert [d.attachment_id for d in docs] == ["5000", "5001", "5002", "5003", "4999"]
    report = docs[1]
    assert report.title == "Report"
    assert report.agenda_item == "Children's Social Care Workforce Strategy Update"  # double-encoded &#39;
    assert report.url.endswith("/documents/s5001/Workforce%20Strategy%20Update%20Report.pdf")
    assert docs[-1].agenda_item is None  # meeting-level document


def test_parse_accepts_the_escaped_string_wrapper():
    inner = _xml("meeting_3001.xml").decode().split("?>", 1)[1]
    wrapped = ('<?xml version="1.0"?><string xmlns="http://moderngov.co.uk/namespaces">'
               + inner.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</string>")
    assert [d.attachment_id for d in parse_meeting_documents(wrapped.encode())] == ["6001"]


def test_linked_doc_without_attachment_id_is_keyed_by_url():
    xml = b"<meeting><linkeddocuments><linkeddoc><title>Workforce plan</title><url>http://h/d.pdf</url>" \
          b"</linkeddoc></linkeddocuments></meeting>"
    assert parse_meeting_documents(xml)[0].attachment_id == "url:http://h/d.pdf"


@pytest.mark.parametrize("xml, reason", [
    (_xml("malformed.xml"), "no element found|unclosed token"),
    (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><meeting>&a;</meeting>', "document type"),
])
def test_bad_xml_raises_malformed(xml, reason):
    with pytest.raises(MalformedXML, match=reason):
        parse_meeting_documents(xml)


# ---------------------------------------------------------------- choosing documents


@pytest.mark.parametrize("title, item, expected", [
    ("Report", "Children's Social Care Workforce Strategy Update", True),
    ("Appendix 2 - Recruitment and Retention Action Plan", "Performance", True),
    ("Social workers' caseloads", None, True),
    ("Minutes, 17/01/2023", "Minutes of the previous meeting", False),
    ("Agenda frontsheet - Workforce items", None, False),  # excluded even though it says workforce
    ("Budget Monitoring Report", "Budget Monitoring Quarter 3", False),
    ("Networking event", None, False),  # "network" is not "work" at a word start
])
def test_is_on_topic(title, item, expected):
    assert is_on_topic(LinkedDoc("1", title, "http://h/x.pdf", item), SHIPPED[0]) is expected


def test_match_committees_by_title_or_id():
    committees = parse_committees(_xml("committees.xml"))
    chosen, missing = match_committees(committees, ["Children, Young People and Education Committee", "103",
                                                    "Schools Forum"])
    assert chosen == [Committee("101", "Children, Young People & Education Committee"), Committee("103", "Cabinet")]
    assert missing == ["Schools Forum"]


# ---------------------------------------------------------------- sync runs


def test_first_sync_ingests_new_workforce_papers_oldest_first(tmp_path, site, council, settings):
    ingest = RecordingIngest()
    report = _sync(tmp_path, council, settings, ingest)
    assert report.ok, report.failed
    assert report.meetings == 2
    assert ingest.attachments == ["5001", "5002", "5102"]
    assert [d.meeting_date for d, _ in report.ingested] == ["2023-03-14", "2023-03-14", "2024-02-01"]
    for path in OFF_TOPIC:
        assert site.hits[path] == 0
    for fetched, doc in ingest.calls:
        source = DOCUMENTS[fetched.url.removeprefix(site.url).replace("%20", " ")]
        assert fetched.path.read_bytes() == source.read_bytes()
        assert fetched.path.parent == tmp_path / "data" / "files"
    seen = _seen(tmp_path)
    assert sorted(seen) == ["5001", "5002", "5102"]
    assert seen["5001"]["sha256"] == hashlib.sha256(CORPUS[0].read_bytes()).hexdigest()
    assert seen["5001"]["council"] == "Wirral" and seen["5001"]["meeting_date"] == "2023-03-14"
    assert seen["5001"]["editions"] == 1 and seen["5001"]["first_seen"] == seen["5001"]["last_seen"]


def test_second_sync_downloads_nothing(tmp_path, site, council, settings):
    _sync(tmp_path, council, settings, RecordingIngest())
    served = site.document_hits()
    ingest = RecordingIngest()
    report = _sync(tmp_path, council, settings, ingest)
    assert site.document_hits() == served
    assert report.ok and report.downloaded == [] and ingest.calls == []
    assert [why for _, why in report.skipped] == ["unchanged since last sync (304 Not Modified)"] * 3
    conditional = [h for key, h in site.requests if key == REPORT and "If-None-Match" in h]
    assert len(conditional) == 1


def test_without_recheck_seen_papers_are_not_requested_at_all(tmp_path, site, council, settings):
    _sync(tmp_path, council, settings, RecordingIngest())
    report = _sync(tmp_path, council, {**settings, "recheck_seen": False}, RecordingIngest())
    assert site.hits[REPORT] == 1
    assert {why for _, why in report.skipped} == {"already downloaded"}


def test_a_revised_paper_in_a_later_meeting_becomes_a_new_edition(tmp_path, site, council, settings):
    first = RecordingIngest()
    _sync(tmp_path, council, settings, first, today=date(2023, 6, 1))  # only the March 2023 meeting
    assert first.attachments == ["5001", "5002"]
    later = RecordingIngest()
    report = _sync(tmp_path, council, settings, later)
    assert later.attachments == ["5102"]
    assert len(report.downloaded) == 1
    assert site.hits[REPORT] == 2 and site.routes[REPORT].served == 1  # the second was a 304


def test_a_paper_replaced_under_the_same_attachment_id_is_versioned(tmp_path, site, council, settings):
    _sync(tmp_path, council, settings, RecordingIngest())
    old_sha = _seen(tmp_path)["5001"]["sha256"]
    site.routes[REPORT].body = CORPUS[0].read_bytes() + b"\n% revised after the meeting\n"
    ingest = RecordingIngest()
    _sync(tmp_path, council, settings, ingest)
    assert ingest.attachments == ["5001"]
    row = _seen(tmp_path)["5001"]
    assert row["sha256"] != old_sha and row["editions"] == 2
    assert (tmp_path / "data" / "files" / f"{old_sha}.pdf").exists()  # the earlier edition is kept


def test_same_bytes_under_another_attachment_are_not_ingested_twice(tmp_path, site, council, settings):
    site.routes[CABINET].body = CORPUS[0].read_bytes()
    council = replace(council, committees=council.committees + ("Cabinet",))
    ingest = RecordingIngest()
    report = _sync(tmp_path, council, settings, ingest)
    assert ingest.attachments == ["5001", "5002", "5102"]
    assert [(d.attachment_id, why) for d, why in report.skipped] == [("6001", "same content as Wirral attachment 5001")]


def test_500_is_retried_then_reported_and_tried_again_next_run(tmp_path, site, council, settings):
    site.routes[APPENDIX].fail_first = 99
    ingest = RecordingIngest()
    report = _sync(tmp_path, council, settings, ingest)
    assert ingest.attachments == ["5001", "5102"]
    (failure,) = report.failed
    assert failure.council == "Wirral" and failure.url.endswith("/s5002/Appendix%20B%20-%20Progress%20and%20Updates.pdf")
    assert failure.reason == "HTTP 500 (2 attempts)"
    assert site.hits[APPENDIX] == 2
    site.routes[APPENDIX].fail_first = 0
    again = RecordingIngest()
    assert _sync(tmp_path, council, settings, again).ok
    assert again.attachments == ["5002"]


def test_500_then_200_within_the_retries_is_not_a_failure(tmp_path, site, council, settings):
    site.routes[APPENDIX].fail_first = 1
    report = _sync(tmp_path, council, settings, RecordingIngest())
    assert report.ok and len(report.ingested) == 3


def test_timeout_is_retried_then_reported(tmp_path, site, council, settings):
    site.routes[REPORT].delay = 1.0
    settings["fetch"]["timeout"] = 0.2
    report = _sync(tmp_path, council, settings, RecordingIngest())
    (failure,) = report.failed
    assert failure.reason == "timed out after 0.2 s (2 attempts)"
    assert site.hits[REPORT] == 2
    assert "5001" not in _seen(tmp_path)


def test_malformed_xml_is_reported_with_council_and_url(tmp_path, site, council, settings):
    site.routes["/mgWebService.asmx/GetMeeting?lMeetingId=2002"] = fake.Route(_xml("malformed.xml"), "text/xml")
    ingest = RecordingIngest()
    report = _sync(tmp_path, council, settings, ingest)
    (failure,) = report.failed
    assert failure.council == "Wirral"
    assert failure.url == f"{site.url}/mgWebService.asmx/GetMeeting?lMeetingId=2002"
    assert failure.reason.startswith("malformed XML: ")
    assert ingest.attachments == ["5001", "5002"]  # the other meeting is still read


def test_file_over_the_size_limit_is_refused(tmp_path, site, council, settings):
    settings["fetch"]["max_bytes"] = 100_000  # the updated strategy is ~125 KB
    report = _sync(tmp_path, council, settings, RecordingIngest())
    (failure,) = report.failed
    assert failure.url.endswith("/s5102/Social%20Care%20Workforce%20Strategy.pdf")
    assert "limit is 100000" in failure.reason
    assert len(report.ingested) == 2


def test_html_error_page_served_as_pdf_is_refused(tmp_path, site, council, settings):
    site.routes[REPORT] = fake.Route(b"<html><body><h1>Runtime Error</h1></body></html>", "application/pdf")
    report = _sync(tmp_path, council, settings, RecordingIngest())
    (failure,) = report.failed
    assert "an HTML page (served as application/pdf)" in failure.reason
    assert "5001" not in _seen(tmp_path)


def test_ingest_failure_is_reported_and_not_remembered(tmp_path, site, council, settings):
    report = _sync(tmp_path, council, settings, RecordingIngest(fail_for=("s5002/Appendix%20B%20-%20Progress%20and%20Updates.pdf",)))
    (failure,) = report.failed
    assert failure.reason.startswith("ingest failed: ") and "not a readable PDF" in failure.reason
    assert sorted(_seen(tmp_path)) == ["5001", "5102"]


def test_since_limits_the_meetings_read(tmp_path, site, council, settings):
    ingest = RecordingIngest()
    report = _sync(tmp_path, council, settings, ingest, since="2024-01-01")
    assert report.meetings == 1 and ingest.attachments == ["5102"]
    assert "sFromDate=01%2F01%2F2024" in next(k for k in site.hits if "GetMeetings" in k)


def test_missing_committee_and_broken_council_do_not_stop_the_others(tmp_path, site, council, settings):
    site.routes["/broken/mgWebService.asmx/GetCommittees"] = fake.Route(b"", fail_first=99)
    broken = replace(council, name="Broken", base_url=f"{site.url}/broken")
    council = replace(council, committees=council.committees + ("Schools Forum",))
    ingest = RecordingIngest()
    report = _sync(tmp_path, council, settings, ingest, config=[broken, council])
    reasons = {(f.council, f.reason.split(" (")[0]) for f in report.failed}
    assert reasons == {("Broken", "HTTP 500"), ("Wirral", "committee not found: 'Schools Forum'")}
    assert "Planning Committee" in next(f.reason for f in report.failed if f.council == "Wirral")
    assert len(ingest.calls) == 3


def test_after_ingest_lines_end_the_report(tmp_path, site, council, settings):
    seen_paths: list = []

    def audit(paths):
        seen_paths.extend(paths)
        return [f"{len(paths)} new documents: 1 commitment now delivered"]

    report = _sync(tmp_path, council, settings, RecordingIngest(), after_ingest=audit)
    assert seen_paths == [f.path for _, f in report.ingested]
    lines = report.lines()
    assert lines[-2:] == ["Audit changes:", "  3 new documents: 1 commitment now delivered"]
    assert lines[-3] == "2 meetings read; 3 documents found, 3 downloaded, 3 ingested, 0 skipped, 0 failed"
    assert lines[0].startswith(
        "ingested  Wirral: Children's Social Care Workforce Strategy Update / Report (2023-03-14) -> ")
    again = _sync(tmp_path, council, settings, RecordingIngest(), after_ingest=audit)
    assert again.audit_changes == [] and len(seen_paths) == 3  # nothing new, no audit call


def test_sync_into_the_real_knowledge_base(tmp_path, site, council, settings):
    """The default ingest is kb.build.ingest: documents land with their URL as source."""
    report = sync(tmp_path / "kb.db", None, None, None, config=[council], settings=settings,
                  today=date(2023, 6, 1))
    assert report.ok, report.failed
    db = Database(tmp_path / "kb.db")
    docs = {r["id"]: r for r in db["documents"].rows}
    for _, fetched in report.ingested:
        assert docs[fetched.sha256]["source"] == fetched.url
        assert docs[fetched.sha256]["fetched_at"] == fetched.fetched_at
        assert len(docs[fetched.sha256]["text"]) > 1000
    assert len(docs) == 2
    again = sync(tmp_path / "kb.db", None, None, None, config=[council], settings=settings, today=date(2023, 6, 1))
    assert again.ok and again.ingested == [] and db["documents"].count == 2


def test_cli_syncs_the_councils_of_a_config_file(tmp_path, site):
    """`wfkb sync --config` follows a council the shipped file does not name, on the fake site."""
    from click.testing import CliRunner

    from cli import cli

    config = tmp_path / "councils.yml"
    config.write_text(
        "topic_terms: [workforce]\n"
        "councils:\n"
        f"  - name: Wirral\n    base_url: {site.url}\n"
        "    committees:\n      - Children, Young People and Education Committee\n", encoding="utf-8")
    args = ["sync", "--config", str(config), "--db", str(tmp_path / "kb.db"), "--since", "2023-01-01",
            "--data-dir", str(tmp_path / "data"), "--delay", "0"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    documents = Database(tmp_path / "kb.db")["documents"].count
    assert documents >= 2 and f"{documents} ingested" in first.output
    assert "Audit changes:" in first.output and "Wirral: new, " in first.output
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0 and " 0 downloaded, 0 ingested" in again.output
    assert Database(tmp_path / "kb.db")["documents"].count == documents
    assert "Audit changes:" not in again.output


# ---------------------------------------------------------------- agenda-item and decision pages

AGENDA_PAGE = "/mgAi.aspx?ID=7003"
DECISION_PAGE = "/ieDecisionDetails.aspx?ID=8101"


def test_page_links_are_decision_pages_and_word_files():
    page = (fake.PAGES / "ieDecisionDetails_8101.html").read_bytes()
    links = page_links(page, "https://h.gov.uk/ieDecisionDetails.aspx?ID=8101")
    assert [(link.attachment_id, link.title) for link in links] == [
        ("url:https://h.gov.uk/documents/s8102/Appendix%201%20-%20Workforce%20Action%20Plan.docx",
         "Appendix 1 - Workforce Action Plan")]
    agenda = (fake.PAGES / "mgAi_7003.html").read_bytes()
    assert [link.attachment_id for link in page_links(agenda, "https://h.gov.uk/mgAi.aspx?ID=7003")] == ["decision:8101"]


def test_sync_ingests_pdfs_agenda_and_decision_pages_and_a_word_appendix(tmp_path, site, council, settings):
    settings["follow_pages"] = True
    report = sync(tmp_path / "kb.db", None, None, None, config=[council], settings=settings,
                  today=date(2023, 6, 1))
    assert report.ok, report.failed
    assert [d.attachment_id for d, _ in report.ingested] == [
        "5001", "5002", "mgAi:7003", "decision:8101",
        f"url:{site.url}/documents/s8102/Appendix%201%20-%20Workforce%20Action%20Plan.docx"]
    assert sorted(f.path.suffix for _, f in report.ingested) == [".docx", ".html", ".html", ".pdf", ".pdf"]
    for _, fetched in report.ingested:
        assert fetched.path.name.startswith(fetched.sha256)  # named by content hash
    db = Database(tmp_path / "kb.db")
    documents = {r["source"]: r for r in db["documents"].rows}
    decision = documents[site.url + DECISION_PAGE]
    assert decision["title"] == "Social Work Recruitment and Retention Offer" and decision["fetched_at"]
    # The pages name no council, and 127.0.0.1 is no council's host: the site they came from is Wirral's.
    assert {r["council"] for r in documents.values()} == {council.name}
    assert "pdf icon" not in decision["text"] and "Skip to content" not in decision["text"]
    commitments = {r["text"] for r in db.query(
        "select text from actions where document_id = ? and kind = 'commitment'", [decision["id"]])}
    assert "a market supplement of £3,500 be introduced for experienced social workers in the assessment teams " \
           "from April 2025;" in commitments
    assert "a social work academy be established for newly qualified social workers by September 2025; and" \
           in commitments
    assert not any("report be noted" in text for text in commitments)
    minutes = documents[site.url + AGENDA_PAGE]
    assert db.execute("select count(*) from actions where document_id = ? and text like '14 agency social workers%'",
                      [minutes["id"]]).fetchone()[0] == 1
    appendix = next(r for source, r in documents.items() if source.endswith(".docx"))
    assert db.execute("select count(*) from actions where document_id = ? and kind = 'commitment'",
                      [appendix["id"]]).fetchone()[0] == 2

    again = sync(tmp_path / "kb.db", None, None, None, config=[council], settings=settings, today=date(2023, 6, 1))
    assert again.ok and again.downloaded == [] and again.ingested == []
    assert {why for _, why in again.skipped} == {"unchanged since last sync (304 Not Modified)"}
    assert len(again.skipped) == 5
    assert site.routes[AGENDA_PAGE].served == site.routes[DECISION_PAGE].served == 1
    assert site.routes[fake.APPENDIX_DOCX].served == 1
