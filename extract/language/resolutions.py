"""Resolutions of decision records and minutes: which are commitments and which are procedure.

"RESOLVED – That (a) ... be introduced; (b) ..." and "Decision: That the strategy be endorsed"
decide work, so each substantive resolution is a commitment. Noting a report, approving the
minutes or the report's recommendations, and thanking or congratulating officers decide
nothing of their own, so they are not actions.
"""
from __future__ import annotations

import re

__all__ = ["resolution_label", "resolution_items", "is_resolution", "is_procedural_resolution"]

# "RESOLVED:", "Resolved -", "RESOLVED UNANIMOUSLY:", "AGREED", "DECISION:", "Decision", "It was resolved that"
# The body's own sentence ending in its decision ("The Cabinet considered the report and RESOLVED to:").
# "That Cabinet:" (or "That the Committee:") standing alone after "Resolved:" opens the list of
# what the body decided, as the label itself does; so does "Agreed, in order to retain staff, to:".
_LABEL = re.compile(r"^(?:(?:it was\s+|(?:the\s+)?(?:cabinet|committee|sub-committee|panel|board|council|executive|"
                    r"forum|cabinet member|portfolio holder)\s+(?:(?:considered|received|discussed|noted)\b[^.;:]{0,150}?"
                    r"\band\s+)?)?(?:resolved|agreed|decided)(?:\s+(?:that|to))?|decisions?|"
                    r"resolutions?|that\s+(?:the\s+)?(?:cabinet|committee|sub-committee|panel|board|council|executive|forum)"
                    r"(?=\s*:?\s*$)|(?:resolved|agreed|decided),\s[^:]{0,160}?,\s*to(?=\s*:\s*$))"
                    r"(?:\s*\(unanimously\)|\s+unanimously)?\s*(?:[:\-–—]\s*|\s+(?=that\b)|$)", re.IGNORECASE)
# "(i) ...; (ii) ...; and (iii) That ...": resolutions run together on one line.
_INLINE_ITEM = re.compile(r"(?:^|(?<=[;,.:])\s*(?:and\s+)?|\s+and\s+)\((?:[ivx]{1,4}|[a-z]|\d{1,2})\)\s*", re.IGNORECASE)
# "That ... be endorsed", "(2) that the results be circulated", "To note ... and support ..."
# A past participle, the irregular ones that end otherwise included ("be paid", "be made", "be held").
_PARTICIPLE = r"(?:\w+(?:ed|en|t)|paid|made|held|laid|led|done|run|begun|told|sold|found|won)"
_THAT_BE = re.compile(rf"^(?:that\b.{{0,400}}?\bbe\s+{_PARTICIPLE}\b|(?:of|from|for)\b.{{0,120}}?\bbe\s+"
                      r"(?:requested|asked|invited|instructed|authorised|delegated)\b)", re.IGNORECASE | re.DOTALL)
_TO_DECIDE = re.compile(r"^to\s+(?:note|agree|approve|endorse|authorise|authorize|delegate|request|ask|adopt|"
                        r"accept|support|receive|instruct|commission)\b", re.IGNORECASE)
# Decision verbs, as "be VERBed" or as an infinitive or coordinated verb ("and support"), or in the third
# person after "That the Committee:-" ("1. approves ...; 2. notes ...").
# Not a modal's "be" ("proposals as to how these can be addressed"), which describes, deciding nothing.
_DECISION_VERB = re.compile(
    r"(?<!\bcan )(?<!\bcould )(?<!\bmay )(?<!\bmight )(?<!\bwould )(?<!\bshould )(?<!\bwill )(?<!\bmust )"
    rf"\bbe\s+(?P<passive>{_PARTICIPLE})\b|(?:^(?:to\s+)?|\band(?:\s+to)?\s+)(?P<active>(?:note|agree|approve|endorse|"
    r"authorise|authorize|delegate|request|ask|adopt|accept|support|receive|instruct|commission|thank|"
    r"congratulate|welcome)s?)\b", re.IGNORECASE)
# An imperative decision ("Approve the ...", "Note the progress ...") after a "RESOLVED to:" lead-in.
_IMPERATIVE = re.compile(r"^(?:note|agree|approve|endorse|authorise|authorize|delegate|request|ask|adopt|accept|"
                         r"support|receive|instruct|commission|thank|congratulate|welcome)\b", re.IGNORECASE)
_PROCEDURAL = {"noted", "note", "notes", "received", "receive", "receives", "thanked", "thank", "thanks",
               "congratulated", "congratulate", "congratulates", "welcomed", "welcome", "welcomes", "accepted",
               "accept", "accepts"}
# Approving the minutes, the report or its recommendations adds nothing of its own.
# So does recording thanks or appreciation.
_APPROVAL_OF_PAPERS = re.compile(r"\b(?:the\s+)?(?:minutes|recommendations?|report|contents|responses?)\b(?:(?!\bbe\b)[^.;]){0,60}\bbe\s+"
                                 r"(?:approved|agreed|accepted|endorsed|confirmed|signed)\b|^(?:to\s+)?(?:approve|agree|"
                                 r"accept|endorse)\s+the\s+(?:minutes|recommendations?|report)\b|\b(?:thanks|appreciation|"
                                 r"gratitude|congratulations)\b(?:(?!\bbe\b)[^.;]){0,100}\bbe\s+(?:recorded|conveyed|"
                                 r"expressed|placed on record|passed on|noted)\b", re.IGNORECASE)


def resolution_label(text: str) -> re.Match | None:
    """The "RESOLVED:" / "Decision:" label opening a heading or paragraph, if any."""
    return _LABEL.match(text.strip())


def resolution_items(text: str) -> list[tuple[int, int]]:
    """Spans of the resolutions a paragraph runs together ("(i) ...; (ii) ...; and (iii) ..."),
    or the whole text when it holds one."""
    marks = list(_INLINE_ITEM.finditer(text))
    if len(marks) < 2:
        return [(0, len(text))]
    spans = [(m.end(), following.start() if following else len(text))
             for m, following in zip(marks, marks[1:] + [None])]
    return [(s, e) for s, e in spans if text[s:e].strip(" ;,.")]


def is_resolution(text: str) -> bool:
    """Text in the form of a resolution: "That ... be ...", "To note ... and support ..."."""
    text = text.strip()
    return bool(_THAT_BE.match(text) or _TO_DECIDE.match(text))


def is_imperative_decision(text: str) -> bool:
    return _IMPERATIVE.match(text.strip()) is not None


# "It is noted that it is proposed that ...": the body records what it was told, deciding nothing.
_IT_IS_NOTED = re.compile(r"^(?:it\s+(?:is|was|be)\s+(?:also\s+|further\s+)?noted|(?:to\s+)?note)\s+that\b",
                          re.IGNORECASE)


def is_procedural_resolution(text: str) -> bool:
    """A resolution that only notes, receives, thanks, or approves papers."""
    if _IT_IS_NOTED.match(text.strip()):
        return True
    if _APPROVAL_OF_PAPERS.search(text):
        rest = _APPROVAL_OF_PAPERS.sub("", text)
        return not any((m.group("passive") or m.group("active")).lower() not in _PROCEDURAL
                       for m in _DECISION_VERB.finditer(rest))
    verbs = [(m.group("passive") or m.group("active")).lower() for m in _DECISION_VERB.finditer(text)]
    return bool(verbs) and all(v in _PROCEDURAL for v in verbs)
