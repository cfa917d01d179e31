"""Page layouts other than the corpus's, drawn by the tests: two columns, numbered lists, a cover page."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("reportlab")
from reportlab.pdfgen import canvas  # noqa: E402

from extract.pipeline import extract_document, read_blocks  # noqa: E402
from schemas import BlockKind  # noqa: E402

ENGINES = ["auto", "pdfplumber"]


def _two_column_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 10)
    left = ["Our first priority is to recruit", "social workers who stay with us", "for the long term, and to grow",
            "our own through apprenticeships", "and the Step Up programme."]
    right = ["Our second priority is to keep", "caseloads manageable so that", "practitioners have time for the",
             "children and families they", "support every single week."]
    for k, (a, b) in enumerate(zip(left, right)):
        c.drawString(72, 740 - 14 * k, a)
        c.drawString(320, 740 - 14 * k, b)
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_two_column_page_is_read_column_by_column(tmp_path: Path, engine: str) -> None:
    blocks = read_blocks(_two_column_pdf(tmp_path / "two.pdf"), {"engine": engine})[0]
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.PARAGRAPH, "Our first priority is to recruit social workers who stay with us for the long "
                              "term, and to grow our own through apprenticeships and the Step Up programme."),
        (BlockKind.PARAGRAPH, "Our second priority is to keep caseloads manageable so that practitioners have "
                              "time for the children and families they support every single week."),
    ]


ITEMS = [("1.", "Recruit ten newly qualified social workers by March 2024."),
         ("2.", "Reduce the use of agency staff to 15%."), ("(a)", "Review caseloads every quarter."),
         ("(b)", "Publish the training offer."), ("i.", "Launch the mentoring scheme in January."),
         ("ii.", "Extend supervision to all teams.")]


def _numbered_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 760, "Next steps")
    c.setFont("Helvetica", 11)
    for k, (number, text) in enumerate(ITEMS):
        c.drawString(72, 730 - 20 * k, number)
        c.drawString(100, 730 - 20 * k, text)
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_numbered_lists_are_list_items(tmp_path: Path, engine: str) -> None:
    blocks = read_blocks(_numbered_pdf(tmp_path / "numbered.pdf"), {"engine": engine})[0]
    assert blocks[0].kind == BlockKind.HEADING and blocks[0].text == "Next steps"
    assert [(b.kind, b.marker, b.text) for b in blocks[1:]] == [(BlockKind.LIST_ITEM, m, t) for m, t in ITEMS]


PRIORITIES = [(1, "Recruitment", "We will recruit ten newly qualified social workers by March 2025."),
              (2, "Retention", "We will reduce turnover to 12% by 2026."),
              (3, "Development", "We will offer every social worker a training plan.")]


def _cover_and_contents_pdf(path: Path) -> Path:
    """A cover page, a contents page listing the priorities, then the body that sets them out."""
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica-Bold", 24)
    c.drawString(72, 600, "Children's Social Care")
    c.drawString(72, 570, "Workforce Strategy 2024-2027")
    c.setFont("Helvetica", 14)
    c.drawString(72, 530, "Exampleshire County Council")
    c.showPage()
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 760, "Contents")
    c.setFont("Helvetica", 11)
    entries = ["Introduction"] + [f"Priority {n}: {title}" for n, title, _ in PRIORITIES]
    for k, entry in enumerate(entries):
        c.drawString(72, 730 - 18 * k, entry)
        c.drawRightString(520, 730 - 18 * k, str(3 + k))
    c.showPage()
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 760, "Introduction")
    c.setFont("Helvetica", 11)
    c.drawString(72, 740, "This strategy sets out our priorities for the workforce.")
    for k, (n, title, action) in enumerate(PRIORITIES):
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, 700 - 80 * k, f"Priority {n}: {title}")
        c.setFont("Helvetica", 11)
        c.drawString(72, 678 - 80 * k, action)
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_priorities_in_a_contents_page_are_found_once_from_the_body(tmp_path: Path, engine: str) -> None:
    extracted = extract_document(_cover_and_contents_pdf(tmp_path / "strategy.pdf"), {"engine": engine})
    assert [(p.number, p.title, p.page) for p in extracted.priorities] == [(n, t, 3) for n, t, _ in PRIORITIES]
    assert [(a.text, a.page) for a in extracted.actions] == [(action, 3) for _, _, action in PRIORITIES]
