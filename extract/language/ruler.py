"""A span ruler that runs each token pattern only around the words it cannot match without.

spaCy's `Matcher` tries every token pattern at every token, so its cost grows with
patterns x tokens even when a passage holds none of the words a pattern needs: most of our
patterns end in a head word (`team`, `manager`, `council`) and start with any capitalised
word. `AnchoredSpanRuler` finds, per pattern, one token it requires (a fixed `LOWER` or
`ORTH` value or `IN` list: the anchor) and how far the pattern can reach either side of it.
A doc is then matched only in windows around its anchor words, which gives the same
matches as the whole doc since every pattern length is bounded. Patterns without an
anchor, or with an unbounded operator, are matched over the whole doc as before. An anchor
opens no window where its neighbour cannot be part of any match ("the team": a team pattern
needs a name word before its head word).

    nlp.add_pipe("wkb_span_ruler", config={"spans_key": "entities"})

The token attributes a pattern reads that no earlier component sets (a tag of our own) are
set by the ruler's `tagger`, and only on a doc with an anchor word in it: most passages hold
none, and their tags would never be read. A doc without the first word of any phrase pattern
skips the phrase matcher too.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.attrs import LOWER, ORTH, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span

__all__ = ["AnchoredSpanRuler", "pattern_anchor"]

_ANCHOR_ATTRS = frozenset({"LOWER", "ORTH", "TEXT"})
_JOIN = 8
_REPEAT = re.compile(r"^\{(\d*)(?:(,)(\d*))?\}$")


def _max_repeat(op: str | None) -> int | None:
    """The most tokens one pattern token can take, None if unbounded."""
    if op in (None, "!", "?", "1"):
        return 1
    m = _REPEAT.match(op)
    if m:
        low, comma, high = m.groups()
        if not comma:
            return int(low)
        return int(high) if high else None
    return None  # "+", "*"


def pattern_anchor(pattern: list[dict[str, Any]]) -> tuple[str, frozenset[str], int, int] | None:
    """(attribute, values, tokens before, tokens after) of the first token a pattern requires
    with a fixed `LOWER`/`ORTH` value, or None when there is none or the pattern is unbounded.

    >>> pattern_anchor([{"TAG": "NAME", "OP": "{0,2}"}, {"LOWER": {"IN": ["lead", "leads"]}}])
    ('LOWER', frozenset({'lead', 'leads'}), 2, 0)
    """
    found = _anchor(pattern)
    return found[1:] if found else None


def _anchor(pattern: list[dict[str, Any]]) -> tuple[int, str, frozenset[str], int, int] | None:
    """`pattern_anchor`, with the anchor's position in the pattern first."""
    lengths = []
    for spec in pattern:
        length = _max_repeat(spec.get("OP", spec.get("op")))
        if length is None:
            return None
        lengths.append(length)
    for i, spec in enumerate(pattern):
        if "OP" in spec or "op" in spec:
            continue
        for key, value in spec.items():
            attr, values = key.upper(), _fixed(value)
            if attr not in _ANCHOR_ATTRS or values is None:
                continue
            if attr == "LOWER":
                values = frozenset(v.lower() for v in values)
            return i, ("ORTH" if attr == "TEXT" else attr), values, sum(lengths[:i]), sum(lengths[i + 1:])
    return None


def _fixed(value: Any) -> frozenset[str] | None:
    """The values a pattern allows for an attribute: `"x"` or `{"IN": [...]}`; None for any other test."""
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(value["IN"])
    if isinstance(value, str):
        return frozenset([value])
    return None


def _min_repeat(op: str | None) -> int:
    """The fewest tokens one pattern token can take."""
    if op in ("?", "*"):
        return 0
    m = _REPEAT.match(op or "")
    return int(m.group(1) or 0) if m else 1


def _side_test(specs: list[dict[str, Any]]) -> tuple[frozenset[str], frozenset[str]] | None:
    """The tags and lower-case words one of which the token next to the anchor on one side has
    wherever the pattern matches (`specs` are the pattern tokens on that side, any of which may
    take it); None where a match needs no token there, or some token on that side may be any."""
    if not sum(_min_repeat(spec.get("OP", spec.get("op"))) for spec in specs):
        return None
    tags, lowers = set(), set()
    for spec in specs:
        if str(spec.get("OP", spec.get("op", ""))) == "!":
            return None  # any token the spec does not match
        fixed = {key.upper(): _fixed(value) for key, value in spec.items()}
        if fixed.get("TAG") is not None:
            tags |= fixed["TAG"]
            continue
        words = next((fixed[attr] for attr in ("LOWER", "ORTH", "TEXT") if fixed.get(attr) is not None), None)
        if words is None:
            return None
        lowers |= {word.lower() for word in words}
    return frozenset(tags), frozenset(lowers)


class _Group:
    """The patterns with one anchor: their matcher, how far they reach either side of it, and
    per side the tags and words the anchor's neighbour must have for any of them to match."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher, self.before, self.after = matcher, 0, 0
        self._tests: list[list[tuple[frozenset[str], frozenset[str]] | None]] = [[], []]
        self.neighbours: list[tuple[frozenset[int], frozenset[int]] | None] = [None, None]

    def add(self, key: str, pattern: list[dict[str, Any]], strings) -> None:
        at, _, _, before, after = _anchor(pattern)
        self.matcher.add(key, [pattern])
        self.before, self.after = max(self.before, before), max(self.after, after)
        for side, specs in enumerate((pattern[:at], pattern[at + 1:])):
            self._tests[side].append(_side_test(specs))
            tests = self._tests[side]
            self.neighbours[side] = None if any(test is None for test in tests) else (
                frozenset(strings.add(tag) for test in tests for tag in test[0]),
                frozenset(strings.add(word) for test in tests for word in test[1]))

    def may_match_at(self, at: int, lowers: list[int], tags: list[int]) -> bool:
        """Whether the anchor's neighbours let any of the patterns match there."""
        for side, neighbour in ((0, at - 1), (1, at + 1)):
            test = self.neighbours[side]
            if test is not None and not (0 <= neighbour < len(lowers) and
                                         (tags[neighbour] in test[0] or lowers[neighbour] in test[1])):
                return False
        return True


class AnchoredSpanRuler(SpanRuler):
    """`SpanRuler` whose token patterns are matched in windows around their anchors.

    `tagger`, if given, annotates a doc (in place) before its token patterns are matched.
    """

    def __init__(self, nlp: Language, name: str = "wkb_span_ruler", *,
                 tagger: Callable[[Doc], Doc] | None = None, **config: Any) -> None:
        super().__init__(nlp, name, **config)
        self.tagger = tagger

    def clear(self) -> None:
        super().clear()
        self._rebuild()

    def add_patterns(self, patterns: list[dict[str, Any]]) -> None:
        super().add_patterns(patterns)
        self._rebuild()

    def remove(self, label: str) -> None:
        super().remove(label)
        self._rebuild()

    def remove_by_id(self, pattern_id: str) -> None:
        super().remove_by_id(pattern_id)
        self._rebuild()

    def _rebuild(self) -> None:
        """The anchored groups and the whole-doc matcher, from the ruler's patterns (the
        parent class keeps them): rebuilt whenever they change, which is at set-up."""
        self._anchored: dict[tuple[str, frozenset[str]], _Group] = {}
        self._unanchored = Matcher(self.nlp.vocab, validate=self.validate)
        for entry in self._patterns:
            if isinstance(entry["pattern"], list):
                self._add_token_pattern(entry)
        self._index_anchors()
        # The lower case of each phrase pattern's first token, which a doc holds wherever the
        # pattern matches on `ORTH` or `LOWER` (None: the matcher reads another attribute, or a
        # pattern is no text).
        phrases = [entry["pattern"] for entry in self._patterns if not isinstance(entry["pattern"], list)]
        by_case = self.phrase_matcher_attr in (None, ORTH, LOWER) or \
            str(self.phrase_matcher_attr).upper() in ("ORTH", "TEXT", "LOWER")
        self._phrase_starts = None if not by_case or not all(isinstance(p, str) for p in phrases) else \
            frozenset(doc[0].lower for doc in map(self.nlp.make_doc, phrases) if len(doc))

    def _add_token_pattern(self, entry: dict[str, Any]) -> None:
        key = repr((entry["label"], entry.get("id", "")))
        anchor = pattern_anchor(entry["pattern"])
        if anchor is None:
            self._unanchored.add(key, [entry["pattern"]])
            return
        attr, values, _, _ = anchor
        group = self._anchored.setdefault((attr, values), _Group(Matcher(self.nlp.vocab, validate=self.validate)))
        group.add(key, entry["pattern"], self.nlp.vocab.strings)

    def _index_anchors(self) -> None:
        """Lower-case anchor hash -> the groups it anchors. An `ORTH` anchor is looked up by its
        lower case too, so one array serves both; a word in the wrong case only opens a window
        its patterns then do not match in."""
        strings = self.nlp.vocab.strings
        self._anchor_index = {}
        for (_, values), group in self._anchored.items():
            for value in {v.lower() for v in values}:
                self._anchor_index.setdefault(strings.add(value), []).append(group)
        self._anchor_keys = frozenset(self._anchor_index)

    def match(self, doc: Doc) -> list[Span]:
        self._require_patterns()
        values = doc.to_array(LOWER).tolist()
        phrases = self._phrase_starts is None or not self._phrase_starts.isdisjoint(values)
        matches = [m for m in self.phrase_matcher(doc)] if phrases else []
        present = self._anchor_keys.intersection(values)
        if self.tagger is not None and (present or len(self._unanchored)):
            self.tagger(doc)
        if len(self._unanchored):
            matches.extend(self._unanchored(doc))
        # Windows of one group closer than _JOIN tokens are matched in one call: a call costs
        # about as much as walking that many tokens, and every match inside a window is a match.
        # An anchor whose neighbours no pattern of its group allows opens none.
        windows: dict[int, tuple[Matcher, list[list[int]]]] = {}
        tags = doc.to_array(TAG).tolist() if present else []
        for i in [i for i, value in enumerate(values) if value in present] if present else ():
            for group in self._anchor_index[values[i]]:
                if not group.may_match_at(i, values, tags):
                    continue
                spans = windows.setdefault(id(group), (group.matcher, []))[1]
                start, end = max(0, i - group.before), min(len(doc), i + group.after + 1)
                if spans and start <= spans[-1][1] + _JOIN:
                    spans[-1][1] = end
                else:
                    spans.append([start, end])
        for matcher, spans in windows.values():
            for start, end in spans:
                matches.extend((m_id, s + start, e + start) for m_id, s, e in matcher(doc[start:end]))
        labels = self._match_label_id_map
        return sorted({Span(doc, start, end, label=labels[m_id]["label"], span_id=labels[m_id]["id"])
                       for m_id, start, end in matches if start != end})

    def set_annotations(self, doc: Doc, matches: list[Span]) -> None:
        if not matches and self.key and self.overwrite and not self.annotate_ents:
            doc.spans[self.key] = []  # what the parent stores for most passages, without filtering nothing
            return
        super().set_annotations(doc, matches)


@Language.factory("wkb_span_ruler", assigns=["doc.spans"], default_config={
    "spans_key": "ruler", "spans_filter": None, "annotate_ents": False,
    "ents_filter": {"@misc": "spacy.first_longest_spans_filter.v1"}, "phrase_matcher_attr": None,
    "matcher_fuzzy_compare": {"@misc": "spacy.levenshtein_compare.v1"}, "validate": False, "overwrite": True,
    "scorer": {"@scorers": "spacy.overlapping_labeled_spans_scorer.v1", "spans_key": "ruler"}, "tagger": None,
})
def make_anchored_span_ruler(nlp: Language, name: str, spans_key: str | None,
                             spans_filter: Callable[[Iterable[Span], Iterable[Span]], Iterable[Span]] | None,
                             annotate_ents: bool, ents_filter: Callable, phrase_matcher_attr: int | str | None,
                             matcher_fuzzy_compare: Callable, validate: bool, overwrite: bool,
                             scorer: Callable | None, tagger: Callable[[Doc], Doc] | None) -> AnchoredSpanRuler:
    return AnchoredSpanRuler(nlp, name, spans_key=spans_key, spans_filter=spans_filter, annotate_ents=annotate_ents,
                             ents_filter=ents_filter, phrase_matcher_attr=phrase_matcher_attr,
                             matcher_fuzzy_compare=matcher_fuzzy_compare, validate=validate, overwrite=overwrite,
                             scorer=scorer, tagger=tagger)
