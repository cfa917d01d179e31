"""Fuzzing and memory: mutated corpus PDFs, web pages and Word files through the real ingest, and peak memory.

Usage: python bench/bench_fuzz.py [CORPUS_DIR] [--n 1000] [--seed 1] [--jobs 2] [--timeout 20] [--kinds pdf,web]

1. Writes N seeded mutations of the corpus PDFs (truncated, bytes flipped, objects removed,
   streams corrupted, numbers bent, chunks spliced) and random text files
   (`tests/kb/test_reliability.mutations`) to a temporary folder and ingests them in one batch
   with `kb.build.ingest`, as `wfkb ingest` does. Prints how many were ingested, unchanged (a
   mutation identical to an earlier one), refused (the one-line error), timed out and crashed
   (a worker died or an extractor raised something other than a WorkforceKBError). Crashed must
   be 0; each crash is listed with its file so it can be reproduced.
   With `web` in --kinds, N more: mutations of the ModernGov test pages, a council web page and
   Word files (`document_mutations`: bytes truncated, flipped or spliced; markup unclosed, nested
   deep, spans of millions of cells; Word parts removed, their XML cut or bent, numbering and
   merged cells out of range), through the same batch ingest.
2. Ingests CORPUS_DIR (after an untimed warm-up run) with --jobs 1 and with --jobs N into fresh
   databases and prints wall time and peak memory (max RSS) of the main process and of the
   largest extraction worker.
"""
from __future__ import annotations

import argparse
import io
import random
import re
import resource
import zipfile
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.build import IngestReport, ingest  # noqa: E402
from tests import formats  # noqa: E402
from tests.kb.test_reliability import mutations  # noqa: E402

PAGES = ROOT / "tests" / "pages" / "moderngov"


def fuzz(corpus: Path, n: int, seed: int, jobs: int, timeout_s: float, keep: Path | None,
         kind: str = "pdf") -> IngestReport:
    folder = keep or Path(tempfile.mkdtemp(prefix=f"wfkb-fuzz-{kind}-"))
    folder.mkdir(parents=True, exist_ok=True)
    made = mutations(seed, n, sorted(corpus.glob("*.pdf"))) if kind == "pdf" else document_mutations(seed, n)
    for name, data in made:
        (folder / name).write_bytes(data)
    started = time.monotonic()
    report = ingest(folder / "fuzz.db", [folder], settings={"timeout_s": timeout_s}, jobs=jobs)
    took = time.monotonic() - started
    refused = len(report.failed) - len(report.timed_out) - len(report.crashed)
    print(f"fuzz ({kind}): {n} files (seed {seed}, --jobs {jobs}, --timeout {timeout_s:g}) in {took:.0f} s")
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


# --- web pages and Word files -------------------------------------------------------------


def _web_sources() -> list[bytes]:
    return [p.read_bytes() for p in sorted(PAGES.glob("*.html"))] + [formats.as_html()]


def _word_sources() -> list[bytes]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("fake_moderngov", ROOT / "tests/data/moderngov/fake_moderngov.py")
    fake = sys.modules.setdefault("fake_moderngov", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(fake)
    with tempfile.TemporaryDirectory() as tmp:
        plan = formats.write_docx(Path(tmp) / "plan.docx").read_bytes()
    return [plan, fake.appendix_docx()]


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randrange(0, max(1, len(data)))]


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([1, 5, 50])):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _splice(data: bytes, rng: random.Random) -> bytes:
    a, b = sorted(rng.randrange(len(data) + 1) for _ in range(2))
    return data[:a] + data[b:] + data[a:b] * rng.choice([0, 1, 2])


_HOSTILE_MARKUP = [b"<div>" * 5000, b"<table><tr><td colspan='99999999' rowspan='99999999'>x</td></tr></table>",
                   b"<ol start='-99999999999999999999' type='I'><li>a</li></ol>", b"<li value='1e9'>",
                   b"</main></body></html><html><body>", b"<script>" + b"x" * 10000, b"<!--", b"<![CDATA[",
                   b"<meta charset='utf-32'>", b"\x00", b"&#xFFFFFFFF;&#0;", b"<br>" * 20000,
                   b"<table>" + b"<tr><td>1</td><td>2</td></tr>" * 3000 + b"</table>", b"<h9>", b"<p>" * 3000]


def _insert_markup(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(_HOSTILE_MARKUP) + data[at:]


def _drop_tags(data: bytes, rng: random.Random) -> bytes:
    tags = [m.span() for m in re.finditer(rb"</?[a-zA-Z][^>]{0,80}>", data)]
    for start, end in sorted(rng.sample(tags, min(len(tags), rng.choice([1, 10, 100]))), reverse=True):
        data = data[:start] + data[end:]
    return data


WEB_MUTATORS = [_truncate, _flip, _splice, _insert_markup, _insert_markup, _drop_tags]


def _rezip(data: bytes, change) -> bytes:
    """The .docx package with its parts passed through `change(name, content) -> content | None`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info))
            if content is not None:
                target.writestr(info.filename, content)
    return out.getvalue()


def _bend_part(data: bytes, rng: random.Random) -> bytes:
    """One XML part of the package cut short, flipped, emptied or removed."""
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    victim = rng.choice(names)
    how = rng.choice(["cut", "flip", "empty", "remove"])

    def change(name: str, content: bytes) -> bytes | None:
        if name != victim:
            return content
        return {"cut": lambda: _truncate(content, rng), "flip": lambda: _flip(content, rng),
                "empty": lambda: b"", "remove": lambda: None}[how]()
    return _rezip(data, change)


_HOSTILE_XML = [(rb'<w:numId w:val="\d+"/>', b'<w:numId w:val="999999"/>'),
                (rb'<w:ilvl w:val="\d+"/>', b'<w:ilvl w:val="-7"/>'),
                (rb'<w:lvlText w:val="[^"]*"/>', b'<w:lvlText w:val="%9%1%0%%%"/>'),
                (rb'<w:start w:val="\d+"/>', b'<w:start w:val="99999999999999999999"/>'),
                (rb"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="99999999"/><w:vMerge/>'),
                (rb"<w:p>", b"<w:p><w:pPr><w:outlineLvl w:val='x'/><w:numPr><w:numId/></w:numPr></w:pPr>"),
                (rb"<w:body>", b"<w:body>" + b"<w:tbl><w:tr><w:tc>" * 200)]


def _bend_values(data: bytes, rng: random.Random) -> bytes:
    """Numbering, levels and merged cells given values out of range, or the body nested deep."""
    pattern, replacement = rng.choice(_HOSTILE_XML)
    return _rezip(data, lambda name, content: re.sub(pattern, replacement, content)
                  if name.endswith(".xml") else content)


WORD_MUTATORS = [_truncate, _flip, _splice, _bend_part, _bend_part, _bend_values, _bend_values]


def document_mutations(seed: int, n: int) -> list[tuple[str, bytes]]:
    """n (file name, content) pairs: about half mutated web pages, half mutated Word files."""
    rng = random.Random(seed)
    web, word = _web_sources(), _word_sources()
    out = []
    for i in range(n):
        is_word = rng.random() < 0.5
        data = rng.choice(word if is_word else web)
        names = []
        for _ in range(rng.choice([1, 1, 2])):
            mutate = rng.choice(WORD_MUTATORS if is_word else WEB_MUTATORS)
            try:
                data = mutate(data, rng)
            except Exception:  # a package an earlier step broke (bad ZIP, bad deflate): bend its bytes instead
                mutate = _flip
                data = mutate(data, rng)
            names.append(mutate.__name__.strip("_"))
        out.append((f"m{i:04d}_{'+'.join(names)}.{'docx' if is_word else 'html'}", data))
    return out


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
    parser.add_argument("--kinds", default="pdf,web", help="pdf (PDFs and texts), web (web pages and Word files)")
    parser.add_argument("--no-memory", action="store_true", help="skip the corpus memory runs")
    args = parser.parse_args(argv)
    if not args.no_memory:
        corpus_memory(args.corpus, args.jobs)
    crashed = 0
    for kind in args.kinds.split(","):
        keep = args.keep / kind if args.keep else None
        crashed += len(fuzz(args.corpus, args.n, args.seed, args.jobs, args.timeout, keep, kind).crashed)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
