"""End to end in a real browser: `wfkb serve` on loopback, driven by headless Chromium.

Debian's chromium (/usr/bin/chromium) through Playwright: no browser is downloaded, so
the test skips, saying why, when either is missing or Chromium will not start.
Screenshots go to the test's tmp dir, and also to $WFKB_SCREENSHOTS when it is set
(`WFKB_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/kb/test_browser.py` makes the
README's: search, record, council and promise pages).
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote_plus

import pytest

from kb.plugins.kb_site import SEARCH_HITS_PER_TABLE
from tests.servers import running_site

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
# --disable-component-update, --disable-sync and --disable-quic: without them Chromium
# keeps dialling Google services, which this network refuses.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
QUERY = "apprenticeship"
SERVE_TIMEOUT_S = 15


@pytest.fixture
def site(built_kb: Path, tmp_path: Path) -> Iterator[str]:
    """The base URL of `wfkb serve` on the built KB, stopped after the test."""
    with running_site(built_kb, tmp_path / "serve.log", timeout_s=SERVE_TIMEOUT_S) as url:
        yield url


@pytest.fixture
def page() -> Iterator[Page]:
    """A Playwright page in Debian's headless Chromium; skips (with the reason) when there is none."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed (pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except sync_api.Error as e:
            pytest.skip(f"Chromium would not start: {_launch_failure(e.message)}")
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_default_timeout(10_000)
            yield page
        finally:
            browser.close()


def _launch_failure(message: str) -> str:
    """Playwright's launch error cut to what Chromium said (a missing library, a crash),
    without the command line and call log it repeats."""
    lines = message.split("Call log:")[0].splitlines()
    said = [line for line in lines[1:] if line.strip() and not line.startswith(("Browser logs:", "<launch"))]
    return " | ".join([lines[0], *said])


def _screenshot(page: Page, name: str, tmp_path: Path, full_page: bool = True) -> Path:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=full_page)
    if folder := os.environ.get("WFKB_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(folder) / name)
    return shot


def test_search_then_open_a_record_shows_its_highlighted_passage(
        site: str, page: Page, built_kb: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect  # here: without playwright the module must still load, to skip

    page.goto(site + "/-/search")
    page.fill("#search-all-q", QUERY)
    page.click("form.core input[type=submit]")
    page.wait_for_url(re.compile(rf"/-/search\?q={QUERY}$"))

    hits = page.locator('section.kb-search-section[data-table="actions"] li.kb-hit')
    expect(hits.first).to_be_visible()
    with closing(sqlite3.connect(built_kb)) as db:
        (matching,) = db.execute("select count(*) from actions_fts where actions_fts match ?", (QUERY,)).fetchone()
    texts = hits.locator("a").all_inner_texts()
    assert len(texts) == min(matching, SEARCH_HITS_PER_TABLE) > 0
    assert all("apprentice" in t.lower() for t in texts), texts
    expect(hits.first.locator("mark").first).to_be_visible()
    assert _screenshot(page, "search.png", tmp_path).stat().st_size > 0

    hits.first.locator("a").click()
    page.wait_for_url(re.compile(r"/actions/[^/?]+$"))
    record_id = page.url.rsplit("/", 1)[1]
    with closing(sqlite3.connect(built_kb)) as db:
        (text,) = db.execute("select text from actions where id = ?", (record_id,)).fetchone()

    highlight = page.locator(".kb-record .kb-passage p.kb-span mark").first
    expect(highlight).to_be_visible()
    assert highlight.is_visible()
    assert text.split()[0] in highlight.inner_text()
    assert _screenshot(page, "record.png", tmp_path).stat().st_size > 0


# Every canned query is opened with no parameters and with each of these in every
# parameter it takes: text a reader types that FTS5 or SQL could choke on.
AWKWARD_PARAMETERS = ["children's", "step-up", '"social work', ""]
HASH = re.compile(r"\b[0-9a-f]{16,}\b")


def _open(page: Page, url: str, failures: list[str]) -> None:
    """Open `url`; note an HTTP error, SQL shown without asking, or a heading that is a hash."""
    response = page.goto(url)
    if response is None or response.status >= 400:
        failures.append(f"{url}: HTTP {response.status if response else 'no response'}")
        return
    if page.locator("pre#sql-query, textarea#sql-editor").count():
        failures.append(f"{url}: SQL shown")
    heading = page.locator("h1").first.inner_text() if page.locator("h1").count() else ""
    if not heading.strip() or HASH.search(heading) or HASH.search(page.title()):
        failures.append(f"{url}: headed {heading!r} (title {page.title()!r})")


def test_reader_pages_open_without_errors_sql_or_hashes(
        site: str, page: Page, built_kb: Path, tmp_path: Path) -> None:
    from kb.site import site_metadata

    errors: list[str] = []
    page.on("response", lambda r: errors.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)
    failures: list[str] = []

    _open(page, site + "/", failures)
    page.locator("ul.kb-councils a", has_text="Wirral").click()  # the council later reports speak for
    page.wait_for_url(re.compile(r"/council/[a-z0-9-]+$"))
    council_url = page.url
    assert page.locator("article.kb-card").count() > 0
    assert page.locator(".kb-bar .kb-badge").count() > 0
    _open(page, council_url, failures)
    late = page.locator("article.kb-card", has=page.locator(".kb-badge", has_text="Delivered late"))
    late.first.locator(".kb-promise a").first.click()
    page.wait_for_url(re.compile(r"/promise/[^/?]+$"))
    from playwright.sync_api import expect

    expect(page.locator(".kb-passage p.kb-span mark").first).to_be_visible()
    promise_url = page.url

    with closing(sqlite3.connect(built_kb)) as db:
        (document_id,) = db.execute("select id from documents order by published desc").fetchone()
        database = built_kb.stem
    for url in (promise_url, f"{site}/{database}/documents/{document_id}", f"{site}/-/search?q=children%27s"):
        _open(page, url, failures)

    queries = site_metadata()["databases"]["kb"]["queries"]
    for name, query in sorted(queries.items()):
        _open(page, f"{site}/{database}/{name}", failures)
        for value in AWKWARD_PARAMETERS:
            params = "&".join(f"{p}={quote_plus(value)}" for p in query.get("params", []))
            _open(page, f"{site}/{database}/{name}?{params}", failures)

    feed = page.request.get(f"{site}/{database}/new_commitments.atom")
    assert feed.ok and "<entry>" in feed.text() and "/promise/" in feed.text()

    assert not failures, failures
    assert not errors, errors

    page.goto(council_url)
    assert _screenshot(page, "council.png", tmp_path, full_page=False).stat().st_size > 0
    page.goto(promise_url)
    assert _screenshot(page, "promise.png", tmp_path).stat().st_size > 0
