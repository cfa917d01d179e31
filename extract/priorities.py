"""Priorities: numbered ("Priority 2: ...") or the bullets of a priorities/objectives list."""
from __future__ import annotations

import re

from extract.ids import stable_id
from extract.numbers import word_value
from schemas import Block, BlockKind, Priority

__all__ = ["find_priorities", "priority_number", "clean_title"]

_NUMBERED = re.compile(r"^(?:strategic\s+)?(?:priority|objective|theme)\s+(\d{1,2}|[a-z]+)\s*[:.\-–—]\s*(\S.*)$",
                       re.IGNORECASE)
_LIST_HEADING = re.compile(r"\b(priorities|objectives|strategic aims|our aims)\b", re.IGNORECASE)
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
    return numbered or _listed_priorities(blocks, document_id, council)


def _numbered_priorities(blocks: list[Block], document_id: str, council: str | None) -> list[Priority]:
    found: dict[int, Priority] = {}
    for block in blocks:
        if block.kind == BlockKind.TABLE:
            continue
        parsed = priority_number(block.text)
        if parsed and parsed[0] not in found:
            number, title = parsed
            start = block.char_start + block.text.index(title)
            found[number] = Priority(
                id=stable_id(document_id, "priority", number), document_id=document_id, council=council,
                number=number, title=title, page=block.page, char_start=start, char_end=start + len(title))
    return [found[n] for n in sorted(found)]


def _listed_priorities(blocks: list[Block], document_id: str, council: str | None) -> list[Priority]:
    """Top-level bullets under the first heading or lead-in that names priorities or objectives."""
    for i, block in enumerate(blocks):
        if block.kind == BlockKind.LIST_ITEM or not _LIST_HEADING.search(block.text):
            continue
        if block.kind == BlockKind.PARAGRAPH and not block.text.rstrip().endswith(":"):
            continue
        items = _top_level_items(blocks[i + 1:])
        if len(items) >= 2:
            return [_listed(b, document_id, council) for b in items]
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


def _listed(block: Block, document_id: str, council: str | None) -> Priority:
    title = clean_title(block.text)
    return Priority(id=stable_id(document_id, "priority", block.char_start), document_id=document_id,
                    council=council, number=None, title=title, page=block.page,
                    char_start=block.char_start, char_end=block.char_start + len(title))
