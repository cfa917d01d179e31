"""Concurrent use: Datasette reads the KB file continuously while another process ingests into it.

The KB is in WAL mode, so readers see the database as of the last commit: a document
appears with all its blocks and records, or not at all. Datasette opens the file as it
would a mutable database (`mode=ro`), not immutable as `wfkb serve` does, since an
immutable reader must not be pointed at a file that is being written.
"""
from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from datasette.app import Datasette

from kb.build import ingest
from tests.conftest import CORPUS, ROOT, SEED_TEXTS

WFKB = str(Path(sys.executable).with_name("wfkb"))
COUNTED = ["blocks", "priorities", "actions", "targets", "cohorts", "metrics"]
PER_DOCUMENT = "select d.id, " + ", ".join(
    f"(select count(*) from [{t}] where document_id = d.id) as {t}" for t in COUNTED) + " from documents d"
PAGES = ["/kb/documents", "/kb/actions?_search=recruit", "/kb/blocks?_sort=seq", "/-/search?q=social+workers"]


def _final_counts(db_path: Path) -> dict[str, tuple[int, ...]]:
    with closing(sqlite3.connect(db_path)) as conn:
        return {row[0]: tuple(row[1:]) for row in conn.execute(PER_DOCUMENT)}


async def _read_while(process: subprocess.Popen, ds: Datasette) -> tuple[list[str], list[dict], int]:
    """Query the site until the ingest ends; returns problems, the per-document snapshots seen, and reads made."""
    problems, snapshots, reads = [], [], 0
    while process.poll() is None:
        page = await ds.client.get("/kb.json", params={"sql": PER_DOCUMENT, "_shape": "array"})
        reads += 1
        if page.status_code != 200:
            problems.append(f"{page.status_code}: {page.text[:200]}")
            continue
        snapshots.append({row["id"]: tuple(row[t] for t in COUNTED) for row in page.json()})
        for path in PAGES:
            html = await ds.client.get(path)
            reads += 1
            if html.status_code != 200:
                problems.append(f"{path}: {html.status_code}")
    return problems, snapshots, reads


def test_readers_never_see_a_half_ingested_document(tmp_path):
    db_path = tmp_path / "kb.db"
    assert ingest(db_path, [SEED_TEXTS[0]]).ingested  # the schema and search indexes exist before reading starts
    ds = Datasette([str(db_path)])
    assert ds.get_database("kb").is_mutable
    writer = subprocess.Popen([WFKB, "ingest", str(CORPUS), "--db", str(db_path), "--jobs", "2"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    loop = asyncio.new_event_loop()
    try:
        started = time.monotonic()
        problems, snapshots, reads = loop.run_until_complete(_read_while(writer, ds))
    finally:
        loop.close()
        ds.get_database("kb").close()
    assert writer.wait() == 0, writer.stderr.read().decode()
    assert not problems, problems[:5]
    final = _final_counts(db_path)
    assert len(final) == 6
    for seen in snapshots:
        assert all(seen[doc] == final[doc] for doc in seen), seen  # each document whole or absent
    assert len({len(s) for s in snapshots}) >= 3, "reads did not overlap the ingest"
    assert reads > 10 and time.monotonic() - started < 120
