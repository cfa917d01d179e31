"""Ingest speed per PDF engine beside pdfplumber's bare `extract_text()`, on the same pages in the same run.

Usage: python bench/bench_ingest.py [CORPUS_DIR] [--generated-pages N] [--repeat N] [--no-warmup]
                                    [--peak-memory] [--jobs N]

Runs on CORPUS_DIR (default `corpus/`) and then on a larger corpus the benchmark makes from
it (at least N pages, default 300: the corpus documents concatenated in rotating orders,
written under /tmp, never into the repository). For every PDF it times, alternately per
file so that machine drift hits every contender alike:
  bare               pdfplumber.open(f) and page.extract_text() on every page
  reading/ENGINE     extract.read.pdf.pdf_to_items(f, engine=ENGINE): lines and tables in reading order
  blocks/ENGINE      extract.pipeline.extract_document(f, engine=ENGINE, records=False): the document,
                     its metadata and blocks: the ingest without record extraction
  pipeline/ENGINE    extract.pipeline.extract_document(f, engine=ENGINE): blocks and records
for ENGINE in pdfplumber (the reference path) and auto (the default: PDFium, with pdfplumber's
table finder run on PDFium's paths), and prints pages per second and the ratio to bare
(the issue asks for the default engine at >= 4x bare). Rates are pages per CPU second of
this process (`time.process_time`), so other jobs on a shared machine do not skew the
ratios; wall-clock rates are printed beside them. One untimed warm-up pass first loads
libraries and models. `--peak-memory` also runs `wfkb ingest` on the larger corpus in a
child process (with `--jobs N`) and prints its wall time and peak resident memory.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from extract.read.pdf import pdf_to_items  # noqa: E402
from extract.pipeline import clear_text_caches, extract_document  # noqa: E402

ENGINES = ("pdfplumber", "auto")
GENERATED_DIR = Path(tempfile.gettempdir()) / "wfkb-bench-corpus"


def bare_extract_text(path: Path) -> int:
    """pdfplumber's plain text extraction, page by page; returns the page count."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def contenders() -> dict[str, Callable[[Path], object]]:
    out: dict[str, Callable[[Path], object]] = {"bare": bare_extract_text}
    for engine in ENGINES:
        out[f"reading/{engine}"] = lambda p, e=engine: pdf_to_items(p, {"engine": e})
    for engine in ENGINES:
        out[f"blocks/{engine}"] = lambda p, e=engine: extract_document(p, {"engine": e}, records=False)
    for engine in ENGINES:
        out[f"pipeline/{engine}"] = lambda p, e=engine: extract_document(p, {"engine": e})
    return out


def generate_corpus(corpus: Path, min_pages: int, out_dir: Path = GENERATED_DIR) -> Path:
    """At least `min_pages` pages of PDFs made from the corpus: each file is every corpus
    document once, in a rotated order (so no two files share a hash or a first page)."""
    sources = sorted(corpus.glob("*.pdf"))
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.pdf"):
        old.unlink()
    pages, n = 0, 0
    while pages < min_pages:
        merged = pdfium.PdfDocument.new()
        for source in sources[n % len(sources):] + sources[:n % len(sources)]:
            with_pages = pdfium.PdfDocument(source)
            merged.import_pages(with_pages)
            with_pages.close()
        pages += len(merged)
        merged.save(out_dir / f"generated_{n:03d}.pdf")
        merged.close()
        n += 1
    return out_dir


def run(corpus: Path, repeat: int, warmup: bool) -> tuple[dict[str, tuple[float, float]], int]:
    """Pages per CPU second and per wall second for each contender, and pages timed."""
    files = sorted(corpus.glob("*.pdf"))
    if not files:
        raise SystemExit(f"no PDFs in {corpus}")
    timed = contenders()
    if warmup:
        for fn in timed.values():
            fn(files[0])
    cpu = dict.fromkeys(timed, 0.0)
    wall = dict.fromkeys(timed, 0.0)
    pages = 0
    for round_no in range(repeat):
        for i, path in enumerate(files):
            pages += _count(path)
            names = list(timed)
            if (i + round_no) % 2:
                names.reverse()
            for name in names:
                clear_text_caches()  # each contender does all its work afresh, as a first ingest does
                started, started_cpu = time.perf_counter(), time.process_time()
                timed[name](path)
                cpu[name] += time.process_time() - started_cpu
                wall[name] += time.perf_counter() - started
    return {name: (pages / cpu[name], pages / wall[name]) for name in timed}, pages


def peak_memory(corpus: Path, jobs: int) -> tuple[float, float]:
    """Wall seconds and peak resident MB of `wfkb ingest CORPUS` (default engine) in a child process."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run([str(ROOT / ".venv/bin/wfkb"), "ingest", str(corpus), "--db", f"{tmp}/kb.db",
                        "--jobs", str(jobs)], check=True, capture_output=True)
        elapsed = time.perf_counter() - started
    # ru_maxrss (KB on Linux) is the largest of the finished children: the main process or
    # one worker, whichever peaked highest.
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _count(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def report(label: str, rates: dict[str, tuple[float, float]], pages: int) -> None:
    print(f"{pages} pages from {label}")
    bare = rates["bare"][0]
    for name, (rate, wall_rate) in rates.items():
        ratio = "" if name == "bare" else f"   {rate / bare:5.2f}x bare"
        print(f"  {name:20s} {rate:7.2f} pages/s ({wall_rate:.2f} wall){ratio}")
    for engine in ENGINES:  # the records issue asks for extraction within 1.5x of the ingest without records
        blocks, pipeline = rates[f"blocks/{engine}"][0], rates[f"pipeline/{engine}"][0]
        print(f"  pipeline/{engine} takes {blocks / pipeline:.2f}x the time of blocks/{engine}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "corpus"))
    parser.add_argument("--generated-pages", type=int, default=300,
                        help="pages of the larger corpus made from CORPUS (0: skip it; default 300)")
    parser.add_argument("--repeat", type=int, default=1, help="passes over each corpus (default 1)")
    parser.add_argument("--no-warmup", action="store_true", help="time the first call too")
    parser.add_argument("--peak-memory", action="store_true",
                        help="also time `wfkb ingest` of the larger corpus and print its peak memory")
    parser.add_argument("--jobs", type=int, default=1, help="--jobs for the --peak-memory ingest (default 1)")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    report(str(corpus), *run(corpus, args.repeat, not args.no_warmup))
    if args.generated_pages > 0:
        larger = generate_corpus(corpus, args.generated_pages)
        report(f"{larger} (generated)", *run(larger, args.repeat, warmup=False))
        if args.peak_memory:
            elapsed, mb = peak_memory(larger, args.jobs)
            pages = sum(_count(p) for p in larger.glob("*.pdf"))
            print(f"wfkb ingest --jobs {args.jobs}: {pages} pages in {elapsed:.1f} s wall "
                  f"({pages / elapsed:.1f} pages/s), peak memory {mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
