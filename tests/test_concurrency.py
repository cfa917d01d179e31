"""Concurrent use: `wfkb serve --live` answers over HTTP while `wfkb ingest` writes to the same file.

The KB is in WAL mode, so a reader sees the database as of the last commit: a document
appears with all its blocks and records, or not at all. That holds only for a reader
that honours locks and the write-ahead log, which is what `--live` opens (`mode=ro`).
Plain `wfkb serve` opens the file immutable, for a KB nothing writes to: it would not
see the new documents, and could read pages half written.
"""
from __future__ import annotations

import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from itertools import cycle
from pathlib import Path

import httpx
import pytest

from kb.build import ingest
from tests.conftest import CORPUS, ROOT, SEED_TEXTS
from tests.servers import WFKB, running_site, stop

COUNTED = ["blocks", "priorities", "actions", "targets", "cohorts", "metrics"]
PER_DOCUMENT = "select d.id, " + ", ".join(
    f"(select count(*) from [{t}] where document_id = d.id) as {t}" for t in COUNTED) + " from documents d"
PAGES = ["/kb/documents", "/kb/actions?_search=recruit", "/kb/blocks?_sort=seq", "/-/search?q=social+workers"]
SERVE_TIMEOUT_S = 30
# Generous: the test is about what readers see, not speed, on two cores shared with the
# ingest's workers.
SQL_TIME_LIMIT_MS = 10_000
MAX_READS = 5000
MAX_SECONDS = 120


@pytest.fixture
def seeded_kb(tmp_path: Path) -> Path:
    """A KB with one document, so the schema and search indexes exist before the site starts."""
    path = tmp_path / "kb.db"
    assert ingest(path, [SEED_TEXTS[0]]).ingested
    with closing(sqlite3.connect(path)) as conn:
        # What lets a reader see each commit whole while another process writes.
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    return path


@pytest.fixture
def site(seeded_kb: Path, tmp_path: Path) -> Iterator[httpx.Client]:
    """An HTTP client on `wfkb serve --live` over seeded_kb, the server stopped afterwards."""
    options = ["--live", "--sql-time-limit-ms", str(SQL_TIME_LIMIT_MS)]
    with running_site(seeded_kb, tmp_path / "serve.log", *options, timeout_s=SERVE_TIMEOUT_S) as url, \
            httpx.Client(base_url=url, timeout=30) as client:
        yield client


def _final_counts(db_path: Path) -> dict[str, tuple[int, ...]]:
    with closing(sqlite3.connect(db_path)) as conn:
        return {row[0]: tuple(row[1:]) for row in conn.execute(PER_DOCUMENT)}


def _snapshot(client: httpx.Client, problems: list[str]) -> dict[str, tuple[int, ...]] | None:
    """Each document's record counts as the site sees them, in one query (one read transaction)."""
    page = client.get("/kb.json", params={"sql": PER_DOCUMENT, "_shape": "array"})
    if page.status_code != 200:
        problems.append(f"{page.status_code}: {page.text[:200]}")
        return None
    return {row["id"]: tuple(row[t] for t in COUNTED) for row in page.json()}


def test_live_site_never_shows_a_half_ingested_document(site, seeded_kb, tmp_path):
    writer_log = tmp_path / "ingest.log"
    with writer_log.open("wb") as log:
        writer = subprocess.Popen([WFKB, "ingest", str(CORPUS), "--db", str(seeded_kb), "--jobs", "2"], cwd=ROOT,
                                  stdout=log, stderr=subprocess.STDOUT)
    problems: list[str] = []
    snapshots: list[dict[str, tuple[int, ...]]] = []
    reads = 0
    started = time.monotonic()
    try:
        # A snapshot between page loads, so that snapshots are frequent enough to fall
        # between the ingest's commits while the pages are read under writing too.
        for path in cycle(PAGES):
            if writer.poll() is not None or reads >= MAX_READS or time.monotonic() - started > MAX_SECONDS:
                break
            if (seen := _snapshot(site, problems)) is not None:
                snapshots.append(seen)
            page = site.get(path)
            reads += 2
            if page.status_code != 200:
                problems.append(f"{path}: {page.status_code}")
        assert writer.wait(timeout=MAX_SECONDS) == 0, writer_log.read_text()
        after = _snapshot(site, problems)
    finally:
        stop(writer)
    elapsed = time.monotonic() - started

    assert not problems, problems[:5]
    final = _final_counts(seeded_kb)
    assert len(final) == 6
    for seen in snapshots:
        assert all(seen[doc] == final[doc] for doc in seen), seen  # each document whole or absent
    assert len({len(s) for s in snapshots}) >= 3, "reads did not overlap the ingest"
    assert after == final and len(after) > len(snapshots[0]), "the site did not show the new documents"
    assert 10 < reads < MAX_READS and elapsed < MAX_SECONDS, (reads, elapsed)
