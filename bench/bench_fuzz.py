"""Fuzzing and memory: mutated corpus PDFs through the real ingest, and peak memory on the corpus.

Usage: python bench/bench_fuzz.py [CORPUS_DIR] [--n 1000] [--seed 1] [--jobs 2] [--timeout 20]

1. Writes N seeded mutations of the corpus PDFs (truncated, bytes flipped, objects removed,
   streams corrupted, numbers bent, chunks spliced) and random text files
   (`tests/kb/test_reliability.mutations`) to a temporary folder and ingests them in one batch
   with `kb.build.ingest`, as `wfkb ingest` does. Prints how many were ingested, unchanged (a
   mutation identical to an earlier one), refused (the one-line error), timed out and crashed
   (a worker died or an extractor raised something other than a WorkforceKBError). Crashed must
   be 0; each crash is listed with its file so it can be reproduced.
2. Ingests CORPUS_DIR (after an untimed warm-up run) with --jobs 1 and with --jobs N into fresh
   databases and prints wall time and peak memory (max RSS) of the main process and of the
   largest extraction worker.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.build import IngestReport, ingest  # noqa: E402
from tests.kb.test_reliability import mutations  # noqa: E402


def fuzz(corpus: Path, n: int, seed: int, jobs: int, timeout_s: float, keep: Path | None) -> IngestReport:
    folder = keep or Path(tempfile.mkdtemp(prefix="wfkb-fuzz-"))
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in mutations(seed, n, sorted(corpus.glob("*.pdf"))):
        (folder / name).write_bytes(data)
    started = time.monotonic()
    report = ingest(folder / "fuzz.db", [folder], settings={"timeout_s": timeout_s}, jobs=jobs)
    took = time.monotonic() - started
    refused = len(report.failed) - len(report.timed_out) - len(report.crashed)
    print(f"fuzz: {n} files (seed {seed}, --jobs {jobs}, --timeout {timeout_s:g}) in {took:.0f} s")
    print(f"  ingested {len(report.ingested)}, unchanged {len(report.unchanged)}, refused {refused}, "
          f"timed out {len(report.timed_out)}, crashed {len(report.crashed)}")
    reasons = Counter(_reason_kind(r) for p, r in report.failed if p not in report.crashed)
    for reason, count in reasons.most_common(8):
        print(f"    {count:4d}  {reason}")
    for path, reason in report.failed:
        if path in report.crashed:
            print(f"  CRASHED {path}: {reason}")
    print(f"  peak RSS: main process {_self_mb():.0f} MB, largest worker {report.worker_peak_rss_kb / 1024:.0f} MB")
    print(f"  files kept in {folder}")
    return report


def _reason_kind(reason: str) -> str:
    """A reason without its variable details, for counting."""
    return reason.split(" (")[0].split(":")[0][:70]


def corpus_memory(corpus: Path, jobs: int) -> None:
    """Wall time and peak memory of ingesting the corpus; one untimed run first starts the fork server."""
    for n, label in [(1, "warm-up"), (1, ""), (jobs, "")]:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.monotonic()
            report = ingest(Path(tmp) / "kb.db", [corpus], jobs=n)
            took = time.monotonic() - started
        print(f"corpus --jobs {n}{' (' + label + ')' if label else ''}: {len(report.ingested)} documents in "
              f"{took:.1f} s; peak RSS: main process {_self_mb():.0f} MB, "
              f"largest worker {report.worker_peak_rss_kb / 1024:.0f} MB")


def _self_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "corpus"), type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--keep", type=Path, help="write the mutated files (and fuzz.db) here")
    args = parser.parse_args(argv)
    corpus_memory(args.corpus, args.jobs)
    report = fuzz(args.corpus, args.n, args.seed, args.jobs, args.timeout, args.keep)
    return 1 if report.crashed else 0


if __name__ == "__main__":
    sys.exit(main())
