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
def _genres() -> dict[str, tuple[bool, list[re.Pattern]]]:
    data = json.loads(resources.files("extract").joinpath("patterns/genres.json").read_text("utf-8"))
    return {name: (spec["reported_speech"], [re.compile(c, re.IGNORECASE | re.MULTILINE) for c in spec["cues"]])
            for name, spec in data.items() if not name.startswith("_")}


def find_genre(text: str) -> Genre:
    """The genre whose cues the text shows most (the first listed on a tie), or `other`."""
    best, best_hits, reported = "other", 0, False
    for name, (speech, cues) in _genres().items():
        hits = sum(1 for cue in cues if cue.search(text))
        if hits > best_hits:
            best, best_hits, reported = name, hits, speech
    return Genre(best, reported)
