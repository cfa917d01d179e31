"""Priorities: numbered ("Priority 2: ...") or the bullets of a priorities/objectives list."""
from __future__ import annotations

import re

from extract.ids import stable_id
from extract.language.numbers import word_value
from extract.layout.trackers import column_role
from schemas import Block, BlockKind, Priority

__all__ = ["find_priorities", "priority_number", "clean_title"]

_NUMBERED = re.compile(r"^(?:strategic\s+)?(?:priority|objective|theme)\s+(\d{1,2}|[a-z]+)\s*[:.\-–—]\s*(\S.*)$",
                       re.IGNORECASE)
_LIST_HEADING = re.compile(r"\b(priorities|objectives|strategic aims|our aims|(?:strategic|key|our|priority) themes|"
                           r"priority areas|areas of focus|focus areas)\b", re.IGNORECASE)
# "Priority Themes for 2013-14 6", "1. Management Development 6": a contents page, each line
# ending in the page it is on.
_PAGE_NUMBER = re.compile(r"\s+\d{1,3}$")
_NUMBER_MARKER = re.compile(r"^\(?(\d{1,2})[.)]?$")
_TRAILING = re.compile(r"(\s*(;\s*and|;|:|,|\.))+\s*$")


def clean_title(text: str) -> str:
    """The title without its trailing ':', ';' or '; and'."""
    return _TRAILING.sub("", text).strip()


def priority_number(text: str) -> tuple[int, str] | None:
    """(number, title) for "Priority 2: Support ..." or "Priority Two: ..."; None for anything else."""
    m = _NUMBERED.match(text.strip())
    number = word_value(m.group(1)) if m else None
    return (number, clean_title(m.group(2))) if number is not None else None


def find_priorities(blocks: list[Block], *, document_id: str, council: str | None) -> list[Priority]:
    """Numbered priorities (first statement of each number), else the items of a priorities list."""
    numbered = _numbered_priorities(blocks, document_id, council)
    return numbered or _listed_priorities(blocks, document_id, council) or \
        tracker_priorities(blocks, document_id=document_id, council=council)


_ROW_NUMBER = re.compile(r"^(?:r|rec(?:ommendation)?\.?\s?)?(\d{1,2})[.:)]?\s+", re.IGNORECASE)


def tracker_priorities(blocks: list[Block], *, document_id: str, council: str | None) -> list[Priority]:
    """The recommendations of a tracker table ("Recommendation | Action | By whom | ..."), each a
    priority that the actions and progress of its row serve."""
    found: list[Priority] = []
    for block in blocks:
        rows = block.cells or []
        roles = [column_role(c or "") for c in rows[0]] if block.kind == BlockKind.TABLE and rows else []
        if "recommendation" not in roles or not {"action", "progress"} & set(roles):
            continue
        column = roles.index("recommendation")
        for row in rows[1:]:
            cell = (row[column] if column < len(row) else None) or ""
            numbered = _ROW_NUMBER.match(cell)
            title = clean_title(cell[numbered.end():] if numbered else cell)
            if not title or title not in block.text:
                continue
            start = block.char_start + block.text.index(title)
            found.append(Priority(id=stable_id(document_id, "priority", start), document_id=document_id,
                                  council=council, number=int(numbered.group(1)) if numbered else None, title=title,
                                  page=block.page, char_start=start, char_end=start + len(title)))
    return found


# "Objective A – ...", "Theme B: ...": lettered priorities, which carry no number.
_LETTERED = re.compile(r"^(?i:(?:strategic\s+)?(?:priority|objective|theme|aim))\s+([A-H])\s*[:.\-–—]\s*(\S.*)$")


def _numbered_priorities(blocks: list[Block], document_id: str, council: str | None) -> list[Priority]:
    """The first statement of each numbered (or lettered) priority."""
    found: dict[int | str, Priority] = {}
    for block in blocks:
        if block.kind == BlockKind.TABLE:
            continue
        parsed = priority_number(block.text)
        lettered = _LETTERED.match(block.text.strip()) if parsed is None else None
        key, title = parsed if parsed else (lettered.group(1), clean_title(lettered.group(2))) if lettered \
            else (None, None)
        if key is None or key in found or not title:
            continue
        number = key if isinstance(key, int) else None
        start = block.char_start + block.text.index(title)
        found[key] = Priority(
            id=stable_id(document_id, "priority", key), document_id=document_id, council=council,
            number=number, title=title, page=block.page, char_start=start, char_end=start + len(title))
    return sorted(found.values(), key=lambda p: (p.number is None, p.number or 0, p.char_start))


def _listed_priorities(blocks: list[Block], document_id: str, council: str | None) -> list[Priority]:
    """Top-level bullets under the first heading or lead-in that names priorities or objectives."""
    for i, block in enumerate(blocks):
        if block.kind == BlockKind.LIST_ITEM or not _LIST_HEADING.search(block.text):
            continue
        if block.kind == BlockKind.PARAGRAPH and not block.text.rstrip().endswith(":"):
            continue
        items = _top_level_items(blocks[i + 1:])
        if len(items) >= 2:
            contents = all(_PAGE_NUMBER.search(b.text.rstrip()) for b in [block, *items])
            numbered = all(b.marker and _NUMBER_MARKER.match(b.marker) for b in items)
            return [_listed(b, document_id, council, contents, numbered) for b in items]
    return []


def _top_level_items(following: list[Block]) -> list[Block]:
    items: list[Block] = []
    top_marker = None
    for block in following:
        if block.kind == BlockKind.HEADING and items:
            break
        if block.kind != BlockKind.LIST_ITEM:
            if items:
                break
            continue
        top_marker = top_marker or _marker_style(block.marker)
        if _marker_style(block.marker) == top_marker:
            items.append(block)
    return items


def _marker_style(marker: str | None) -> str | None:
    """`1.` and `2.` are one list's markers, `a)` and `b)` another's; a bullet glyph is its own style."""
    if marker is None:
        return None
    return re.sub(r"^\(?([ivx]{1,4}|[a-z])([.)])$", r"a\2", re.sub(r"\d+", "9", marker.lower()))


def _listed(block: Block, document_id: str, council: str | None, contents: bool = False,
            numbered: bool = False) -> Priority:
    """A listed priority: its item's text, without the page number a contents line ends in, and
    numbered by its marker where the list is numbered ("3. Multi-Agency Training")."""
    title = clean_title(_PAGE_NUMBER.sub("", block.text.rstrip()) if contents else block.text)
    number = int(_NUMBER_MARKER.match(block.marker).group(1)) if numbered and block.marker else None
    return Priority(id=stable_id(document_id, "priority", block.char_start), document_id=document_id,
                    council=council, number=number, title=title, page=block.page,
                    char_start=block.char_start, char_end=block.char_start + len(title))
