"""Words per second of record extraction alone, over blocks already built.

Usage: python bench/bench_records.py [CORPUS_DIR] [--repeat N] [--profile]

Reads every PDF and text file in CORPUS_DIR (default `corpus/`) into blocks once, untimed,
then times `extract.pipeline._extract_records` (priorities, actions, cohorts, targets, leads,
metrics) over those blocks and prints words per CPU second (the issue asks for >= 150,000).
The caches of per-text work (parses, word sets, section cues) are cleared before every pass,
so each pass does all the work a first ingest would; the pipeline itself is built once in an untimed warm-up. `--profile`
adds the CPU time of each extractor and the slowest functions.
"""
from __future__ import annotations

import argparse
import cProfile
import copy
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract import pipeline  # noqa: E402
from extract.pipeline import SUPPORTED_SUFFIXES, ExtractedDocument, extract_document  # noqa: E402

STAGES = ("find_priorities", "find_actions", "find_cohorts", "find_targets", "find_leads", "tables_to_metrics")


def load(corpus: Path) -> list[ExtractedDocument]:
    """Every document of the corpus with its blocks and no records."""
    files = sorted(p for p in corpus.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)
    if not files:
        raise SystemExit(f"no documents in {corpus}")
    docs = []
    for path in files:
        docs.append(extract_document(path, records=False))
    return docs


def one_pass(docs: list[ExtractedDocument]) -> float:
    """CPU seconds to extract every record type from every document's blocks."""
    fresh = [ExtractedDocument(document=d.document, blocks=copy.deepcopy(d.blocks)) for d in docs]
    pipeline.clear_text_caches()
    started = time.process_time()
    for extracted in fresh:
        pipeline._extract_records(extracted)
    return time.process_time() - started


def profile(docs: list[ExtractedDocument]) -> None:
    fresh = [ExtractedDocument(document=d.document, blocks=copy.deepcopy(d.blocks)) for d in docs]
    pipeline.clear_text_caches()
    profiler = cProfile.Profile()
    profiler.enable()
    for extracted in fresh:
        pipeline._extract_records(extracted)
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_name = {}
    for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items():
        if name in STAGES and "extract" in filename:
            by_name[name] = by_name.get(name, 0.0) + cumulative
    print("CPU seconds per extractor (profiled, so slower than the timed passes):")
    for name in STAGES:
        print(f"  {name:18s} {by_name.get(name, 0.0):6.3f}")
    stats.sort_stats("tottime").print_stats(15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "corpus"))
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; the best is reported (default 3)")
    parser.add_argument("--profile", action="store_true", help="also print where the time goes")
    args = parser.parse_args(argv)
    docs = load(Path(args.corpus))
    words = sum(len(d.document.text.split()) for d in docs)
    blocks = sum(len(d.blocks) for d in docs)
    one_pass(docs)  # warm-up: builds the spaCy pipeline and loads pattern files
    seconds = [one_pass(docs) for _ in range(args.repeat)]
    best = min(seconds)
    print(f"{len(docs)} documents, {blocks} blocks, {words} words from {args.corpus}")
    print(f"record extraction: {words / best:,.0f} words/s (best of {args.repeat}; "
          f"{best * 1000:.0f} ms per pass, median {sorted(seconds)[len(seconds) // 2] * 1000:.0f} ms)")
    if args.profile:
        profile(docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
