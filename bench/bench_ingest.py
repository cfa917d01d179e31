"""Ingest speed beside pdfplumber's bare `extract_text()`, on the same pages in the same run.

Usage: python bench/bench_ingest.py [CORPUS_DIR] [--repeat N] [--no-warmup]

For every PDF in CORPUS_DIR (default `corpus/`) it times, alternately per file so that
machine drift hits both sides alike:
  bare      pdfplumber.open(f) and page.extract_text() on every page
  reading   extract.pdf.pdf_to_items(f): lines and tables in reading order
  pipeline  extract.pipeline.extract_document(f): blocks and records (when importable)
and prints pages per second for each and the ratios reading/bare and pipeline/bare
(the issue requires pipeline/bare >= 0.8). One untimed warm-up pass first loads
libraries and models, so the figures are per-page costs, not start-up. Rates are pages per
CPU second of this process (`time.process_time`), so other jobs on a shared machine do
not skew the ratio; wall-clock rates are printed beside them.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from extract.pdf import pdf_to_items  # noqa: E402


def bare_extract_text(path: Path) -> int:
    """pdfplumber's plain text extraction, page by page; returns the page count."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def reading_layer(path: Path) -> int:
    return pdf_to_items(path).pages


def _pipeline() -> Callable[[Path], object] | None:
    try:
        from extract.pipeline import extract_document
    except Exception as e:  # the pipeline is optional here: the reading layer is timed anyway
        print(f"(pipeline not timed: {type(e).__name__}: {e})", file=sys.stderr)
        return None
    return extract_document


def run(corpus: Path, repeat: int, warmup: bool) -> tuple[dict[str, tuple[float, float]], int]:
    """Pages per CPU second and per wall second for each contender, and pages timed."""
    files = sorted(corpus.glob("*.pdf"))
    if not files:
        raise SystemExit(f"no PDFs in {corpus}")
    contenders: dict[str, Callable[[Path], object]] = {"bare": bare_extract_text, "reading": reading_layer}
    pipeline = _pipeline()
    if pipeline is not None:
        contenders["pipeline"] = pipeline
    if warmup:
        for fn in contenders.values():
            fn(files[0])
    cpu = dict.fromkeys(contenders, 0.0)
    wall = dict.fromkeys(contenders, 0.0)
    pages = 0
    for round_no in range(repeat):
        for i, path in enumerate(files):
            pages += _count(path)
            names = list(contenders)
            if (i + round_no) % 2:
                names.reverse()
            for name in names:
                started, started_cpu = time.perf_counter(), time.process_time()
                contenders[name](path)
                cpu[name] += time.process_time() - started_cpu
                wall[name] += time.perf_counter() - started
    return {name: (pages / cpu[name], pages / wall[name]) for name in contenders}, pages


def _count(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "corpus"))
    parser.add_argument("--repeat", type=int, default=1, help="passes over the corpus (default 1)")
    parser.add_argument("--no-warmup", action="store_true", help="time the first call too")
    args = parser.parse_args(argv)
    rates, pages = run(Path(args.corpus), args.repeat, not args.no_warmup)
    print(f"{pages} pages from {args.corpus}")
    bare = rates["bare"][0]
    for name, (rate, wall_rate) in rates.items():
        ratio = "" if name == "bare" else f"   ratio {name}/bare {rate / bare:.2f}"
        print(f"{name:9s} {rate:6.2f} pages/s ({wall_rate:.2f} wall){ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
