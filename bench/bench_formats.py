"""Ingest speed by format: the same paper as a PDF, a Word file and a web page.

Usage: python bench/bench_formats.py [--pages 20] [--repeat 3]

Writes one paper of `--pages` pages (a heading, numbered paragraphs and bulleted actions a
page, as committee reports print them) as a PDF, as a .docx with a page break after each
page, and as a web page repeated to at least 200 KB (with a PDF of the same text beside it),
then times `extract_document` (reading, blocks and every record type) on each, best of
`--repeat` with the per-text caches cleared, and prints pages and kilobytes per CPU second.
The Word file and the web page should take no longer than the PDF of the same length.
"""
from __future__ import annotations

import argparse
import html
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.pipeline import clear_text_caches, extract_document  # noqa: E402
from tests.pdfs import make_pdf  # noqa: E402


def paper_page(n: int) -> tuple[str, list[str], list[str]]:
    """Page n of the paper: a heading, paragraphs and action bullets (short enough for one PDF line each)."""
    heading = f"{n}. Recruitment and retention update, area {n}"
    paragraphs = [f"{n}.{k} The service recruited {k + 3} social workers to the assessment teams in quarter {k}."
                  for k in range(1, 9)]
    actions = [f"The Head of Service will review the caseloads of team {n}-{k} by March 2026." for k in range(1, 9)]
    return heading, paragraphs, actions


def as_pdf(pages: int) -> bytes:
    runs = []
    for n in range(1, pages + 1):
        heading, paragraphs, actions = paper_page(n)
        page, y = [(50, 790, 13, heading)], 765.0
        for line in paragraphs + ["\u2022 " + a for a in actions]:
            page.append((50, y, 10, line))
            y -= 22
        runs.append(page)
    return make_pdf(runs)


def as_docx(pages: int, path: Path) -> Path:
    import docx

    document = docx.Document()
    for n in range(1, pages + 1):
        heading, paragraphs, actions = paper_page(n)
        document.add_heading(heading, level=2)
        for text in paragraphs:
            document.add_paragraph(text)
        for text in actions:
            document.add_paragraph(text, style="List Bullet")
        if n < pages:
            document.add_page_break()
    document.save(path)
    return path


def as_html(min_bytes: int) -> tuple[bytes, int]:
    """A council web page of at least `min_bytes`, and how many paper pages it holds."""
    parts, n = [], 0
    while sum(map(len, parts)) < min_bytes:
        n += 1
        heading, paragraphs, actions = paper_page(n)
        parts.append(f"<h2>{html.escape(heading)}</h2>" + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
                     + "<ul>" + "".join(f"<li>{html.escape(a)}</li>" for a in actions) + "</ul>")
    page = ("<!DOCTYPE html><html><head><title>Workforce update</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<main><h1>Workforce update</h1>{''.join(parts)}</main><footer>Town Hall</footer></body></html>")
    return page.encode("utf-8"), n


def best_time(path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        clear_text_caches()
        started = time.process_time()
        extract_document(path)
        times.append(time.process_time() - started)
    return min(times)


def report(label: str, path: Path, pages: int, repeat: int) -> float:
    took = best_time(path, repeat)
    kb = path.stat().st_size / 1024
    print(f"{label:<34} {pages:3d} pages {kb:8.1f} KB  {took:6.3f} s  {pages / took:7.1f} pages/s  {kb / took:8.1f} KB/s")
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        extract_document(as_docx(1, folder / "warm.docx"))  # the spaCy pipeline built once, untimed
        pdf = folder / "paper.pdf"
        pdf.write_bytes(as_pdf(args.pages))
        word = as_docx(args.pages, folder / "paper.docx")
        page, page_pages = as_html(200 * 1024)
        web = folder / "paper.html"
        web.write_bytes(page)
        same_pdf = folder / "same.pdf"
        same_pdf.write_bytes(as_pdf(page_pages))
        pdf_s = report("PDF", pdf, args.pages, args.repeat)
        word_s = report("Word .docx", word, args.pages, args.repeat)
        same_s = report("PDF of the web page's text", same_pdf, page_pages, args.repeat)
        web_s = report("web page", web, page_pages, args.repeat)
    print(f"Word / PDF time: {word_s / pdf_s:.2f}; web page / PDF time: {web_s / same_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
