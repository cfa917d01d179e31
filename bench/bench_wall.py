"""The time a person waits: wall seconds of the real `wfkb ingest`, run as a user runs it.

Usage: python bench/bench_wall.py [--repeat N] [--skip-large-kb]

Every run is a cold process (`.venv/bin/wfkb ingest ... --timings`) into a fresh database, on:
  one report     one corpus document (median of N runs, default 5)
  batch of 20    the five corpus documents four times over, each copy with its pages in another
                 order (so that no two share a hash): 20 PDFs, 156 pages
  312 pages      the generated corpus of `bench/bench_ingest.py`
each with the default settings (engine auto, --jobs the usable cores), with --jobs 1, and with
--engine pdfplumber --jobs 1, and prints wall seconds per stage: start-up (the process and its
imports, up to the first worker's work), extraction (the writer waiting for the workers),
writing and derived tables (series, audit, links, search index).

It then builds a KB of 100 councils x 20 documents from perturbed copies of the corpus's
records (as `bench/bench_links.py` does) and times adding one corpus report to it, beside
adding the same report to an empty KB. Everything is written under /tmp.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from bench.bench_ingest import generate_corpus  # noqa: E402
from bench.bench_links import perturb  # noqa: E402

WFKB = ROOT / ".venv" / "bin" / "wfkb"
CORPUS = ROOT / "corpus"
REPORT = CORPUS / "002_c2b6556e76a60ddc.pdf"
WORK = Path(tempfile.gettempdir()) / "wfkb-bench-wall"
SETTINGS = {"default": [], "--jobs 1": ["--jobs", "1"], "pdfplumber --jobs 1": ["--engine", "pdfplumber", "--jobs", "1"]}
STAGES = ("start-up", "extraction", "writing", "derived tables")


def timed_ingest(sources: list[Path], db: Path, options: list[str], fresh: bool = True) -> dict[str, float]:
    """Wall seconds of one cold `wfkb ingest`, in total and per stage (into a new database if `fresh`)."""
    for old in db.parent.glob(db.name + "*") if fresh else ():
        old.unlink()
    started = time.perf_counter()
    out = subprocess.run([str(WFKB), "ingest", *map(str, sources), "--db", str(db), "--timings", *options],
                         capture_output=True, text=True)
    total = time.perf_counter() - started
    if out.returncode:
        raise SystemExit(f"wfkb ingest failed: {out.stderr.strip()}")
    line = next(li for li in out.stderr.splitlines() if li.startswith("seconds: "))
    stages = {k: float(v) for k, v in (p.rsplit(" ", 1) for p in line.removeprefix("seconds: ").split(", "))}
    stages["start-up"] = total - sum(stages.values())
    return {"total": total, **stages}


def batch_of_twenty(out_dir: Path) -> Path:
    """The corpus four times over, each copy with its pages rotated by one more page."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.pdf"):
        old.unlink()
    for source in sorted(CORPUS.glob("*.pdf")):
        pdf = pdfium.PdfDocument(source)
        n = len(pdf)
        for k in range(4):
            copy = pdfium.PdfDocument.new()
            copy.import_pages(pdf, [(i + k) % n for i in range(n)])
            copy.save(out_dir / f"{source.stem}_{k}.pdf")
            copy.close()
        pdf.close()
    return out_dir


def print_case(label: str, runs: dict[str, dict[str, float]]) -> None:
    print(f"\n{label}")
    print(f"  {'settings':22s} {'total':>7s} " + " ".join(f"{s:>15s}" for s in STAGES))
    for name, t in runs.items():
        print(f"  {name:22s} {t['total']:7.2f} " + " ".join(f"{t.get(s, 0.0):15.2f}" for s in STAGES))
    default, reference = runs["default"]["total"], runs["pdfplumber --jobs 1"]["total"]
    print(f"  default takes {reference / default:.2f}x less wall time than pdfplumber --jobs 1; "
          f"derived tables {100 * runs['default']['derived tables'] / default:.0f}% of its total")


def large_kb(path: Path, councils: int = 100, documents: int = 20, seed: int = 1) -> Path:
    """A KB of `councils` x `documents` made of perturbed copies of the corpus KB's documents and
    records, derived tables built. The corpus's own councils are among them, so adding a corpus
    report lands in a council that already has `documents` documents."""
    source = WORK / "corpus.db"
    timed_ingest([CORPUS], source, [])
    rnd = random.Random(seed)
    src = sqlite3.connect(source)
    src.row_factory = sqlite3.Row
    docs = [dict(r) for r in src.execute("select * from documents")]
    names = sorted({d["council"] for d in docs}) + [f"Council {i:03d}" for i in range(councils)]
    shutil.copy(source, path)
    dst = sqlite3.connect(path)
    tables = ["priorities", "actions", "targets", "cohorts", "leads", "metrics"]
    rows = {t: [dict(r) for r in src.execute(f"select * from [{t}]")] for t in tables}
    for table in ["documents", "blocks", "tables", *tables]:
        dst.execute(f"delete from [{table}]")
    for council in names[:councils]:
        for n in range(documents):
            doc = dict(rnd.choice(docs))
            old_id = doc["id"]
            doc["id"] = f"{council}-{n:02d}-{old_id[:8]}"
            doc.update(council=council, published=f"{2000 + n}-{rnd.randint(1, 12):02d}")
            _insert(dst, "documents", [doc])
            for table in tables:
                copies = []
                for r in rows[table]:
                    if r.get("document_id", old_id) != old_id or (table == "leads" and n):
                        continue
                    r = dict(r, id=f"{doc['id']}-{r['id']}", council=council)
                    if "document_id" in r:
                        r["document_id"] = doc["id"]
                    if "text" in r and r["text"]:
                        r["text"] = perturb(r["text"], rnd)
                    copies.append(r)
                _insert(dst, table, copies)
    dst.commit()
    dst.close()
    from sqlite_utils import Database

    from kb.build import refresh_derived_tables
    refresh_derived_tables(Database(path))
    return path


def _insert(db: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    if rows:
        columns = list(rows[0])
        db.executemany(f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                       f"values ({', '.join('?' * len(columns))})", [[r[c] for c in columns] for r in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of the one-report case (median)")
    parser.add_argument("--skip-large-kb", action="store_true", help="leave out the 100 x 20 KB case")
    parser.add_argument("--only-large-kb", action="store_true", help="run only the 100 x 20 KB case")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / "kb.db"
    cases = {} if args.only_large_kb else {f"one report ({REPORT.name}), median of {args.repeat}": [REPORT],
             "batch of 20 PDFs, 156 pages": [batch_of_twenty(WORK / "batch")],
             "312 generated pages": [generate_corpus(CORPUS, 300)]}
    for label, sources in cases.items():
        runs = {}
        for name, options in SETTINGS.items():
            repeat = args.repeat if sources == [REPORT] else 1
            samples = [timed_ingest(sources, db, options) for _ in range(repeat)]
            runs[name] = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
        print_case(label, runs)
    if not args.skip_large_kb:
        empty = statistics.median(timed_ingest([REPORT], db, [])["total"] for _ in range(3))
        big = large_kb(WORK / "large.db")
        samples = []
        for _ in range(3):
            shutil.copy(big, db)
            samples.append(timed_ingest([REPORT], db, [], fresh=False))
        added = statistics.median(s["total"] for s in samples)
        print(f"\nadding {REPORT.name} (default settings): {empty:.2f} s to an empty KB, {added:.2f} s to a KB "
              f"of 100 councils x 20 documents ({added / empty:.2f}x; derived tables "
              f"{statistics.median(s['derived tables'] for s in samples):.2f} s)")


if __name__ == "__main__":
    main()
