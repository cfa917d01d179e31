"""Table finding on the ICDAR 2013 table competition set: regions and cells, per engine.

Usage: python bench/bench_tables.py [DATASET_DIR] [--jobs N] [--iou 0.5 0.7] [--misses]

DATASET_DIR (default `../shared/bench/icdar2013` beside the repository) holds the 67 PDFs
with their `NAME-reg.xml` (table regions: page and box, PDF coordinates, origin bottom left)
and `NAME-str.xml` (each region's cells). Region files with no PDF are left out. Three
contenders are scored in one run:
  auto          `wfkb ingest` with the default engine; the KB's tables, one box per page
  pdfplumber    `wfkb ingest --engine pdfplumber`, the same way
  bare          pdfplumber's `page.find_tables()` with its default settings, cells from `extract()`
Predicted and gold boxes are matched one to one on the same page, greedily by intersection
over union, at each threshold. `cells` is the share of the gold cells' texts (whitespace
folded) found as a cell of the table matched at the first threshold: cells of gold regions
left unmatched count as not found. `--misses` lists the gold regions left unmatched and the
predictions matching nothing, per contender.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
from sqlite_utils import Database  # noqa: E402

from kb.build import ingest  # noqa: E402

DEFAULT_DATASET = ROOT.parent / "shared" / "bench" / "icdar2013"
_SPACE_RE = re.compile(r"\s+")

Box = tuple[float, float, float, float]  # x0, top, x1, bottom: pdfplumber's page coordinates


@dataclass
class Region:
    """One table's box on one page, with the texts of its cells."""

    document: str
    page: int
    box: Box
    cells: list[str] = field(default_factory=list)
    table: int = 0  # which predicted table of the document (its cells are shared by its pages)


def _fold(text: str | None) -> str:
    return _SPACE_RE.sub(" ", text or "").strip()


def _mediaboxes(pdf_path: Path) -> dict[int, tuple[float, ...]]:
    with pdfplumber.open(pdf_path) as pdf:
        return {p.page_number: tuple(map(float, p.mediabox)) for p in pdf.pages}


def _to_page_box(x1: float, y1: float, x2: float, y2: float, mediabox: tuple[float, ...]) -> Box:
    """A box in PDF coordinates (origin bottom left of the media box) in pdfplumber's, which
    do not turn a rotated page (nor does the ground truth)."""
    mx0, _, _, my1 = mediabox
    return x1 - mx0, my1 - y2, x2 - mx0, my1 - y1


def gold_regions(dataset: Path) -> tuple[list[Path], list[Region]]:
    """The PDFs that have region files, and their gold regions with cell texts."""
    pdfs, regions = [], []
    for reg in sorted(dataset.rglob("*-reg.xml")):
        pdf = reg.with_name(reg.name[: -len("-reg.xml")] + ".pdf")
        if not pdf.exists():
            continue
        pdfs.append(pdf)
        mediaboxes = _mediaboxes(pdf)
        cells = _gold_cells(reg.with_name(reg.name.replace("-reg.xml", "-str.xml")))
        for t, table in enumerate(ET.parse(reg).getroot().iter("table")):
            for r, region in enumerate(table.iter("region")):
                page = int(region.get("page"))
                b = region.find("bounding-box")
                box = _to_page_box(*(float(b.get(k)) for k in ("x1", "y1", "x2", "y2")), mediaboxes[page])
                regions.append(Region(pdf.name, page, box, cells.get((t, r), []), table=t))
    return pdfs, regions


def _gold_cells(path: Path) -> dict[tuple[int, int], list[str]]:
    if not path.exists():
        return {}
    out = {}
    for t, table in enumerate(ET.parse(path).getroot().iter("table")):
        for r, region in enumerate(table.iter("region")):
            texts = [_fold(c.findtext("content")) for c in region.iter("cell")]
            out[(t, r)] = [text for text in texts if text]
    return out


def ingested_regions(pdfs: list[Path], engine: str, jobs: int) -> list[Region]:
    """`wfkb ingest` of the PDFs into a fresh KB: each table block's box on each of its pages
    (`blocks.boxes`), with the cells of the `tables` row that holds it."""
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "kb.db"
        report = ingest(db_path, pdfs, {"engine": engine}, jobs=jobs)
        for path, reason in report.failed:
            print(f"  {engine}: {Path(path).name} failed: {reason}", file=sys.stderr)
        db = Database(db_path)
        names = {row["id"]: Path(row["source"]).name for row in db["documents"].rows}
        tables = list(db["tables"].rows) if "tables" in db.table_names() else []
        out = []
        for t, block in enumerate(db["blocks"].rows_where("kind = 'table'", order_by="document_id, seq")):
            row = next((r for r in tables if r["document_id"] == block["document_id"]
                        and r["char_start"] <= block["char_start"] < max(r["char_end"], r["char_start"] + 1)), None)
            rows = json.loads(row["cells"]) if row else [line.split(" | ") for line in block["text"].splitlines()]
            cells = [_fold(c) for r in rows for c in r if _fold(c)]
            for page, *box in json.loads(block["boxes"] or "[]"):
                out.append(Region(names[block["document_id"]], page, tuple(box), cells, table=t))
        db.close()
        return out


def bare_regions(pdfs: list[Path]) -> list[Region]:
    """pdfplumber's own `find_tables()`, default settings, on every page."""
    out = []
    for t, pdf_path in enumerate(pdfs):
        with pdfplumber.open(pdf_path) as pdf:
            for page in pdf.pages:
                for i, table in enumerate(page.find_tables()):
                    cells = [_fold(c) for r in table.extract() for c in r if _fold(c)]
                    out.append(Region(pdf_path.name, page.page_number, table.bbox, cells, table=(t, page.page_number, i)))
                page.close()
    return out


def iou(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def match(gold: list[Region], predicted: list[Region], threshold: float) -> dict[int, int]:
    """Gold index -> predicted index, one to one on the same page, best IoU first."""
    pairs = []
    for g, gr in enumerate(gold):
        for p, pr in enumerate(predicted):
            if gr.document == pr.document and gr.page == pr.page:
                score = iou(gr.box, pr.box)
                if score >= threshold:
                    pairs.append((score, g, p))
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, g, p in sorted(pairs, reverse=True):
        if g not in out and p not in used:
            out[g] = p
            used.add(p)
    return out


def cells_found(gold: list[Region], predicted: list[Region], matched: dict[int, int]) -> tuple[int, int]:
    found = total = 0
    for g, region in enumerate(gold):
        texts = set(predicted[matched[g]].cells) if g in matched else set()
        total += len(region.cells)
        found += sum(1 for text in region.cells if text in texts)
    return found, total


def _row(name: str, gold: list[Region], predicted: list[Region], threshold: float) -> tuple[str, dict[int, int]]:
    matched = match(gold, predicted, threshold)
    correct = len(matched)
    p = correct / len(predicted) if predicted else 0.0
    r = correct / len(gold) if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"| {name}, IoU >= {threshold} | {len(predicted)} | {correct} | {p:.3f} | {r:.3f} | {f1:.3f} |", matched


def _misses(name: str, gold: list[Region], predicted: list[Region], matched: dict[int, int]) -> None:
    used = set(matched.values())
    for g, region in enumerate(gold):
        if g not in matched:
            best = max((iou(region.box, p.box) for p in predicted
                        if p.document == region.document and p.page == region.page), default=0.0)
            print(f"  {name} missed {region.document} p{region.page} {_box(region.box)} best IoU {best:.2f}")
    for i, region in enumerate(predicted):
        if i not in used:
            print(f"  {name} extra  {region.document} p{region.page} {_box(region.box)}")


def _box(box: Box) -> str:
    return "(" + ", ".join(f"{v:.0f}" for v in box) + ")"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--iou", type=float, nargs="+", default=[0.5, 0.7])
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    pdfs, gold = gold_regions(args.dataset)
    print(f"{len(pdfs)} PDFs, {len(gold)} gold table regions, "
          f"{sum(len(g.cells) for g in gold)} gold cell texts\n")
    contenders = {}
    for name, engine in (("default engine", "auto"), ("--engine pdfplumber", "pdfplumber")):
        started = time.monotonic()
        contenders[name] = ingested_regions(pdfs, engine, args.jobs)
        print(f"{name}: ingested in {time.monotonic() - started:.1f} s", file=sys.stderr)
    contenders["bare pdfplumber find_tables()"] = bare_regions(pdfs)
    print("| | predicted | correct | P | R | F1 |\n|---|---|---|---|---|---|")
    cell_lines = []
    for name, predicted in contenders.items():
        for k, threshold in enumerate(args.iou):
            line, matched = _row(name, gold, predicted, threshold)
            print(line)
            if k == 0:
                found, total = cells_found(gold, predicted, matched)
                cell_lines.append(f"{name}: {found / total:.3f} of gold cell texts found ({found} of {total})")
                if args.misses:
                    _misses(name, gold, predicted, matched)
    print()
    print("\n".join(cell_lines))


if __name__ == "__main__":
    main()
