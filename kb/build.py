"""Build the knowledge base: one transaction per document, then links and audit."""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlite_utils import Database

from extract.ids import file_sha256
from extract.read import SUPPORTED_SUFFIXES
from extract.settings import ExtractSettings
from kb.schema import block_row, ensure_schema, open_kb, record_row
from kb.tables import table_rows
from kb.workers import DEFAULT_MEMORY_MB, Outcome, Task, WorkerPool
from schemas import ExtractedDocument

__all__ = ["IngestReport", "ingest", "ingest_sources", "expand_paths", "write_document"]


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    tables_to_metrics: int = 0
    tables_kept_raw: int = 0
    councils: set[str | None] = field(default_factory=set)  # councils of the documents ingested
    timed_out: list[str] = field(default_factory=list)  # of the failed: stopped at the time limit
    crashed: list[str] = field(default_factory=list)  # of the failed: a worker crash or an extractor bug
    worker_peak_rss_kb: int = 0  # largest resident set of an extraction worker
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage: extraction, writing, ...

    def sort(self, order: list[str]) -> None:
        """List every path in the order it was given, however the workers finished."""
        rank = {p: i for i, p in reversed(list(enumerate(order)))}
        for paths in (self.ingested, self.unchanged, self.timed_out, self.crashed):
            paths.sort(key=lambda p: rank.get(p, len(rank)))
        self.failed.sort(key=lambda f: rank.get(f[0], len(rank)))

    def summary(self) -> str:
        line = f"ingested {len(self.ingested)}, unchanged {len(self.unchanged)}, failed {len(self.failed)}"
        if self.tables_to_metrics or self.tables_kept_raw:
            line += f"; tables: {self.tables_to_metrics} to metrics, {self.tables_kept_raw} kept raw"
        return line

    def timings(self) -> str:
        """Wall seconds per stage, as `wfkb ingest --timings` prints them."""
        return "seconds: " + ", ".join(f"{stage} {t:.2f}" for stage, t in self.seconds.items())


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders searched recursively for .pdf and .txt files, in a stable order."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            files.append(p)
    return files


def ingest(
    db_path: str | Path,
    paths: Iterable[str | Path],
    settings: ExtractSettings | dict | None = None,
    progress: Callable[[Path], None] | None = None,
    source_urls: dict[str, str] | None = None,
    fetched_at: dict[str, str] | None = None,
    publishers: dict[str, str] | None = None,
    jobs: int | None = None,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> IngestReport:
    """Ingest files and folders into the KB at db_path.

    Documents are extracted in worker processes (`kb.workers`), `jobs` at a time, and
    written here, one transaction each, as each is done: `jobs` changes the speed and the
    order rows are written in, never what the database holds.

    Args:
        db_path: the SQLite file (created if missing).
        paths: files and folders (recursive) of .pdf and .txt documents.
        settings: extraction settings (`timeout_s` is a hard limit per document).
        progress: called with each file once it is done.
        source_urls: path -> URL it was fetched from, recorded as the document's source.
        fetched_at: path -> when that URL was fetched (ISO time).
        publishers: path -> the council whose site published it (its council where the text names none).
        jobs: documents extracted in parallel (default: the usable cores).
        memory_mb: address-space cap of each extraction worker.
    Returns:
        What was ingested, unchanged and failed (with reasons); one bad file never stops the batch.
    """
    settings = ExtractSettings.resolve(settings)
    report = IngestReport()
    files = expand_paths(paths)
    clock = _StageClock(report.seconds)
    # Entering the pool starts the workers' fork server, which loads the extractors while this
    # process opens the database, hashes the files and loads the code of the derived tables.
    with WorkerPool(settings, jobs=jobs, memory_mb=memory_mb) as pool:
        db = open_kb(db_path)
        ensure_schema(db)
        plan = [_plan(db, path, (source_urls or {}).get(str(path)), (publishers or {}).get(str(path)))
                for path in files]
        for path, step in zip(files, plan):
            if isinstance(step, Task):
                continue
            if step == _UNCHANGED:
                report.unchanged.append(str(path))
            else:
                report.failed.append((str(path), step))
            if progress:
                progress(path)
        import kb.audit  # noqa: F401  (see above: loaded while the fork server starts)
        import kb.search  # noqa: F401
        outcomes = pool.map(step for step in plan if isinstance(step, Task))
        while True:
            with clock("extraction"):  # the writer's wait for the next document a worker finishes
                outcome = next(outcomes, None)
            if outcome is None:
                break
            with clock("writing"):
                _record(db, outcome, report, (fetched_at or {}).get(str(outcome.task.path)))
            if progress:
                progress(outcome.task.path)
        report.worker_peak_rss_kb = pool.peak_rss_kb
    report.sort([str(p) for p in files])
    with clock("derived tables"):
        stale = _unrefreshed_councils(db)
        if report.ingested or stale != set():
            refresh_derived_tables(db, councils=None if stale is None else report.councils | stale)
    db.close()
    return report


class _StageClock:
    """Wall seconds per stage of an ingest, added into `seconds`."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started


_UNCHANGED = "unchanged"


def _plan(db: Database, path: Path, source_url: str | None, publisher: str | None = None) -> Task | str:
    """A task for a worker, or what to report without one: unchanged, or why the file cannot be read."""
    if not path.is_file():
        return "no such file"
    try:
        digest = file_sha256(path)
    except OSError as e:
        return f"cannot be opened ({e.strerror or e})"
    if db["documents"].count_where("id = ?", [digest]):
        return _UNCHANGED
    return Task(path, source_url, publisher)


def _record(db: Database, outcome: Outcome, report: IngestReport, fetched_at: str | None) -> None:
    """Write a worker's document (unless the same file came earlier in the batch), or note its failure."""
    path = str(outcome.task.path)
    if outcome.extracted is None:
        report.failed.append((path, outcome.reason))
        if outcome.kind == "timeout":
            report.timed_out.append(path)
        elif outcome.kind == "crash":
            report.crashed.append(path)
        return
    extracted = outcome.extracted
    if db["documents"].count_where("id = ?", [extracted.document.id]):
        report.unchanged.append(path)
        return
    extracted.document.fetched_at = fetched_at
    try:
        write_document(db, extracted)
    except sqlite3.Error as e:  # the transaction rolled back: the document is absent, not half there
        report.failed.append((path, f"could not be written to the database ({e})"))
        report.crashed.append(path)
        return
    report.ingested.append(path)
    report.councils.add(extracted.document.council)
    report.tables_to_metrics += len({m.table_id for m in extracted.metrics})
    report.tables_kept_raw += len(extracted.raw_tables)


def _unrefreshed_councils(db: Database) -> set[str | None] | None:
    """Councils whose derived tables lag their documents (a run killed before its refresh); None: all."""
    if not db["documents"].count:
        return set()
    if not all(db[t].exists() for t in ("document_series", "commitment_links", "blocks_fts")):
        return None
    rows = db.execute(
        "select council from documents where id not in (select document_id from document_series) "
        "union select council from actions where id not in (select action_id from commitment_links)").fetchall()
    return {r[0] for r in rows}


def count_sources(sources: Iterable[str]) -> int:
    """How many documents a list of files, folders and URLs names (for a progress bar)."""
    from kb.fetch import is_url

    sources = list(sources)
    return sum(map(is_url, sources)) + len(expand_paths(s for s in sources if not is_url(s)))


def ingest_sources(
    db_path: str | Path,
    sources: Iterable[str],
    data_dir: str | Path = "data",
    settings: ExtractSettings | dict | None = None,
    fetch_settings: dict | None = None,
    progress: Callable[[Path], None] | None = None,
    jobs: int | None = None,
) -> IngestReport:
    """Ingest files, folders and URLs: URLs are downloaded into data_dir first, then ingested."""
    from kb.fetch import fetch_documents, is_url

    sources = list(sources)
    urls = [s for s in sources if is_url(s)]
    paths: list[str | Path] = [s for s in sources if not is_url(s)]
    fetched = fetch_documents(urls, data_dir, fetch_settings) if urls else None
    if fetched:
        paths += [f.path for f in fetched.fetched]
    report = ingest(db_path, paths, settings, progress, source_urls=fetched.source_urls if fetched else None,
                    fetched_at={str(f.path): f.fetched_at for f in fetched.fetched} if fetched else None,
                    jobs=jobs)
    if fetched:
        report.failed[:0] = fetched.failed
    return report


def write_document(db: Database, extracted: ExtractedDocument) -> None:
    """Write a document with all its blocks and records in one transaction."""
    doc = extracted.document
    with db.atomic():
        db["documents"].upsert(record_row(doc), pk="id", alter=True)  # a KB made before the OCR columns
        db["blocks"].upsert_all([block_row(b, doc.id) for b in extracted.blocks], pk="id")
        for table, records in (("priorities", extracted.priorities), ("actions", extracted.actions),
                               ("targets", extracted.targets), ("cohorts", extracted.cohorts),
                               ("metrics", extracted.metrics)):
            if records:
                db[table].upsert_all([record_row(r) for r in records], pk="id", alter=True)
        if extracted.leads:
            db["leads"].upsert_all(_preferred_leads(db, [record_row(r) for r in extracted.leads]), pk="id",
                                   alter=True)
        _write_tables(db, extracted)


def _preferred_leads(db: Database, rows: list[dict]) -> list[dict]:
    """A council's lead is one row however many documents name it; of the ways they write it,
    the one with most capitalised words is kept ("Safeguarding" over "safeguarding"), so
    the row is the same whichever document is written last."""
    ids = json.dumps([r["id"] for r in rows])
    stored = {r["id"]: r for r in db["leads"].rows_where("id in (select value from json_each(?))", [ids])} \
        if db["leads"].exists() else {}

    def rank(row: dict) -> tuple:
        return sum(w[:1].isupper() for w in row["name"].split()), row["name"], row["kind"] or ""

    return [max((r, stored[r["id"]]), key=rank) if r["id"] in stored else r for r in rows]


def _write_tables(db: Database, extracted: ExtractedDocument) -> None:
    rows = table_rows(extracted.blocks, extracted.document.id,
                      metric_table_ids={m.table_id for m in extracted.metrics})
    if rows:
        db["tables"].upsert_all(rows, pk="id", alter=True)


def refresh_derived_tables(db: Database, councils: Iterable[str | None] | None = None) -> None:
    """Document series, the audit and commitment links of the given councils, then search indexes.

    Indexes come last so the first ingest creates every table and index: a later ingest then
    changes no schema, which a reader opening an FTS table at that moment would see as an
    error (SQLITE_SCHEMA inside the virtual table's constructor) rather than retry.
    """
    from kb.audit import refresh
    from kb.search import enable_search

    refresh(db, councils=councils)
    enable_search(db)
