"""Reliability: worker processes, limits, hostile and mutated files, untrusted text on the site.

`mutations()` is the seeded fuzzer that `bench/bench_fuzz.py` runs a thousand times.
"""
from __future__ import annotations

import ast
import asyncio
import os
import random
import re
import signal
import sqlite3
import threading
import time
import zlib
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from extract.settings import ExtractSettings
from kb.build import ingest
from kb.workers import Task, WorkerPool
from tests.conftest import CORPUS_PDFS, SEED_TEXTS
from tests.pdfs import make_pdf

# ---- the fuzzer -------------------------------------------------------------------------

_OBJECT = re.compile(rb"\d+ \d+ obj\b.*?endobj", re.DOTALL)
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_NUMBER = re.compile(rb"(?<=[ /\[])\d+(?=[ \]>\r\n])")


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([1, 4, 32, 256])):
        out[rng.randrange(len(out))] ^= rng.randrange(1, 256)
    return bytes(out)


def _remove_object(data: bytes, rng: random.Random) -> bytes:
    spans = [m.span() for m in _OBJECT.finditer(data)]
    if not spans:
        return _flip_bytes(data, rng)
    start, end = rng.choice(spans)
    return data[:start] + data[end:]


def _corrupt_stream(data: bytes, rng: random.Random) -> bytes:
    spans = [m.span(1) for m in _STREAM.finditer(data) if m.end(1) > m.start(1)]
    if not spans:
        return _flip_bytes(data, rng)
    start, end = rng.choice(spans)
    body = bytearray(data[start:end])
    how = rng.randrange(3)
    if how == 0:  # garbage in the compressed data
        for _ in range(rng.choice([1, 8, 64])):
            body[rng.randrange(len(body))] = rng.randrange(256)
    elif how == 1:  # stream cut short, /Length left as it was
        body = body[: rng.randrange(len(body))]
    else:  # a stream replaced by random bytes of another length
        body = bytearray(rng.randbytes(rng.randrange(1, 2 * len(body) + 2)))
    return data[:start] + bytes(body) + data[end:]


def _bend_number(data: bytes, rng: random.Random) -> bytes:
    """A /Length, /Count, offset or object number made huge, zero or negative."""
    spans = [m.span() for m in _NUMBER.finditer(data)]
    if not spans:
        return _flip_bytes(data, rng)
    start, end = rng.choice(spans)
    return data[:start] + rng.choice([b"0", b"-1", b"99999999999", b"4294967297"]) + data[end:]


def _splice(data: bytes, rng: random.Random) -> bytes:
    """A chunk of the file repeated or moved elsewhere (a bad download resumed)."""
    a, b = sorted(rng.randrange(len(data)) for _ in range(2))
    at = rng.randrange(len(data))
    return data[:at] + data[a:b] + data[at:]


PDF_MUTATORS = [_truncate, _flip_bytes, _remove_object, _corrupt_stream, _bend_number, _splice]


def random_text(rng: random.Random) -> bytes:
    """Text a converter might produce: any script, control characters, bullets, numbers, long lines, bad bytes."""
    alphabet = ("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ 0123456789 .,;:!?()[]{}'\"-–—•·%£€/\\\t\n\n\x00\x0c\u200b"
                "\u202e éüßçøå ΩЖ中文العربية 🙂 Priority 1: We will recruit by March 2025. Cohort 8 of Step Up ")
    words = rng.choice([20, 200, 2000])
    text = "".join(rng.choice(alphabet) for _ in range(words * 4))
    if rng.random() < 0.3:
        text = "\n".join(f"{rng.choice(['•', '-', '1.', 'a)', 'Priority'])} {line}" for line in text.split("\n"))
    data = text.encode("utf-8")
    if rng.random() < 0.2:  # not UTF-8 at all
        data = rng.randbytes(rng.randrange(1, 5000))
    return data


def mutations(seed: int, n: int, sources: list[Path] = CORPUS_PDFS) -> list[tuple[str, bytes]]:
    """n (file name, content) pairs: nine in ten a mutated corpus PDF, one in ten random text."""
    rng = random.Random(seed)
    originals = [p.read_bytes() for p in sources]
    out = []
    for i in range(n):
        if rng.random() < 0.1:
            out.append((f"m{i:04d}_text.txt", random_text(rng)))
            continue
        data = original = rng.choice(originals)
        names = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            mutate = rng.choice(PDF_MUTATORS)
            data, names = mutate(data, rng), names + [mutate.__name__.strip("_")]
        if data == original:  # a number bent to its own value, an empty splice
            data = _flip_bytes(data, rng)
        out.append((f"m{i:04d}_{'+'.join(names)}.pdf", data))
    return out


def test_mutations_are_reproducible_and_varied():
    first, again = mutations(7, 40), mutations(7, 40)
    assert first == again
    kinds = {name.split("_", 1)[1] for name, _ in first}
    assert len(kinds) >= 6 and any(name.endswith(".txt") for name, _ in first)
    assert all(data != original.read_bytes() for (name, data) in first for original in CORPUS_PDFS)


# ---- hand-made hostile PDFs ----------------------------------------------------------------


def _slow_pdf(ops: int = 100_000) -> bytes:
    """One page whose content stream draws tens of thousands of one-character runs: seconds in a single page.

    pdfplumber (the reference engine, which the tests of this limit use) takes seconds over
    it; PDFium reads the same runs in a fraction of that.
    """
    runs = (b"BT /F1 1 Tf 1 0 0 1 %d %d Tm (x) Tj ET" % (i % 500, i % 800) for i in range(ops))
    stream = b"0 0 100 100 re S\n" + b"\n".join(runs)
    return make_pdf(streams=[stream])


def _bomb_pdf(gib: int = 2) -> bytes:
    """A page whose Flate stream inflates to `gib` GiB of zeros from about 2 MB of file.

    Deflate blocks after a sync flush over all-zero input only refer back to zeros, so one
    16 MiB block can be repeated; the checksum at the end is wrong, but it is never reached.
    """
    z = zlib.compressobj(9)
    chunk = bytes(16 << 20)
    head = z.compress(chunk) + z.flush(zlib.Z_SYNC_FLUSH)
    body = z.compress(chunk) + z.flush(zlib.Z_SYNC_FLUSH)
    stream = head + body * (gib * 64 - 1) + z.flush()
    pdf = make_pdf(streams=[b"BT /F1 12 Tf 72 700 Td (Bomb) Tj ET"])
    return pdf.replace(b"<< /Length 35 >>\nstream\nBT /F1 12 Tf 72 700 Td (Bomb) Tj ET\nendstream",
                       b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")


@pytest.fixture
def batch(tmp_path) -> Path:
    """A folder holding one good text document, to show the batch goes on around a bad file."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_bytes(SEED_TEXTS[3].read_bytes())
    return folder


def _ingest_cli(args: list[str]) -> tuple[object, float]:
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["ingest", *args], catch_exceptions=False)
    return result, time.monotonic() - started


def _split_error(line: str) -> tuple[str, str]:
    path, reason = re.match(r"Error: (.+?\.(?:pdf|txt)): (.+)", line).groups()
    return path, reason


def _documents(db_path: Path) -> list[str]:
    with closing(sqlite3.connect(db_path)) as conn:
        return [r[0] for r in conn.execute("select source from documents")]


# ---- limits ---------------------------------------------------------------------------------


def test_a_page_that_never_ends_is_stopped_by_the_hard_time_limit(batch, tmp_path):
    slow = batch / "endless-page.pdf"
    slow.write_bytes(_slow_pdf())
    result, took = _ingest_cli([str(batch), "--db", str(tmp_path / "kb.db"), "--timeout", "1.5",
                                "--engine", "pdfplumber"])
    assert result.exit_code == 1
    assert f"Error: {slow}: took longer than 1.5 s\n" in result.output
    assert "Traceback" not in result.output
    assert _documents(tmp_path / "kb.db") == [str(batch / "good.txt")]
    assert took < 30  # the page alone takes about 12 s on this machine (more under load), startup a few


def test_thousands_of_tiny_pages_are_refused_by_the_page_limit(batch, tmp_path):
    tiny = batch / "tiny-pages.pdf"
    tiny.write_bytes(make_pdf(streams=[b"BT /F1 1 Tf 1 1 Td (.) Tj ET"] * 2500))
    result, _ = _ingest_cli([str(batch), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 1
    assert f"Error: {tiny}: 2500 pages is over the 2000 page limit\n" in result.output
    assert _documents(tmp_path / "kb.db") == [str(batch / "good.txt")]


def test_a_file_over_the_size_limit_is_refused(batch, tmp_path):
    big = batch / "big.pdf"
    big.write_bytes(CORPUS_PDFS[0].read_bytes())
    result, _ = _ingest_cli([str(batch), "--db", str(tmp_path / "kb.db"), "--max-file-mb", "0.01"])
    assert result.exit_code == 1
    # Two decimals, so a small limit does not read "0.0 MB is over the 0.01 MB limit".
    assert f"Error: {big}: 0.05 MB is over the 0.01 MB limit\n" in result.output


@pytest.mark.parametrize("engine", ["auto", "pdfplumber"])
def test_a_decompression_bomb_fails_that_file_under_the_memory_cap(batch, tmp_path, engine):
    bomb = batch / "bomb.pdf"
    bomb.write_bytes(_bomb_pdf(2))
    assert bomb.stat().st_size < 5 << 20
    report = ingest(tmp_path / "kb.db", [batch], settings={"engine": engine}, memory_mb=1024)
    assert report.ingested == [str(batch / "good.txt")]
    assert [p for p, _ in report.failed] == [str(bomb)]
    # PDFium aborts when an allocation fails (the worker dies of SIGABRT); zlib under pdfminer
    # raises instead. Either way that file fails, says why, and the batch goes on.
    assert re.search(r"out of memory|Unable to allocate", report.failed[0][1]), report.failed[0][1]
    assert report.worker_peak_rss_kb < 1100 * 1024  # the cap held: no worker grew past it


def test_a_worker_killed_mid_document_fails_only_that_document():
    """A segfault in a C extension, made real: the worker extracting a slow page gets SIGSEGV."""
    slow = Path(os.environ.get("TMPDIR", "/tmp")) / f"wfkb-slow-{os.getpid()}.pdf"
    slow.write_bytes(_slow_pdf())
    tasks = [Task(CORPUS_PDFS[0]), Task(slow), Task(CORPUS_PDFS[1])]
    try:
        with WorkerPool(ExtractSettings(timeout_s=60, engine="pdfplumber"), jobs=1) as pool:
            outcomes = pool.map(tasks)
            assert next(outcomes).kind == "ok"
            pids = pool.worker_pids()
            threading.Timer(1.0, lambda: [os.kill(pid, signal.SIGSEGV) for pid in pids]).start()
            crashed, after = next(outcomes), next(outcomes)
    finally:
        slow.unlink()
    assert crashed.kind == "crash" and crashed.reason == "extraction crashed (SIGSEGV)"
    assert after.kind == "ok" and after.extracted.blocks


def test_parallel_ingest_builds_the_same_database_as_a_serial_one(tmp_path):
    serial, parallel = tmp_path / "serial.db", tmp_path / "parallel.db"
    assert not ingest(serial, sorted(CORPUS_PDFS), jobs=1).failed
    report = ingest(parallel, sorted(CORPUS_PDFS), jobs=3)  # more workers than cores: finishing out of order
    assert report.ingested == [str(p) for p in sorted(CORPUS_PDFS)] and not report.failed
    with closing(sqlite3.connect(serial)) as a, closing(sqlite3.connect(parallel)) as b:
        assert _tables(a) == _tables(b)
        for table in _tables(a):
            # Documents are written as their workers finish, so rowids may differ; every row is the same.
            query = f"select * from [{table}]"
            assert sorted(a.execute(query), key=repr) == sorted(b.execute(query), key=repr), table


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' "
                                       "and name not like '%_fts%' order by name")]


def test_jobs_must_be_positive(tmp_path):
    result = CliRunner().invoke(cli, ["ingest", str(SEED_TEXTS[0]), "--db", str(tmp_path / "kb.db"), "--jobs", "0"])
    assert result.exit_code == 2 and "--jobs" in result.output


# ---- fuzzing --------------------------------------------------------------------------------

FUZZ_TIMEOUT_S = 20


def test_mutated_files_ingest_or_fail_with_one_line_each(tmp_path):
    folder = tmp_path / "fuzz"
    folder.mkdir()
    for name, data in mutations(seed=2024, n=36):
        (folder / name).write_bytes(data)
    db_path = tmp_path / "kb.db"
    result, took = _ingest_cli([str(folder), "--db", str(db_path), "--jobs", "2",
                                "--timeout", str(FUZZ_TIMEOUT_S)])
    assert "Traceback" not in result.output
    errors = dict(_split_error(line) for line in result.output.splitlines() if line.startswith("Error: "))
    ingested = {Path(p).name for p in _documents(db_path)}
    names = {p.name for p in folder.iterdir()}
    assert ingested | {Path(p).name for p in errors} == names
    # Identical mutations are skipped as unchanged; otherwise a file is in or out, never both.
    assert not ingested & {Path(p).name for p in errors}
    assert not [r for r in errors.values() if r.startswith(("extraction crashed", "extraction failed"))]
    assert len(ingested) >= 3 and len(errors) >= 10  # both outcomes are exercised
    assert took < 36 * FUZZ_TIMEOUT_S / 2
    _assert_every_document_complete(db_path)


def _assert_every_document_complete(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        assert conn.execute("select count(*) from documents where id not in "
                            "(select document_id from blocks)").fetchone() == (0,)


# ---- untrusted content on the site ------------------------------------------------------------

HOSTILE_LINES = [
    "Workforce Strategy progress update",
    "Priority 1: Recruitment",
    "We will recruit <img src=x onerror=alert(1)> ten social workers by March 2025.",
    "We will publish [the plan](javascript:alert(2)) and **bold** <a href=\"javascript:alert(3)\">here</a>.",
    "We will review pay'); DROP TABLE documents; -- by April 2025.",
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from kb.site import make_datasette

    folder = tmp_path_factory.mktemp("hostile")
    pdf = folder / "hostile.pdf"
    pdf.write_bytes(make_pdf([[(50, 780 - 24 * i, 11, line) for i, line in enumerate(HOSTILE_LINES)]]))
    report = ingest(folder / "kb.db", [pdf])
    assert report.ingested, report.failed
    loop = asyncio.new_event_loop()
    yield folder / "kb.db", make_datasette(folder / "kb.db"), loop
    loop.close()


def test_markup_in_a_pdf_is_escaped_on_every_page(hostile_site):
    db_path, ds, loop = hostile_site
    with closing(sqlite3.connect(db_path)) as conn:
        doc_id = conn.execute("select id from documents").fetchone()[0]
        assert "onerror=alert(1)" in conn.execute("select text from documents").fetchone()[0]
        action_ids = [r[0] for r in conn.execute("select id from actions")]
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
    assert "documents" in tables and action_ids
    paths = [f"/kb/documents/{doc_id}", "/kb/documents", "/kb/actions", "/kb/blocks", "/kb/blocks?_search=recruit",
             "/-/search?q=recruit", *(f"/kb/actions/{a}" for a in action_ids)]
    for path in paths:
        page = loop.run_until_complete(ds.client.get(path))
        assert page.status_code == 200, path
        assert "<img src=x" not in page.text and 'href="javascript:' not in page.text, path
        assert "<strong>bold</strong>" not in page.text, path
    page = loop.run_until_complete(ds.client.get(f"/kb/documents/{doc_id}"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text


def test_a_runaway_select_is_stopped_by_the_time_limit(hostile_site):
    db_path, ds, loop = hostile_site
    endless = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    started = time.monotonic()
    page = loop.run_until_complete(ds.client.get("/kb.json", params={"sql": endless}))
    assert page.status_code == 400 and "interrupted" in page.text.lower()
    assert time.monotonic() - started < ds.setting("sql_time_limit_ms") / 1000 + 5
    for write in ("insert into documents (id) values ('x')", "drop table documents", "pragma writable_schema=1"):
        page = loop.run_until_complete(ds.client.get("/kb.json", params={"sql": write}))
        assert page.status_code == 400, write
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (1,)


# ---- SQL takes document values as parameters only ---------------------------------------------

SQL_CALLS = {"execute", "executescript", "query", "count_where", "rows_where", "delete_where"}
# Interpolations that are SQL the code itself wrote: a `where` of "council = ?" or "council is
# null", `marks` of "?, ?", `columns` a literal column list. Anything else must be an identifier
# quoted as [name]; a document's text, title or council always goes in as a parameter.
CODE_WRITTEN_SQL = {"where", "marks", "columns"}


def _interpolations(call: ast.Call) -> list[tuple[str, bool]]:
    """(expression, quoted as an identifier) for each {...} in an f-string passed as SQL."""
    found, previous = [], ""
    for part in call.args[0].values:
        if isinstance(part, ast.Constant):
            previous = part.value
        else:
            found.append((ast.unparse(part.value), previous.endswith("[")))
    return found


def test_sql_built_with_f_strings_interpolates_only_identifiers_and_code_written_clauses():
    root = Path(__file__).resolve().parents[2]
    sources = [root / "cli.py", *sorted((root / "kb").rglob("*.py")), *sorted((root / "extract").rglob("*.py"))]
    offending = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS
                    and node.args and isinstance(node.args[0], ast.JoinedStr)):
                offending += [f"{path.name}:{node.lineno}: {{{expr}}}" for expr, quoted in _interpolations(node)
                              if not quoted and expr not in CODE_WRITTEN_SQL]
    assert not offending, offending
