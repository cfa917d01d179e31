"""End to end in a real browser: `wfkb serve` on loopback, driven by headless Chromium.

Debian's chromium (/usr/bin/chromium) through Playwright: no browser is downloaded, so
the test skips, saying why, when either is missing or Chromium will not start.
Screenshots go to the test's tmp dir, and also to $WFKB_SCREENSHOTS when it is set
(`WFKB_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/kb/test_browser.py` makes the
README's).
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


def _screenshot(page: Page, name: str, tmp_path: Path) -> Path:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=True)
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
