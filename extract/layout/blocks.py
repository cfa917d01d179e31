"""Lines -> layout blocks (headings, paragraphs, list items, tables) with heading paths.

The same rules serve PDF and text input: both give `Line`s whose evidence is
indentation, where the line ends (a short line closes a paragraph), the gap above it,
and, for PDFs, font size and weight.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from extract.layout.trackers import ITEM_LABEL, plan_field
from schemas import Block, BlockKind, Line

# Bullet glyphs as PDF exports print them: private-use Symbol/Wingdings bullets too.
BULLETS = "•\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0e0\u25aa\u25cf\u25e6\u2023\u2043\u27a2\u00b7*-–—o▪►➢✓❖■◆✔❏❑★"
_BULLET_RE = re.compile(r"^([" + re.escape(BULLETS.replace("o", "")) + r"]|o(?=\s))\s*(?=\S)")
# "1.", "1)", "(a)", "a)", "iv." items, and "3.5" paragraph numbers.
_ITEM_NUMBER_RE = re.compile(r"^(\(?(\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+(?=\S)")
_LONE_ITEM_NUMBER = re.compile(r"\((\d{1,2}|[a-z]|[ivx]{1,4})\)|(\d{1,2}|[a-z]|[ivx]{1,4})\)")
_PARA_NUMBER_RE = re.compile(r"^(\d{1,2}(\.\d{1,2})+)\.?\s+(?=\S)")
_PRIORITY_RE = re.compile(r"^(priority|objective|theme|outcome|aim)\s+(\d{1,2}|one|two|three|four|five|six|seven|"
                          r"eight|nine|ten)\b", re.IGNORECASE)
_SECTION_NUMBER_RE = re.compile(r"^(\d{1,2})\.0?\s+(?=[A-Z])")
_TERMINAL = ".!?:;"
# A line ending on one of these runs on ("... Strategy 2024 to" / "2027"); "...; and" ends a
# list item whose next one follows.
_HANGING = re.compile(r"(?<![;,] )(?:\b(?:and|or|of|the|to|a|an|in|on|for|with|by|from)|[&–—-])\s*$", re.IGNORECASE)
_HANGING_TAIL = 8  # characters: the longest of those words and the two before it, after a space
_HEADING_MAX_CHARS = 160
_UNWRAPPED_MAX_WIDTH = 45  # characters: a text dump none of whose lines is longer wrapped none
_FIELD_LABEL = re.compile(r"^[A-Z][A-Za-z ]{1,24}(?:\s\d{1,2}(?:\.\d{1,2})*)?:\s+\S")


@dataclass
class _Draft:
    lines: list[Line] = field(default_factory=list)
    marker: str | None = None
    numbering: str | None = None
    kind: BlockKind = BlockKind.PARAGRAPH
    text: str = ""


def items_to_blocks(items: list[Line | Block]) -> list[Block]:
    """Group lines into blocks, tell headings apart, and give every block its heading path."""
    lines = [i for i in items if isinstance(i, Line)]
    layout = _Layout.of(lines)
    blocks: list[Block] = []
    draft: _Draft | None = None
    previous: Line | None = None
    pending_marker: str | None = None
    heading_sizes: dict[int, float] = {}  # id(block) -> font size of its first line (PDF)

    def finish(draft: _Draft) -> Block:
        block = _finish(draft, layout)
        if draft.lines[0].size:
            heading_sizes[id(block)] = draft.lines[0].size
        return block

    for item in items:
        if isinstance(item, Block):
            if draft:
                blocks.append(finish(draft))
                draft = None
            blocks.append(_normalise_table(item))
            previous = None
            continue
        if _is_lone_marker(item.text):
            # Some exports print the bullet glyph on a line of its own, the item on the next.
            pending_marker = item.text.strip()
            continue
        if pending_marker or draft is None or _starts_block(item, previous, draft, layout):
            if draft:
                blocks.append(finish(draft))
            draft = _open(item)
            if pending_marker and draft.marker is None:
                draft.marker, draft.kind = pending_marker, BlockKind.LIST_ITEM
            pending_marker = None
        else:
            draft.text = join_lines(draft.text, item.text)
            draft.lines.append(item)
        previous = item
    if draft:
        blocks.append(finish(draft))
    blocks = [b for b in blocks if b.text or b.kind == BlockKind.TABLE]
    if not layout.body_size:
        blocks = _infer_unmarked_items(blocks)
    else:
        _nest_smaller_headings(blocks, heading_sizes)
    return assign_heading_paths(_numbered_section_headings(blocks))


def _nest_smaller_headings(blocks: list[Block], sizes: dict[int, float]) -> None:
    """A heading set smaller than the priority heading above it sits under it ("What we will
    do" under "Priority 1: ..."): `_heading_level` gives both the level of a priority."""
    priority: tuple[int, float] | None = None  # (level, font size) of the open priority heading
    for block in blocks:
        size = sizes.get(id(block))
        if block.kind != BlockKind.HEADING or size is None or block.level is None:
            continue
        if _PRIORITY_RE.match(block.numbering or ""):
            priority = (block.level, size)
        elif priority and block.level == priority[0] and size < priority[1] - 0.9:
            block.level += 1
        elif priority and block.level <= priority[0]:
            priority = None


def _numbered_section_headings(blocks: list[Block]) -> list[Block]:
    """"1. Purpose of this report" followed by paragraph "1.1 ..." is section 1's heading, not
    the first item of a numbered list (committee reports number both this way); so is the
    next number after such a heading, "3. Main issues", whatever follows it; and so is a short
    numbered line followed by prose that no item numbered one less comes before ("2. Our
    priorities" in the body of a paper whose contents list the same lines)."""
    section = None
    for before, block, following in zip([None, *blocks], blocks, blocks[1:]):
        number = (block.marker or "").rstrip(".)")
        if block.kind != BlockKind.LIST_ITEM or not number.isdigit() or len(block.text) >= 80 \
                or block.text.endswith(tuple(_TERMINAL) + (",",)):
            continue
        if (following.numbering or "").startswith(f"{number}.") or (section is not None and int(number) == section + 1) \
                or (following.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING) and not _continues_list(before, number)):
            block.kind, block.numbering, block.marker, block.level = BlockKind.HEADING, number, None, 1
            section = int(number)
    return blocks


def _continues_list(before: Block | None, number: str) -> bool:
    """Whether the block before a numbered item is the item numbered one less (a list goes on)."""
    return before is not None and before.kind == BlockKind.LIST_ITEM \
        and (before.marker or "").rstrip(".)") == str(int(number) - 1)


def _infer_unmarked_items(blocks: list[Block]) -> list[Block]:
    """Text dumps that lost the bullet glyphs: indented blocks after a lead-in are its items."""
    in_list = False
    for block in blocks:
        indented = 0 < block.indent <= 2 and not (block.numbering or "")[:1].isdigit()
        if block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING) and indented and in_list \
                and not block.text.rstrip().endswith(":"):
            block.kind, block.level = BlockKind.LIST_ITEM, None
            continue
        in_list = block.text.rstrip().endswith(":") and block.kind != BlockKind.TABLE
    return blocks


def _normalise_table(block: Block) -> Block:
    """Cells with their line breaks folded; the block text is the rows, cells split by ' | '."""
    rows = [[" ".join(c.split()) or None if c else None for c in row] for row in block.cells or []]
    block.cells = rows
    block.text = "\n".join(" | ".join(c or "" for c in row) for row in rows)
    return block


def join_lines(before: str, after: str) -> str:
    """Join a wrapped line, repairing end-of-line hyphenation.

    `develop-` + `ment` is one word; `System-` + `Wide` keeps its hyphen, since a
    capital after the break marks a compound rather than a split word.
    """
    if not before:
        return after
    if before.endswith(("-", "-\n")) and re.search(r"[A-Za-z]-$", before) and after[:1].isalpha():
        if after[:1].islower() and not re.search(r"\b(non|self|well|co|re|pre|multi|cross)-$", before,
                                                 re.IGNORECASE):
            return before[:-1] + after
        return before + after
    return before + " " + after


@dataclass
class _Layout:
    """Document-wide measures the paragraph rules compare a line against."""

    right: dict[int, float]
    left: dict[int, float]
    gap: float
    body_size: float | None
    unwrapped: bool

    @classmethod
    def of(cls, lines: list[Line]) -> _Layout:
        right: dict[int, float] = {}
        left: dict[int, float] = {}
        for page in {ln.page for ln in lines}:
            on_page = [ln for ln in lines if ln.page == page]
            right[page] = _percentile([ln.x1 for ln in on_page], 0.9)
            left[page] = min(ln.x0 for ln in on_page)
        gaps = [ln.gap_before for ln in lines if ln.gap_before > 0]
        sizes = [ln.size for ln in lines if ln.size]
        widths = [ln.x1 - ln.x0 for ln in lines]
        # Text dumps that print a whole paragraph per line have no wrap width to compare with.
        # A line far longer than any page is wide (a web page's paragraph saved as text) says so too.
        # So does one whose lines are all short: nothing in it was wrapped (an FOI reply, a form).
        unwrapped = not sizes and bool(widths) and (_percentile(widths, 0.9) > 160 or max(widths) > 250
                                                    or max(widths) < _UNWRAPPED_MAX_WIDTH)
        return cls(right=right, left=left, gap=statistics.median(gaps) if gaps else 0.0,
                   body_size=statistics.mode(round(s, 1) for s in sizes) if sizes else None,
                   unwrapped=unwrapped)

    def is_short(self, line: Line) -> bool:
        if self.unwrapped:
            return True
        left, right = self.left.get(line.page, 0.0), self.right.get(line.page, line.x1)
        return line.x1 < left + 0.82 * (right - left)

    def is_break_gap(self, line: Line) -> bool:
        if line.size:  # PDF points: a paragraph gap is clearly taller than the line gap
            return line.gap_before > max(self.gap * 1.6, (line.size or 10) * 0.9)
        return line.gap_before > self.gap

    def is_larger(self, line: Line) -> bool:
        return bool(self.body_size and line.size and line.size > self.body_size + 0.7)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _is_lone_marker(text: str) -> bool:
    """A bullet glyph or an item number ("(1)", "b)") on a line of its own: web pages that set a
    list as a table print the number in one cell and the item in the next."""
    text = text.strip()
    return (len(text) == 1 and text in BULLETS and text not in "o-*") or bool(_LONE_ITEM_NUMBER.fullmatch(text))


def _marker(text: str) -> tuple[str | None, str | None, str]:
    """(bullet or item number, paragraph number, text without them)."""
    m = _BULLET_RE.match(text)
    if m:
        rest = text[m.end():]
        numbered = _PARA_NUMBER_RE.match(rest)
        if numbered:  # "- 3.6 The progress ...": a dump that dashes every paragraph
            return None, numbered.group(1), rest[numbered.end():]
        item = _ITEM_NUMBER_RE.match(rest)
        if item and len(rest) > len(item.group(0)) + 2:
            return item.group(1), None, rest[item.end():]
        return m.group(1), None, rest
    m = _PARA_NUMBER_RE.match(text)
    if m:
        return None, m.group(1), text[m.end():]
    m = _ITEM_NUMBER_RE.match(text)
    if m and len(text) > len(m.group(0)) + 2:
        return m.group(1), None, text[m.end():]
    return None, None, text


def _open(line: Line) -> _Draft:
    marker, numbering, text = _marker(line.text.replace("\t", " ").strip())
    if marker is None and numbering is None:
        m = _SECTION_NUMBER_RE.match(text)
        if m and len(text) < 80:
            numbering, text = m.group(1), text[m.end():]
    kind = BlockKind.LIST_ITEM if marker else BlockKind.PARAGRAPH
    return _Draft(lines=[line], marker=marker, numbering=numbering, kind=kind, text=text.strip())


def _starts_block(line: Line, previous: Line | None, draft: _Draft, layout: _Layout) -> bool:
    text = line.text.strip()
    marker, numbering, rest = _marker(text)
    unfinished = not draft.text.rstrip().endswith(tuple(_TERMINAL))
    if marker in ("-", "–", "—") and previous is not None and unfinished and rest[:1].islower() \
            and draft.marker != marker and not layout.is_short(previous):
        # "... launched in January 2023 – feedback has been positive" wrapped at the dash; after a
        # short line ("RESOLVED – That") the dash opens the first item of a list
        marker = None
    if marker or previous is None:
        return True
    if numbering:
        # "31.8.23 there were ..." after an unfinished line is a date, not a paragraph number.
        after = _marker(text)[2]
        return draft.text.rstrip().endswith(tuple(_TERMINAL)) or _ends_like_heading(draft) or (
            after[:1].isupper() and layout.is_short(previous))
    if draft.marker and line.size and line.x0 < draft.lines[0].x0 - 2:
        return True  # back out past the bullet: the list has ended
    if line.page != previous.page and unfinished:
        return False  # a sentence running over a page break
    if unfinished and line.bold == previous.bold and line.size == previous.size and (
            text[:1].islower() or (line.size and _hangs(draft.text))):
        return False  # a wrapped line in the same style, a heading's second line included
    if line.size and previous.size and abs(line.size - previous.size) > 1.5:
        return True  # type of another size: a heading ends, or the body starts under it
    if _looks_like_heading_line(previous, draft, layout) or _looks_like_heading_line(line, None, layout):
        return True
    if _PRIORITY_RE.match(text) and (draft.text.rstrip().endswith(tuple(_TERMINAL)) or _after_gap(line, layout)):
        return True  # "Priority 2: Retention" after a finished sentence or a gap opens the next priority
    if _FIELD_LABEL.match(text) and _FIELD_LABEL.match(draft.text) and _after_gap(line, layout, blank=False):
        return True  # "Target date: March 2026" under "Action 1.1: ...": a form's fields, one a line
    if text[:1].islower() or draft.text.endswith(("-", ",")):
        return False
    if layout.unwrapped:
        return True  # a dump that prints each paragraph on one line
    if draft.text.rstrip().endswith(":"):
        return True  # a lead-in or label closes at its colon
    if _ends_like_heading(draft) and layout.is_short(previous) and not layout.unwrapped \
            and (text[:1].isupper() or _ITEM_NUMBER_TITLE.match(text)):
        return True  # a short unpunctuated line on its own: a heading or label ("45 Workforce Update" after it)
    ended = draft.text.rstrip().endswith(tuple(_TERMINAL)) or draft.text.rstrip().endswith((".)", '."', ".’"))
    if ended and text.endswith((":", "?")) and len(text) < 60:
        return True  # a label such as "What we need to do:" after a finished sentence
    if ended and _FIELD_LABEL.match(text):
        return True  # "Action: Head of Service" after a finished sentence: a field of its own
    if ended and draft.marker is None and line.x0 > previous.x0 + (4 if line.size else 0):
        return True  # an indented first line opens a paragraph
    if line.size is None and line.x0 > previous.x0 and text[:1].isupper() and _is_text_block_start(line) \
            and (ended or layout.is_short(line)):
        # Text dumps indent the first line of a new layout block by a space; a full-width line
        # after an unfinished one is the sentence running on over a page break.
        return True
    if layout.is_break_gap(line) and (ended or layout.is_short(previous)):
        return True
    if (layout.is_break_gap(line) or (line.size is None and line.gap_before > 0)) and _is_capitals_heading(text):
        return True  # after a blank line, a line in capitals ("DECISION") is a heading, whatever came before
    if ended and line.size is None and line.gap_before > 0 and _is_title_line(text):
        return True  # "Next steps" after a blank line that follows a finished sentence
    return ended and layout.is_short(previous)


def _hangs(text: str) -> bool:
    """Whether the text ends on a word or dash that runs on (`_HANGING`), looked for in its last
    characters only: a paragraph's text is tested as each of its lines joins it."""
    return _HANGING.search(text.rstrip()[-_HANGING_TAIL:]) is not None


# A minute's or agenda item's number and title ("45 Workforce Update", "7. Social Work Academy").
_ITEM_NUMBER_TITLE = re.compile(r"\d{1,3}\.?\s+[A-Z]")


def _after_gap(line: Line, layout: _Layout, blank: bool = True) -> bool:
    """A paragraph gap before the line (any blank line in a text dump); with `blank` False, in a
    text dump a line of its own is enough (fields are printed one a line)."""
    if line.size is None:
        return line.gap_before > 0 or not blank
    return layout.is_break_gap(line)


def _is_title_line(text: str) -> bool:
    """A short capitalised line without closing punctuation, as text dumps print headings."""
    return len(text.split()) <= 6 and text[:1].isupper() and not text.endswith(tuple(_TERMINAL) + (",", ";"))


def _is_capitals_heading(text: str) -> bool:
    return len(text) < 60 and text.isupper() and sum(c.isalpha() for c in text) >= 4


def _is_text_block_start(line: Line) -> bool:
    return 0 < line.x0 <= 2


def _ends_like_heading(draft: _Draft) -> bool:
    return len(draft.lines) == 1 and not re.search(
        r"([,;]|\b(and|or|of|the|to|a|an|in|on|for|with|by))$", draft.text.rstrip())


def _looks_like_heading_line(line: Line, draft: _Draft | None, layout: _Layout) -> bool:
    """A lone short line set larger or bold, before body text: a heading."""
    if draft is not None and len(draft.lines) > 1:
        return False
    if draft is not None and draft.marker:
        return False
    text = line.text.strip()
    if len(text) > 120 or text.endswith((".", ",", ";")):
        return False
    return layout.is_larger(line) or (line.bold and not line.text.lstrip().startswith(tuple(BULLETS)))


def _finish(draft: _Draft, layout: _Layout) -> Block:
    first = draft.lines[0]
    text = " ".join(draft.text.split())  # (what `re.sub(r"\s+", " ", ...).strip()` gives, at a third of the cost)
    kind = draft.kind
    level = None
    if kind != BlockKind.LIST_ITEM and _is_heading(text, draft, layout):
        kind = BlockKind.HEADING
        level = _heading_level(text, draft, layout)
    numbering = draft.numbering
    m = _PRIORITY_RE.match(text)
    if m and numbering is None and kind == BlockKind.HEADING:
        numbering = f"{m.group(1).title()} {m.group(2)}"
    bbox = None
    if first.size:
        bbox = (min(ln.x0 for ln in draft.lines), first.top,
                max(ln.x1 for ln in draft.lines), draft.lines[-1].bottom)
    return Block(kind=kind, text=text, page=first.page, level=level, numbering=numbering,
                 marker=draft.marker, indent=first.x0, bbox=bbox, pages=sorted({ln.page for ln in draft.lines}))


def _is_heading(text: str, draft: _Draft, layout: _Layout) -> bool:
    if not text or len(text) > _HEADING_MAX_CHARS or text.endswith((".", ",", ";", ".)")):
        return False
    if draft.numbering and _PRIORITY_RE.match(text):
        return True
    if re.search(r"[.!?]\s+[A-Z]", text) or ITEM_LABEL.match(text) or plan_field(text):  # body text: two sentences, or a plan's item or field
        return False
    if draft.numbering and re.fullmatch(r"\d{1,2}", draft.numbering.split(".")[-1] or "") and not text.endswith(":"):
        return len(text) < 80
    first = draft.lines[0]
    if first.size:
        return layout.is_larger(first) or first.bold or text.endswith(":") or len(text) < 60
    if len(draft.lines) > 1 and not draft.numbering and not _PRIORITY_RE.match(text):
        return False  # a wrapped unpunctuated text paragraph is body text, not a heading
    if len(text.split()) > 15 and not _PRIORITY_RE.match(text):
        return False  # a sentence, cut off or unpunctuated, not a title
    if layout.unwrapped and text.endswith(":") and len(text.split()) > 6:
        return False  # a sentence introducing a list ("It is anticipated that ... the following:")
    return text[:1].isupper() or text[:1].isdigit() or text[:1] in "‘'\"“("


def _heading_level(text: str, draft: _Draft, layout: _Layout) -> int:
    first = draft.lines[0]
    if draft.numbering and draft.numbering.endswith(".0"):
        return 1
    if draft.numbering and "." not in draft.numbering and not _PRIORITY_RE.match(text):
        return 1
    if text.isupper() and len(text) > 3:
        return 1
    if layout.body_size and first.size and first.size > layout.body_size + 3:
        return 1
    if _PRIORITY_RE.match(text) or layout.is_larger(first):
        return 2
    if draft.numbering and "." in draft.numbering and not text.endswith(":"):
        return 2  # "3.17 Underpinning theme" is a sibling of "3.15 Priority 5"

    if text.endswith(":"):
        return 4
    return 3


def assign_heading_paths(blocks: list[Block]) -> list[Block]:
    """Each block's enclosing headings, outermost first; numbers the blocks in order."""
    stack: list[Block] = []
    for seq, block in enumerate(blocks):
        block.seq = seq
        if block.kind == BlockKind.HEADING:
            level = block.level or 3
            stack = [h for h in stack if (h.level or 3) < level]
            block.heading_path = [h.text for h in stack]
            stack.append(block)
        else:
            block.heading_path = [h.text for h in stack]
    return blocks


def blocks_to_text(blocks: list[Block]) -> str:
    """The document text: blocks joined by blank lines; sets each block's char offsets."""
    parts: list[str] = []
    offset = 0
    for block in blocks:
        if parts:
            offset += 2
        block.char_start = offset
        block.char_end = offset + len(block.text)
        parts.append(block.text)
        offset = block.char_end
    return "\n\n".join(parts)


def split_marker(text: str) -> tuple[str | None, str | None, str]:
    """How a line opens: (bullet or item number, paragraph number, the text after them).
    Readers of structured formats (web pages, Word) share the text readers' rule."""
    return _marker(text)
