"""Linking time for synthetic actions, with the fitted growth exponent.

Synthetic actions are perturbed copies of real ones (from a built KB, default kb.db).
Two cases: many councils, each with three editions that restate its statements
(1k, 10k, 100k actions), and one council whose every edition restates all the real
statements (1k, 4k, 16k actions, so ever more editions of one council).

    python bench/bench_links.py [--db kb.db] [--sizes 1000 10000 100000] [--council-sizes 1000 4000 16000]
"""
from __future__ import annotations

import argparse
import math
import random
import tempfile
import time
from pathlib import Path
from typing import Callable

from sqlite_utils import Database

from kb.dedup import link_commitments

PER_COUNCIL = 60   # statements per edition
EDITIONS = 3


def perturb(text: str, rnd: random.Random) -> str:
    words = text.split()
    if len(words) > 4:
        op = rnd.randrange(3)
        i = rnd.randrange(len(words))
        if op == 0:
            del words[i]
        elif op == 1:
            words[i] = rnd.choice(words)
        else:
            words.insert(i, rnd.choice(("also", "now", "further", "new", "regular")))
    return " ".join(words)


def synthetic(path: Path, real: list[str], n: int, seed: int = 1) -> Database:
    rnd = random.Random(seed)
    councils = max(1, n // (PER_COUNCIL * EDITIONS))
    return _write(path, [(f"Council {c}", EDITIONS, rnd.sample(real, min(PER_COUNCIL, len(real))))
                         for c in range(councils)], rnd)


def one_council(path: Path, real: list[str], n: int, seed: int = 1) -> Database:
    """One council whose editions (as many as `n` actions need) each restate every real statement."""
    return _write(path, [("Council 0", max(1, n // len(real)), real)], random.Random(seed))


def _write(path: Path, councils: list[tuple[str, int, list[str]]], rnd: random.Random) -> Database:
    db = Database(path)
    docs, actions = [], []
    for c, (council, editions, base) in enumerate(councils):
        for e in range(editions):
            doc = f"c{c}e{e}"
            docs.append({"id": doc, "council": council, "published": f"{2021 + e // 4}-{3 * (e % 4) + 1:02d}"})
            for k, text in enumerate(base):
                actions.append({"id": f"{doc}a{k}", "document_id": doc, "council": council,
                                "text": perturb(text, rnd), "kind": rnd.choice(("progress", "commitment")),
                                "lead": None, "due_text": None, "due_date": None, "page": 1, "char_start": k})
    db["documents"].insert_all(docs, pk="id")
    db["actions"].insert_all(actions, pk="id", batch_size=5000)
    return db


def fitted_exponent(points: list[tuple[int, float]]) -> float:
    """Slope of log(y) against log(n): 1 is linear growth, 2 is all pairs."""
    xs, ys = [math.log(n) for n, _ in points], [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def run(title: str, make: Callable[[Path, list[str], int], Database], real: list[str], sizes: list[int],
        tmp: str) -> None:
    print(title)
    times, comparisons = [], []
    for n in sizes:
        db = make(Path(tmp) / f"{make.__name__}{n}.db", real, n)
        t0 = time.perf_counter()
        report = link_commitments(db)
        dt = time.perf_counter() - t0
        times.append((report.actions, dt))
        comparisons.append((report.actions, max(report.comparisons, 1)))  # 0 (no keys left) has no log
        print(f"{report.actions:>7} actions  {db['documents'].count:>5} documents  {dt:8.2f} s  "
              f"{report.comparisons:>9} comparisons  {report.clusters:>7} clusters")
    print(f"fitted growth exponent: {fitted_exponent(times):.2f} (must stay below 1.3); "
          f"of comparisons {fitted_exponent(comparisons):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="kb.db", help="a built KB whose action texts are copied")
    ap.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000, 100000])
    ap.add_argument("--council-sizes", nargs="+", type=int, default=[1000, 4000, 16000])
    args = ap.parse_args()
    real = sorted({r["text"] for r in Database(args.db).query("select text from actions")
                   if len(r["text"].split()) > 3})
    with tempfile.TemporaryDirectory() as tmp:
        run(f"many councils of {EDITIONS} editions x {PER_COUNCIL} statements:", synthetic, real, args.sizes, tmp)
        run(f"one council, each edition restating all {len(real)} real statements:", one_council, real,
            args.council_sizes, tmp)


if __name__ == "__main__":
    main()
