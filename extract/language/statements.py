"""The kind of a statement (commitment, progress or neither) from its tense, modality and agent.

Where no heading or lead-in says what a passage holds (minutes, decision records, report
paragraphs, strategy prose), the words do: work of the council's done or under way
("had been appointed", "is offering", "work is underway") is progress; a promise of the
council, one of its bodies or a partner ("will", and in reported speech "would", "was
expected to", "had agreed to") is a commitment. Meeting procedure ("The Committee
considered a report", "X presented the report"), members' questions, sentences about the
document itself, national context and bare figures are neither. The cues are data
(`patterns/statements.json`); this module only composes them.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Statement", "classify_statement", "promise_spans", "sentence_spans", "is_procedural",
           "on_workforce"]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z“‘\"(])")


@dataclass(frozen=True)
class Statement:
    """What a passage is, and the part of it that is the record (procedural lead-ins cut)."""

    kind: str | None  # 'progress', 'commitment' or None
    start: int
    end: int


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries as character spans of text."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start() + (1 if text[m.start()] in "\"”’)" else 0)))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _words(items: list[str]) -> str:
    return "|".join(w.replace(" ", r"\s+") for w in sorted(items, key=len, reverse=True))


@dataclass(frozen=True)
class _Cues:
    done: re.Pattern  # perfect or past passive of council work: "has been launched", "had appointed"
    doing: re.Pattern  # progressive: "is offering", "were being used"
    underway: re.Pattern
    being_done: re.Pattern  # "the measures being put in place included ...": work under way, named as a noun
    now_done: re.Pattern  # "all new staff now completed ...": a practice now in place
    did: re.Pattern  # past simple of council work: "we recruited", "the service launched"
    result: re.Pattern  # a figure changed by council work: "fell to 18% following the conversion of ..."
    following: re.Pattern  # "Following the establishment of ...": a step already taken
    promise: re.Pattern
    reported_promise: re.Pattern
    passive_future: re.Pattern
    not_promise: re.Pattern
    third_party: re.Pattern
    pronoun: re.Pattern
    agent: re.Pattern
    workforce: re.Pattern
    procedural: re.Pattern
    description: re.Pattern
    question: re.Pattern


# "had taken the operational decision on 23 June to pay": reported speech for "had decided to".
_DECISION_TO = r"(?:the|a|an)\s+(?:[\w-]+\s+)?decision\b[^.;]{0,40}?\bto\s"
# "In noting the progress made since then, including ...": work done, named as a noun.
_PROGRESS_MADE = re.compile(r"\bprogress\s+made\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    data = json.loads(resources.files("extract").joinpath("patterns/statements.json").read_text("utf-8"))
    done, doing = _words(data["done"]), _words(data["doing"])
    adverb = r"(?:(?:also|now|already|recently|successfully|since|traditionally|currently|slowly|actively|" \
             r"further|then|steadily|significantly|gradually|therefore|subsequently|officially|formally|fully)\s+){0,2}"
    flags = re.IGNORECASE
    return _Cues(
        done=re.compile(rf"\b(?P<aux>(?:has|have|had)\s+{adverb}been|was|were|has|have|had)\s+{adverb}"
                        rf"(?P<verb>{done})\b", flags),
        doing=re.compile(rf"\b(?P<aux>is|are|was|were)\s+{adverb}(?:(?P<being>being)\s+{adverb}(?:{done})|{doing})\b",
                         flags),
        # "the right support was in place": a practice the council has put in place.
        underway=re.compile(r"\b(?:is|are|was|were)\s+(?:currently\s+|now\s+|already\s+)?(?:underway|under way|"
                            r"ongoing|in progress|in place|taking place|being considered|being explored)\b"
                            # "our strategy has been in development for over a year": work under way
                            r"|\b(?:is|are|has\s+been|have\s+been)\s+(?:currently\s+|now\s+)?in\s+development\b"
                            # "work continued towards establishing a permanent workforce": under way (not the
                            # profession, "social work continued to be challenging", nor a state, "continued to be")
                            r"|(?<!social )\b(?:work|efforts?)\s+(?:has\s+|had\s+)?continue[sd]?\s+"
                            r"(?:on|to(?!\s+be\b)|towards|with)\b", flags),
        now_done=re.compile(rf"\bnow\s+(?:{done})\b", flags),
        being_done=re.compile(rf"\b(?:measures|steps|solutions|actions|initiatives|arrangements|changes|improvements)\s+"
                              rf"being\s+(?:{done})\b", flags),
        did=re.compile(rf"(?<!\bhas )(?<!\bhave )(?<!\bhad )(?<!\bwas )(?<!\bwere )(?<!\bbeen )(?<!\bbe )"
                       rf"(?<!\bbeing )(?<!\bis )(?<!\bare )(?<!\bto )\b(?:{done})\b(?!\s+by\b)", flags),
        result=re.compile(r"\b(?:fallen|fell|reduced|risen|rose|increased|improved|dropped|decreased|halved|"
                          r"doubled)\b[^.;]{0,120}?\b(?:following|since|after|as a result of|thanks to)\s+(?:the|a|an|"
                          r"our)\s+(?:[\w-]+\s+){0,3}?(?:establishment|introduction|launch|creation|appointment|"
                          r"implementation|completion|development|conversion|campaign|recruitment|restructure|"
                          r"review|programme|scheme|payment|offer)\b"
                          # "This work has resulted in a rise in applications": what the council's work achieved
                          r"|\bwork\s+(?:has|had|have)\s+(?:now\s+|already\s+)?resulted\s+in\b", flags),
        following=re.compile(r"^(?:following|since|after)\s+(?:the|a|an|our)\s+(?:[\w-]+\s+){0,2}?(?:establishment|"
                             r"introduction|launch|creation|appointment|implementation|completion|development|"
                             r"recruitment drive|recruitment campaign|restructure|review)\b", flags),
        promise=re.compile(r"\b(?:will|shall|(?:is|are) expected to|intends? to|plans? to|with a view to|"
                           r"(?:is|are) committed to|(?:has|have) (?:decided|agreed) to|it is hoped that|it is (?:also )?expected that|"
                           rf"(?:has|have)\s+{adverb}taken\s+{_DECISION_TO}|"
                           r"(?:is|are) (?:planning|looking|hoping|aiming|intending|seeking) to|"
                           r"(?:is|are) (?:scheduled|programmed|timetabled) (?:for|to)|"
                           r"there (?:is a plan|are plans) to)\b", flags),
        # "had therefore taken the decision to pay" reports a decision to pay, as "had agreed to pay" does.
        # "The Panel agreed to consider further information": a body's decision to do something (not
        # to note a paper, which decides nothing).
        reported_promise=re.compile(r"\b(?:would|(?:was|were) expected to|it was (?:also )?expected that|(?:had|has|have) agreed to|"
                                    r"agreed to(?!\s+(?:note|receive the report)\b)|"
                                    rf"had\s+{adverb}taken\s+{_DECISION_TO}|"
                                    r"(?:was|were) due to|(?:was|were) going to|"
                                    r"(?:was|were) (?:planning|looking|hoping|aiming|intending|seeking) to|"
                                    r"(?:was|were) (?:scheduled|programmed|timetabled) (?:for|to)|"
                                    r"there (?:was a plan|were plans) to)\b", flags),
        passive_future=re.compile(rf"\b(?:will|shall|would)\s+(?:\w+\s+)?be\s+(?:{done}|{_words(data['to_be_done'])})\b",
                                  flags),
        not_promise=re.compile(
            r"\b(?:will|would),|\b(?:will|would)\s+(?:\w+\s+)?(?:need to|enable|help|allow|mean|result|"
            r"weaken|be starting|be joining|be beginning|be in post|take up (?:post|the post)|qualify|graduate|"
            r"(?:complete|finish) (?:the|this|their|its) (?:[\w-]+ )?(?:programme|course|training|apprenticeship|degree|"
            r"year)|like|be able|have been|be (?:a|an|the|very|really|more|less|so)(?=\s))\b"
            r"|\b(?:paper|report|document|presentation|item)s?\s+(?:will|would)\b"
            # An offer page's "you will be supported", "staff will benefit from": what the reader or
            # the staff receive under a standing offer, not a step the council promises to take.
            r"|\byou\s+(?:will|would)\b|\b(?:will|would)\s+(?:all\s+)?benefit\b", flags),
        third_party=re.compile(rf"\b(?:{_words(data['third_parties'])})\b", flags),
        pronoun=re.compile(rf"^(?:{_words(data['pronouns'])})$", flags),
        agent=re.compile(rf"\b(?:{_words(data['agents'])})\b", flags),
        workforce=re.compile(rf"\b(?:{_words(data['workforce'])})\b", flags),
        procedural=re.compile("|".join(f"(?:{p})" for p in data["procedural"]), flags),
        description=re.compile("|".join(f"(?:{p})" for p in data["document_description"]), flags),
        question=re.compile("|".join(f"(?:{p})" for p in data["question"]), flags),
    )


def on_workforce(text: str) -> bool:
    """Whether the passage is about the workforce (recruitment, retention, development,
    caseloads, agency staffing, structure): other items of a minute are not this KB's."""
    return _cues().workforce.search(text) is not None


def is_procedural(sentence: str) -> bool:
    """Meeting procedure or members' questions: "The Committee considered a report of ...",
    "X presented the report", "Members raised concern that ...", "To consider the report"."""
    return _cues().procedural.search(sentence.strip()) is not None


# "The report stated that the strategy had been implemented": what a paper says of the work, in a
# that-clause, is the statement it reports (a description of the paper itself has none).
_REPORTS_THAT = re.compile(r"\b(?:stated?|states|said|says|reported|confirm(?:ed|s)|not(?:ed|es)|highlight(?:ed|s)|"
                           r"explain(?:ed|s)|show(?:ed|s)|indicat(?:ed|es)|advised|informed|told)\s+"
                           r"(?:(?:the\s+)?(?:committee|members|panel|board|cabinet)\s+)?that\s", re.IGNORECASE)


def _describes_document(sentence: str) -> bool:
    """A sentence about the report or strategy itself ("The strategy set out the council's plans")."""
    return _cues().description.search(sentence.strip()) is not None and not _REPORTS_THAT.search(sentence)


# "There are currently no firm plans to recruit from overseas": what the council is not doing.
_NO_PLANS = re.compile(r"\bno (?:firm |current |immediate |further )?plans? (?:to|for)\b", re.IGNORECASE)


def _is_context(sentence: str) -> bool:
    return bool(_describes_document(sentence) or _cues().question.search(sentence) or _NO_PLANS.search(sentence)
                or re.search(r"\bnational(?:ly)?\b|\bacross the country\b", sentence, re.IGNORECASE))


_SCHEDULED = re.compile(r"scheduled|programmed|timetabled", re.IGNORECASE)
# "whether the payment would be extended": a question put, not a promise made.
_QUESTIONED = re.compile(r"\b(?:whether|if)\b[^,;]*$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\b(?:that|and|but|so|as|because|while|whilst|although)\s+", re.IGNORECASE)


def _subject(sentence: str, at: int) -> str:
    """The words before a verb group, back to the start of its clause."""
    return _CLAUSE_BREAK.split(sentence[:at])[-1].strip()


def _names_council(subject: str, council: str | None) -> bool:
    """The subject names the council, by name or by the initials its papers use for it ("WCC" for
    Warwickshire County Council, "WSCC" for West Sussex, "SHMBC" for St Helens)."""
    if not council:
        return False
    return council.lower() in subject.lower() or _initialism(council).search(subject) is not None


@lru_cache(maxsize=64)
def _initialism(council: str) -> re.Pattern:
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", council) if word.lower() not in ("and", "of", "upon", "on"))
    # then County/City/Borough/Metropolitan Borough/District, and Council: "C", "CC", "BC", "MBC", "DC"
    return re.compile(rf"\b{re.escape(initials.upper())}(?:C|B|MB|D)?C\b")


def _council_subject(subject: str, council: str | None) -> bool:
    """A subject that is the council, one of its bodies or a named partner."""
    cues = _cues()
    if not subject or cues.pronoun.match(subject) or cues.third_party.search(subject):
        return False
    if _names_council(subject, council):
        return True
    # A name capitalised past the clause's first word ("Skills for Care", "Connect2Halton")
    # is a body that acts; so is any subject naming a council body.
    return bool(cues.agent.search(subject) or re.search(r"(?<!^)\b[A-Z][\w’'-]+", subject)
                or re.match(r"[A-Z][a-z]+\w*$", subject))


# "The programme opens for recruitment today", "applications are now open": recruitment under way.
_OPEN_NOW = re.compile(r"\b(?:opens|opened|(?:is|are)\s+(?:now\s+)?open)\s+for\s+(?:recruitment|applications)\s+"
                       r"(?:today|now)\b|\b(?:is|are)\s+now\s+open\s+for\s+(?:recruitment|applications)\b",
                       re.IGNORECASE)
# "The academy, which was launched in February, is ...": an aside dating a launch reports the launch.
_LAUNCHED_WHEN = re.compile(r",\s+which\s+(?:was|were|has\s+been|had\s+been)\s+(?:officially\s+|formally\s+)?"
                            r"(?:launched|introduced|established|set\s+up|created|opened)\s+(?:in|on|last|this|earlier)\b",
                            re.IGNORECASE)
# "has successfully bid for funding to train 49 social workers": a new intake won, which counts as
# a promise as a cohort's launch does (the progress is the bid, the promise the training).
_WON_BID = re.compile(r"\b(?:has|have|had)\s+(?:successfully\s+)?(?:bid|won|secured)\b[^.]{0,80}?\bfunding\b"
                      r"[^.]{0,40}?\bto\s+(?:train|recruit)\b", re.IGNORECASE)


def is_progress_sentence(sentence: str, council: str | None = None) -> bool:
    """Work of the council's done or under way, in a sentence that reports it."""
    cues = _cues()
    if _is_context(sentence) or is_procedural(sentence):
        return False
    if cues.underway.search(sentence) or cues.following.search(sentence.strip()) or cues.being_done.search(sentence) \
            or _OPEN_NOW.search(sentence) or _LAUNCHED_WHEN.search(sentence):
        return True
    now = cues.now_done.search(sentence)
    if now and not cues.third_party.search(_subject(sentence, now.start())):
        return True
    if cues.result.search(sentence) or _PROGRESS_MADE.search(sentence):
        return True
    for m in cues.did.finditer(sentence):
        # Past simple ("the service launched", "we recruited"): work done when the council or one
        # of its bodies is the subject; a third party's doing, or a relative clause, is not.
        if sentence[m.end():m.end() + 4].lower() == " to " and m.group(0).lower() in ("agreed", "decided"):
            continue  # "The Board agreed to review ...": a decision to act, reported, not work done
        subject = _subject(sentence, m.start())
        words = subject.split()
        if words and len(words) <= 6 and words[-1].lower() not in ("which", "who", "that") \
                and not cues.third_party.search(subject) \
                and (cues.agent.search(subject) or _names_council(subject, council)):
            return True
    for pattern in (cues.done, cues.doing):
        for m in pattern.finditer(sentence):
            subject = _subject(sentence, m.start())
            last = subject.split()[-1].lower() if subject.split() else ""
            if last in ("which", "who", "that", "what"):
                continue  # "a tool which has been used", "a report on what had been achieved": what a thing is
            if sentence[m.end():m.end() + 4].lower() == " to " and \
                    m.group(0).lower().endswith(("agreed", "decided", "designed")):
                continue  # "had agreed to review": reported speech for "will review"; "was designed to": a purpose
            aux = m.group("aux").lower()
            passive = m.groupdict().get("being") is not None if pattern is cues.doing \
                else "been" in aux or aux in ("was", "were")
            if cues.third_party.search(subject) and not passive and not (council and council.lower() in subject.lower()):
                continue  # ("local authorities led by Anytown Council have bid ...": the council's work)
            if passive and re.search(r"\bby\s+(?:the\s+)?(?:ofsted|inspectors?|government|dfe)\b",
                                     sentence[m.end():m.end() + 40], re.IGNORECASE):
                continue
            # Active forms ("has recruited", "is offering") report the council's work unless a
            # third party is the subject; the subject of "This has included" is the work itself.
            return True
    return False


# "The new Corporate Director was due to start in January": a post-holder's start date, which no one
# promises (a cohort's start, which does count, has no post as its subject).
_POST_HOLDER_STARTS = re.compile(r"^(?:it\s+(?:is|was)\s+(?:also\s+)?expected\s+that\s+)?(?:the\s+)?(?:new|incoming|"
                                 r"newly\s+appointed|permanent|interim)\s+(?:[\w’'&-]+\s+){0,6}?(?:(?:is|are|was|were|"
                                 r"would\s+be)\s+(?:due|expected|set|going)\s+to\s+|will\s+|would\s+)"
                                 r"(?:start|join|begin|commence|take\s+up)\b", re.IGNORECASE)


def _promise_at(sentence: str, reported: bool, council: str | None) -> tuple[int, bool] | None:
    """Where a promise of the council's starts in the sentence, and whether that is the start of
    a clause of its own that follows the council's reported work ("... had been commissioned
    and would report"), or None."""
    cues = _cues()
    if _is_context(sentence) or is_procedural(sentence) or _POST_HOLDER_STARTS.match(sentence.strip()):
        return None
    patterns = (cues.promise, cues.reported_promise) if reported else (cues.promise,)
    for pattern in patterns:
        for m in pattern.finditer(sentence):
            window = sentence[max(0, m.start() - 12):m.end() + 30]
            if cues.not_promise.search(window) or _QUESTIONED.search(sentence[max(0, m.start() - 80):m.start()]):
                continue
            subject = _subject(sentence, m.start())
            if subject.split()[-1:] in (["who"], ["which"], ["that"]):
                continue  # "a cohort ... who were due to start": a description, not a promise
            # "The next staff survey was programmed for January": what is scheduled is the subject.
            if m.group(0).lower().startswith(("it is hoped", "it is expected", "it is also expected", "it was expected",
                                               "it was also expected", "there ")) or cues.passive_future.match(sentence, m.start()) \
                    or _SCHEDULED.search(m.group(0)) or _council_subject(subject, council):
                at = m.start() - len(sentence[:m.start()]) + len(sentence[:m.start()].rstrip()) - len(subject) \
                    if subject else m.start()
                return at, at > 0 and is_progress_sentence(sentence[:at], council)
            done = _coordinated_work(sentence, m.start(), council) if not subject else None
            if done is not None:
                return done, True
    return None


def _coordinated_work(sentence: str, at: int, council: str | None) -> int | None:
    """Where "a review had been commissioned and would report by ..." starts: a promise whose
    subject is that of the council's work reported just before it, in the same clause."""
    head = sentence[:at]
    if not head.rstrip().endswith(" and"):
        return None
    done = list(_cues().done.finditer(head))
    if not done or not is_progress_sentence(head, council):
        return None
    subject = _subject(sentence, done[-1].start())
    return done[-1].start() - len(sentence[:done[-1].start()]) + len(sentence[:done[-1].start()].rstrip()) \
        - len(subject) if subject else None


def promise_spans(text: str, *, reported: bool = False, council: str | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences that make a promise; where the promise follows a report of work
    done in the same sentence ("... has been agreed, and it is hoped that ..."), the clause."""
    found = []
    for start, end in _judged_sentences(text):
        sentence = text[start:end]
        found_at = _promise_at(sentence, reported, council)
        if found_at is None and _WON_BID.search(sentence) and not _is_context(sentence):
            found_at = (0, False)
        if found_at is None:
            continue
        at, own_clause = found_at
        if own_clause:
            start += at  # after a report of work done, the promise's own clause, from its subject
        found.append((start, end))
    return found


_QUOTATION = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
_FIRST_PERSON_SINGULAR = re.compile(r"\b(?:I|I[’']m|I[’']ve|I[’']d|me|my|myself)\b")


def _testimony(text: str) -> list[tuple[int, int]]:
    """Spans of quoted speech in the first person singular ("“The team eased me into my role,”
    said Sam"): someone's experience of the service, evidence as feedback is, not its work."""
    return [m.span() for m in _QUOTATION.finditer(text) if _FIRST_PERSON_SINGULAR.search(m.group(0))]


def _judged_sentences(text: str) -> list[tuple[int, int]]:
    """The sentence spans whose words say what the passage is: those outside testimony."""
    quoted = _testimony(text)
    return [(s, e) for s, e in sentence_spans(text) if not any(qs < e and s < qe for qs, qe in quoted)]


def classify_statement(text: str, *, reported: bool = False, council: str | None = None) -> Statement:
    """The kind of a paragraph or list item that no section heading classifies.

    Leading procedural sentences and a closing lead-in ("Key priorities are:") are not part
    of the record; what is left is progress when any sentence reports council work, else a
    commitment when any sentence promises it, else nothing.
    """
    spans = sentence_spans(text)
    while spans and is_procedural(text[spans[0][0]:spans[0][1]]):
        spans = spans[1:]
    if len(spans) > 1 and text[spans[-1][0]:spans[-1][1]].rstrip().endswith(":"):
        spans = spans[:-1]
    if not spans:
        return Statement(None, 0, 0)
    start, end = spans[0][0], spans[-1][1]
    body = text[start:end]
    if not on_workforce(body):
        return Statement(None, start, end)
    judged = set(_judged_sentences(text))
    sentences = [text[s:e] for s, e in spans if (s, e) in judged]
    if any(is_progress_sentence(s, council) for s in sentences):
        return Statement("progress", start, end)
    if any(_promise_at(s, reported, council) is not None for s in sentences):
        return Statement("commitment", start, end)
    return Statement(None, start, end)
