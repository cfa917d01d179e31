"""One paper written in every format councils publish in: a web page, a Word file and a PDF.

The passages are written here once; the tests check that each format gives the same records."""
from __future__ import annotations

import html
from pathlib import Path

from tests.pdfs import make_pdf

TITLE = "Social Work Workforce Plan Update"
# (heading, [list items]) sections of the paper.
SECTIONS = [
    ("Progress", [
        "The council appointed 12 newly qualified social workers to the assessment teams in 2024.",
        "A new supervision policy was introduced for all social workers in October 2024.",
    ]),
    ("Next steps", [
        "The Head of Workforce Development will launch a recruitment campaign for experienced social workers by June 2025.",
        "We will reduce agency social workers to 15 by March 2026.",
    ]),
]


def as_html(furniture: bool = True) -> bytes:
    """The paper as a council's web page, with its navigation, banner and footer."""
    body = "".join(f"<h2>{html.escape(h)}</h2><ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"
                   for h, items in SECTIONS)
    page = (f"<!DOCTYPE html><html><head><title>{TITLE} | Example Council</title></head><body>"
            + ('<a class="skip-link" href="#main">Skip to content</a><div class="cookie-banner">We use cookies. '
               '<a href="/cookies">Cookie settings</a></div><header><nav><ul><li><a href="/">Home</a></li>'
               '<li><a href="/social-care">Social care</a></li></ul></nav></header>' if furniture else "")
            + f'<main id="main"><h1>{TITLE}</h1>{body}</main>'
            + ("<footer><p>Example Council, Town Hall</p><a href='/privacy'>Privacy notice</a></footer>" if furniture else "")
            + "</body></html>")
    return page.encode("utf-8")


def write_docx(path: Path) -> Path:
    """The paper as a Word file: Heading styles and Word's own bulleted list."""
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for heading, items in SECTIONS:
        document.add_heading(heading, level=2)
        for item in items:
            document.add_paragraph(item, style="List Bullet")
    document.save(path)
    return path


def as_pdf(size: float = 9.0) -> bytes:
    """The paper as a one-page PDF: a larger title and headings, bulleted items."""
    runs, y = [(50, 780, 16, TITLE)], 750.0
    for heading, items in SECTIONS:
        runs.append((50, y, 13, heading))
        y -= 24
        for item in items:
            runs.append((50, y, size, "\u2022 " + item))
            y -= 18
        y -= 10
    return make_pdf([runs])


def records(extracted) -> list[tuple]:
    """What must be the same in every format: each action's text, kind, lead and due date."""
    return sorted((a.text, a.kind, a.lead, a.due_date) for a in extracted.actions)
