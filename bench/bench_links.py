"""Linking time for 1k, 10k and 100k synthetic actions, with the fitted growth exponent.

Synthetic actions are perturbed copies of real ones (from a built KB, default kb.db)
spread over many councils, each with three editions that restate its statements.

    python bench/bench_links.py [--db kb.db] [--sizes 1000 10000 100000]
"""
from __future__ import annotations

import argparse
import math
import random
import tempfile
import time
from pathlib import Path

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
    db = Database(path)
    councils = max(1, n // (PER_COUNCIL * EDITIONS))
    docs, actions = [], []
    for c in range(councils):
        base = rnd.sample(real, min(PER_COUNCIL, len(real)))
        for e in range(EDITIONS):
            doc = f"c{c}e{e}"
            docs.append({"id": doc, "council": f"Council {c}", "published": f"{2021 + e}"})
            for k, text in enumerate(base):
                actions.append({"id": f"{doc}a{k}", "document_id": doc, "council": f"Council {c}",
                                "text": perturb(text, rnd), "kind": rnd.choice(("progress", "commitment")),
                                "lead": None, "due_text": None, "due_date": None, "page": 1, "char_start": k})
    db["documents"].insert_all(docs, pk="id")
    db["actions"].insert_all(actions, pk="id", batch_size=5000)
    return db


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="kb.db", help="a built KB whose action texts are copied")
    ap.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000, 100000])
    args = ap.parse_args()
    real = [r["text"] for r in Database(args.db).query("select text from actions") if len(r["text"].split()) > 3]
    points = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            db = synthetic(Path(tmp) / f"bench{n}.db", real, n)
            t0 = time.perf_counter()
            report = link_commitments(db)
            dt = time.perf_counter() - t0
            points.append((report.actions, dt))
            print(f"{report.actions:>7} actions  {dt:8.2f} s  {report.comparisons:>9} comparisons  "
                  f"{report.clusters:>7} clusters")
    xs, ys = [math.log(n) for n, _ in points], [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    print(f"fitted growth exponent: {slope:.2f} (must stay below 1.3)")


if __name__ == "__main__":
    main()
