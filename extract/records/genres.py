"""The genre of a paper (minutes, decision record, report, tracker, strategy) from its cues.

A genre says how the paper's words are to be read: minutes and decision records narrate in
the past tense, so their "would" reports a promise. The cues are data
(`patterns/genres.json`), counted over the document's lines.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Genre", "find_genre"]


@dataclass(frozen=True)
class Genre:
    name: str  # minutes, decision, report, tracker, strategy or other
    reported_speech: bool = False


@lru_cache(maxsize=1)
def _genres() -> dict[str, tuple[bool, list[tuple[re.Pattern, str, str]]]]:
    """Each genre's cues, compiled for lower-cased text. A leading word boundary or line start
    is checked by hand: without it the pattern opens with a literal, which `re` finds many
    times faster."""
    data = json.loads(resources.files("extract").joinpath("patterns/genres.json").read_text("utf-8"))
    return {name: (spec["reported_speech"], [_compiled(c) for c in spec["cues"]])
            for name, spec in data.items() if not name.startswith("_")}


def _compiled(cue: str) -> tuple[re.Pattern, str, str]:
    """The cue without its leading anchor, the anchor, and a literal every match contains."""
    anchor = next((a for a in ("^", r"\b") if cue.startswith(a)), "")
    body = cue[len(anchor):]
    outside_groups = re.sub(r"\((?:[^()]|\([^()]*\))*\)[?*]?", "\0", body)
    outside_groups = re.sub(r"\\?.[?*]", "\0", outside_groups)  # an optional character ("recommendations?") is not needed
    runs = [] if "|" in outside_groups else re.findall(r"[a-z][a-z ]{2,}[a-z]", outside_groups.replace("\\b", "\0"))
    return re.compile(body, re.MULTILINE), anchor, max(runs, key=len, default="")


def _shows(cue: re.Pattern, anchor: str, needle: str, text: str) -> bool:
    if needle not in text:
        return False
    for m in cue.finditer(text):
        before = text[m.start() - 1] if m.start() else "\n"
        if not anchor or (anchor == "^" and before == "\n") or (anchor != "^" and not before.isalnum()):
            return True
    return False


# A paper shows its genre in its opening pages (masthead, "Minutes:", "Decision details") and
# its close ("RESOLVED"): reading those keeps the cost flat for a long strategy.
_HEAD_CHARS = 3000
_TAIL_CHARS = 1500


def find_genre(text: str) -> Genre:
    """The genre whose cues the text shows most (the first listed on a tie), or `other`."""
    if len(text) > _HEAD_CHARS + _TAIL_CHARS:
        text = text[:_HEAD_CHARS] + "\n" + text[-_TAIL_CHARS:]
    text = text.lower()
    best, best_hits, reported = "other", 0, False
    for name, (speech, cues) in _genres().items():
        hits = sum(1 for cue in cues if _shows(*cue, text))
        if hits > best_hits:
            best, best_hits, reported = name, hits, speech
    return Genre(best, reported)
