"""kb.fetch against a real HTTP server on 127.0.0.1 serving the corpus PDFs."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from kb.fetch import (
    DEFAULT_USER_AGENT,
    PoliteClient,
    DownloadTooLarge,
    FetchFailed,
    FetchSettings,
    RefusedContent,
    check_content,
    fetch_document,
    fetch_documents,
    fetch_if_changed,
    is_url,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
MODERNGOV = ROOT / "tests" / "data" / "moderngov"
FAST = {"delay": 0, "backoff": 0, "timeout": 5}


def _load_fake():
    """The fake site lives with its fixtures in tests/data/moderngov/ (shared with test_sync)."""
    if "fake_moderngov" in sys.modules:
        return sys.modules["fake_moderngov"]
    spec = importlib.util.spec_from_file_location("fake_moderngov", MODERNGOV / "fake_moderngov.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["fake_moderngov"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


fake = _load_fake()
PDFS = sorted(CORPUS.glob("*.pdf"))


@pytest.fixture
def site():
    with fake.FakeModernGov({f"/documents/{p.name}": p for p in PDFS}) as server:
        yield server


def _stored(data_dir: Path) -> list[str]:
    files = data_dir / "files"
    return sorted(p.name for p in files.iterdir()) if files.exists() else []


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_pdf_is_stored_under_its_content_hash(site, tmp_path, pdf):
    url = f"{site.url}/documents/{pdf.name}"
    fetched = fetch_document(url, tmp_path, FAST)
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert fetched.sha256 == digest
    assert fetched.path == tmp_path / "files" / f"{digest}.pdf"
    assert fetched.path.read_bytes() == pdf.read_bytes()
    assert fetched.content_type == "application/pdf"
    assert fetched.url == url
    assert datetime.fromisoformat(fetched.fetched_at.replace("Z", "+00:00")).tzinfo is not None
    sidecar = json.loads((tmp_path / "files" / f"{digest}.json").read_text())
    assert sidecar["sources"] == [{"url": url, "fetched_at": fetched.fetched_at}]


def test_requests_identify_themselves(site, tmp_path):
    fetch_document(f"{site.url}/documents/{PDFS[0].name}", tmp_path, FAST)
    (_, headers), = site.requests
    assert headers["User-Agent"] == DEFAULT_USER_AGENT


def test_same_bytes_from_two_urls_are_kept_once_with_both_sources(site, tmp_path):
    site.routes["/other/copy.pdf"] = fake.Route(PDFS[0].read_bytes())
    first = fetch_document(f"{site.url}/documents/{PDFS[0].name}", tmp_path, FAST)
    second = fetch_document(f"{site.url}/other/copy.pdf", tmp_path, FAST)
    assert first.path == second.path
    assert _stored(tmp_path) == sorted([first.path.name, f"{first.sha256}.json"])
    sources = json.loads((tmp_path / "files" / f"{first.sha256}.json").read_text())["sources"]
    assert [s["url"] for s in sources] == [first.url, second.url]


def test_plain_text_is_accepted_and_stored_as_txt(site, tmp_path):
    text = (ROOT / "tests" / "data").glob("*.txt").__next__().read_bytes()
    site.routes["/documents/report.txt"] = fake.Route(text, "text/plain; charset=utf-8")
    fetched = fetch_document(f"{site.url}/documents/report.txt", tmp_path, FAST)
    assert fetched.content_type == "text/plain"
    assert fetched.path.suffix == ".txt"
    assert fetched.path.read_bytes() == text


def test_url_path_never_becomes_a_file_name(site, tmp_path):
    site.routes["/documents/s1/../../escape.pdf"] = fake.Route(PDFS[0].read_bytes())
    fetched = fetch_document(f"{site.url}/documents/s1/..%2F..%2Fescape.pdf", tmp_path / "data", FAST)
    assert fetched.path.parent == tmp_path / "data" / "files"
    assert fetched.path.name == f"{fetched.sha256}.pdf"
    assert not (tmp_path / "escape.pdf").exists()


def test_500_then_200_is_retried_and_succeeds(site, tmp_path):
    site.routes["/documents/flaky.pdf"] = fake.Route(PDFS[1].read_bytes(), fail_first=2)
    fetched = fetch_document(f"{site.url}/documents/flaky.pdf", tmp_path, FAST)
    assert fetched.path.read_bytes() == PDFS[1].read_bytes()
    assert site.hits["/documents/flaky.pdf"] == 3


def test_persistent_500_is_reported_after_the_retries(site, tmp_path):
    site.routes["/documents/down.pdf"] = fake.Route(b"", fail_first=99, fail_status=503)
    with pytest.raises(FetchFailed) as error:
        fetch_document(f"{site.url}/documents/down.pdf", tmp_path, {**FAST, "retries": 2})
    assert error.value.reason == "HTTP 503 (3 attempts)"
    assert site.hits["/documents/down.pdf"] == 3
    assert _stored(tmp_path) == []


def test_backoff_doubles_between_attempts(site, tmp_path):
    site.routes["/documents/down.pdf"] = fake.Route(b"", fail_first=99)
    started = time.monotonic()
    with pytest.raises(FetchFailed):
        fetch_document(f"{site.url}/documents/down.pdf", tmp_path, {**FAST, "retries": 2, "backoff": 0.1})
    assert time.monotonic() - started >= 0.3  # 0.1 + 0.2


def test_timeout_is_retried_then_reported(site, tmp_path):
    site.routes["/documents/stalled.pdf"] = fake.Route(PDFS[0].read_bytes(), delay=1.0)
    with pytest.raises(FetchFailed) as error:
        fetch_document(f"{site.url}/documents/stalled.pdf", tmp_path, {**FAST, "timeout": 0.2, "retries": 1})
    assert error.value.reason == "timed out after 0.2 s (2 attempts)"
    assert site.hits["/documents/stalled.pdf"] == 2


def test_client_errors_are_not_retried(site, tmp_path):
    with pytest.raises(FetchFailed, match="HTTP 404"):
        fetch_document(f"{site.url}/documents/missing.pdf", tmp_path, FAST)
    assert site.hits["/documents/missing.pdf"] == 1


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_file_over_the_size_limit_is_refused(site, tmp_path, declared):
    big = PDFS[2].read_bytes()  # ~120 KB
    site.routes["/documents/big.pdf"] = fake.Route(big, content_length=declared)
    with pytest.raises(DownloadTooLarge) as error:
        fetch_document(f"{site.url}/documents/big.pdf", tmp_path, {**FAST, "max_bytes": 20_000})
    assert ("declared" in error.value.reason) is declared
    assert site.hits["/documents/big.pdf"] == 1  # too large is final, not retried
    assert _stored(tmp_path) == []  # no partial download left behind


def test_html_error_page_served_as_pdf_is_refused(site, tmp_path):
    page = b"<!DOCTYPE html>\n<html><head><title>Error</title></head><body>Session expired</body></html>"
    site.routes["/documents/s9/report.pdf"] = fake.Route(page, "application/pdf")
    with pytest.raises(RefusedContent) as error:
        fetch_document(f"{site.url}/documents/s9/report.pdf", tmp_path, FAST)
    assert "HTML page (served as application/pdf)" in error.value.reason
    assert str(error.value).startswith(f"{site.url}/documents/s9/report.pdf: ")
    assert _stored(tmp_path) == []


def test_conditional_get_returns_none_when_unchanged(site, tmp_path):
    url = f"{site.url}/documents/{PDFS[0].name}"
    first = fetch_document(url, tmp_path, FAST)
    assert first.etag and first.last_modified
    assert fetch_if_changed(url, tmp_path, FAST, etag=first.etag) is None
    site.routes[f"/documents/{PDFS[0].name}"].body = PDFS[1].read_bytes()  # the paper is revised
    revised = fetch_if_changed(url, tmp_path, FAST, etag=first.etag)
    assert revised is not None and revised.sha256 != first.sha256


def test_requests_to_one_host_are_spaced_by_the_delay(site, tmp_path):
    with PoliteClient({**FAST, "delay": 0.3}) as client:
        started = time.monotonic()
        for pdf in PDFS[:3]:
            fetch_document(f"{site.url}/documents/{pdf.name}", tmp_path, client=client)
    assert time.monotonic() - started >= 0.6


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x.pdf", "corpus/x.pdf"])
def test_only_http_urls_are_fetched(tmp_path, url):
    assert not is_url(url)
    with pytest.raises(FetchFailed, match="not an http"):
        fetch_document(url, tmp_path, FAST)


@pytest.mark.parametrize(
    "head, content_type, expected",
    [
        (b"%PDF-1.7\n", "application/octet-stream", "application/pdf"),
        (b"\r\n%PDF-1.4\n", None, "application/pdf"),  # junk before the header is allowed
        (b"%PDF-1.5\n", "text/html", "application/pdf"),  # the bytes are a PDF whatever the label
        (b"Workforce update\n", "text/plain; charset=utf-8", "text/plain"),
        (b"<p>Decision details</p>", "text/html; charset=utf-8", "text/html"),  # a web page is read as one
        (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_check_content_accepts(head, content_type, expected):
    assert check_content(head, content_type) == expected


@pytest.mark.parametrize(
    "head, content_type, reason",
    [
        (b"\xef\xbb\xbf  <html><body>Login</body></html>", "application/octet-stream", "HTML page"),
        (b"\x00\x01garbage", "application/pdf", "does not start with %PDF-"),
        (b"PK\x03\x04", "application/zip", "unsupported content type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", "application/msword", "save it as .docx or PDF"),
        (b"a\x00b", "text/plain", "binary data"),
    ],
)
def test_check_content_refuses(head, content_type, reason):
    with pytest.raises(RefusedContent, match=reason):
        check_content(head, content_type, "http://127.0.0.1/x")


def test_settings_are_validated():
    assert FetchSettings.resolve(None).delay == 1.0
    with pytest.raises(ValueError, match="Fetch setting 'timeout'"):
        FetchSettings.resolve({"timeout": 0})
    with pytest.raises(ValueError, match="Fetch setting 'delay_ms'"):
        FetchSettings.resolve({"delay_ms": 5})


def test_fetch_documents_keeps_going_past_a_bad_url(site, tmp_path):
    good = [f"{site.url}/documents/{p.name}" for p in PDFS[:2]]
    report = fetch_documents([good[0], f"{site.url}/documents/missing.pdf", good[1]], tmp_path, FAST)
    assert [f.url for f in report.fetched] == good
    assert report.failed == [(f"{site.url}/documents/missing.pdf", "HTTP 404")]
    assert report.source_urls == {str(f.path): f.url for f in report.fetched}


def test_fetched_file_ingests_with_its_url_as_source(site, tmp_path):
    """What `wfkb ingest URL` does: the file is fetched, stored by hash and ingested with its URL and fetch time."""
    from datetime import datetime

    from kb.build import ingest_sources

    url = f"{site.url}/documents/{PDFS[0].name}"
    report = ingest_sources(tmp_path / "kb.db", [url], data_dir=tmp_path / "data", fetch_settings=FAST)
    assert report.failed == [] and len(report.ingested) == 1
    (row,) = Database(tmp_path / "kb.db")["documents"].rows
    assert row["source"] == url and (tmp_path / "data" / "files" / f"{row['id']}.pdf").is_file()
    assert datetime.fromisoformat(row["fetched_at"].replace("Z", "+00:00")).tzinfo is not None


def test_a_web_page_url_and_a_word_file_url_ingest_as_their_formats(site, tmp_path):
    """`wfkb ingest URL` of a ModernGov decision page and of a Word appendix: stored as .html
    and .docx by hash, read by their own readers, the page's URL as source."""
    from kb.build import ingest_sources

    page = f"{site.url}/ieDecisionDetails.aspx?ID=8101"
    word = f"{site.url}{fake.APPENDIX_DOCX}".replace(" ", "%20")
    report = ingest_sources(tmp_path / "kb.db", [page, word], data_dir=tmp_path / "data", fetch_settings=FAST)
    assert report.failed == [] and len(report.ingested) == 2
    assert sorted(Path(p).suffix for p in _stored(tmp_path / "data") if not p.endswith(".json")) == [".docx", ".html"]
    rows = {r["source"]: r for r in Database(tmp_path / "kb.db")["documents"].rows}
    assert rows[page]["title"] == "Social Work Recruitment and Retention Offer"
    assert rows[page]["published"] == "2025-03-14" and "pdf icon" not in rows[page]["text"]
    assert rows[word]["text"].startswith("Appendix 1 - Workforce Action Plan")
