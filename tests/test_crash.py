"""Crash safety: `wfkb ingest` killed with SIGKILL at several points loses nothing and half-writes nothing.

One ingest of corpus/ is killed again and again, each time later in the job (while the first
document is parsed, the moment the write-ahead log grows, after two documents, while the
derived tables are refreshed); after every kill the database must pass SQLite's integrity
check and hold only complete documents, and a last run must finish the job to the same
database a clean build makes.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

WFKB = str(Path(sys.executable).with_name("wfkb"))
RECORD_TABLES = ["blocks", "priorities", "actions", "targets", "cohorts", "metrics", "tables"]
DERIVED_TABLES = ["document_series", "document_links", "audit", "commitment_links", "commitment_changes"]


def _query(db_path: Path, sql: str) -> list[tuple]:
    """Read through a separate connection, as another process would (never blocks a WAL writer)."""
    try:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0.1)) as conn:
            return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []  # not created yet


def _documents(db_path: Path) -> int:
    rows = _query(db_path, "select count(*) from documents")
    return rows[0][0] if rows else -1


def _wal_grew(db_path: Path) -> Callable[[], bool]:
    """True the moment the write-ahead log grows once the schema is complete: a document's commit under way."""
    wal = Path(f"{db_path}-wal")
    seen: list[int] = []

    def check() -> bool:
        if not seen and not _query(db_path, "select 1 from sqlite_master where name = 'idx_leads_council'"):
            return False  # ensure_schema is still creating tables and indexes
        size = wal.stat().st_size
        seen.append(size)
        return len(seen) > 1 and size > seen[-2]
    return check


KILL_POINTS: list[tuple[str, Callable[[Path], Callable[[], bool]]]] = [
    ("parsing the first document", lambda db: lambda: _documents(db) == 0),
    ("a commit under way", _wal_grew),
    ("after two documents", lambda db: lambda: _documents(db) >= 2),
    ("a commit under way", _wal_grew),
    ("refreshing derived tables", lambda db: lambda: _documents(db) == 5),
]


def _ingest(db_path: Path) -> subprocess.Popen:
    return subprocess.Popen([WFKB, "ingest", str(CORPUS), "--db", str(db_path)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _kill_when(process: subprocess.Popen, ready: Callable[[], bool], limit_s: float = 60) -> bool:
    """SIGKILL the ingest once `ready()`; False when it finished first."""
    deadline = time.monotonic() + limit_s
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait()
            try:
                os.killpg(process.pid, signal.SIGKILL)  # its extraction workers, so no test leaves orphans
            except ProcessLookupError:
                pass  # none started yet, or all already gone
            return True
        time.sleep(0.0005)
    process.wait(timeout=limit_s)
    return False


def _per_document(db_path: Path) -> dict[str, tuple[int, ...]]:
    """document id -> its number of blocks and of each record type."""
    counts = ", ".join(f"(select count(*) from [{t}] where document_id = d.id)" for t in RECORD_TABLES)
    return {row[0]: tuple(row[1:]) for row in _query(db_path, f"select d.id, {counts} from documents d")}


def _rows(db_path: Path, table: str) -> list[tuple]:
    return sorted(_query(db_path, f"select * from [{table}]"), key=repr)


@pytest.fixture(scope="module")
def clean(built_kb) -> dict[str, tuple[int, ...]]:
    return _per_document(built_kb)


def test_sigkill_at_any_point_leaves_only_whole_documents_and_a_rerun_finishes(built_kb, clean, tmp_path):
    db_path = tmp_path / "kb.db"
    killed = []
    for name, point in KILL_POINTS:
        process = _ingest(db_path)
        if _kill_when(process, point(db_path)):
            killed.append((name, _documents(db_path)))
        else:
            assert process.returncode == 0, process.stderr.read().decode()
        assert _query(db_path, "pragma integrity_check") == [("ok",)], name
        present = _per_document(db_path)
        assert all(present[d] == clean[d] for d in present), name  # each document whole or absent
        assert all(counts[0] > 0 for counts in present.values())
    assert len(killed) >= 4, killed  # the kills really landed inside the job
    finish = _ingest(db_path)
    assert finish.wait(timeout=120) == 0, finish.stderr.read().decode()
    assert _per_document(db_path) == clean
    for table in ["documents", *RECORD_TABLES, "leads", *DERIVED_TABLES]:
        assert _rows(db_path, table) == _rows(built_kb, table), table
    assert _query(db_path, "select count(*) from blocks_fts") == _query(db_path, "select count(*) from blocks")
