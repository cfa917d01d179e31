"""The same commitment across a council's documents: clustering, overrides and changes.

Every action belongs to exactly one cluster of `commitment_links`; the cluster's
`canonical_id` is its earliest action (document `published`, then position).
Pairs are only ever compared inside one council, and inside a council only when
they share a rare key term (blocking) and lie close together in publication order
among the statements holding that term, so the cost grows with the number of
actions times a small constant instead of with all pairs, however many editions
a council has.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from itertools import groupby
from typing import Iterable, Iterator

from rapidfuzz import fuzz
from sqlite_utils import Database

from extract.errors import WorkforceKBError
from extract.settings import resolve_settings
from extract.ids import stable_id

__all__ = [
    "Change", "Edge", "LinkMethod", "LinkReport", "LinkSettings", "OverrideError", "OverrideResult", "TermWeights",
    "add_override", "candidate_pairs", "date_bounds", "document_order", "link_commitments", "list_overrides",
    "normalise", "set_override", "similarity", "terms",
]

# Words too common in council reports to say which initiative a statement is about.
_STOP = frozenset("""
a an the and or of to in on for with by at from as is are was were be been being has have had
will shall would can could may might must this that these those it its our we us their they them
which who whom there here also all any each other such into over under about than then so not no
more most very new further regular regularly well within across through per via both including
""".split())
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_ORDINALS = {w: str(i) for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
_SUFFIXES = ("ments", "ment", "ings", "ing", "ied", "ies", "ed", "es", "s", "ly")


class LinkMethod(str, Enum):
    """How a link was made (recorded in `commitment_links.method`)."""

    SELF = "self"          # a cluster of one
    EXACT = "exact"        # same normalised text
    FUZZY = "fuzzy"        # rapidfuzz + term overlap above the threshold
    EVIDENCE = "evidence"  # the audit found this action reporting on the promise
    OVERRIDE = "override"  # a person said so in link_overrides


@dataclass(frozen=True)
class LinkSettings:
    """Thresholds of the linker; `LinkSettings.resolve(None | dict | LinkSettings)`."""

    threshold: float = 55.0      # 0-100 score needed for two statements to be linked
    keys_per_record: int = 4     # rarest terms of a statement used as blocking keys
    max_posting: int = 40        # a key shared by more statements than this is not rare ...
    max_per_document: int = 4    # ... unless no document has more statements holding it than this
    window: int = 2              # a statement meets the holders of its key in the next `window` documents
    use_audit_evidence: bool = True  # also link promises to the evidence the audit found

    def __post_init__(self) -> None:
        if not 0 <= self.threshold <= 100:
            raise ValueError(f"Link setting 'threshold' must be within 0-100, got {self.threshold}")
        for name in ("keys_per_record", "max_posting", "max_per_document", "window"):
            if getattr(self, name) < 1:
                raise ValueError(f"Link setting '{name}' must be at least 1, got {getattr(self, name)}")

    @classmethod
    def resolve(cls, settings: LinkSettings | dict | None) -> LinkSettings:
        """Accept None (defaults), a dict of overrides or a LinkSettings."""
        return resolve_settings(cls, settings, "Link")


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    score: float
    method: LinkMethod


@dataclass(frozen=True)
class Change:
    """A number, deadline or lead that differs between linked records of two editions."""

    kind: str           # "action" or "target"
    field: str          # "deadline", "lead", "value_min", "value_max", "unit"
    before: str
    after: str
    earlier_id: str
    later_id: str

    def short_msg(self) -> str:
        return f"{self.kind} {self.field} changed from {self.before!r} to {self.after!r}"


@dataclass
class LinkReport:
    """What `link_commitments` did: sizes, comparisons made (blocking cost) and changes."""

    actions: int = 0
    clusters: int = 0
    links: int = 0                      # actions in a cluster of more than one
    comparisons: int = 0                # candidate pairs scored after blocking
    by_method: dict[str, int] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.actions} actions in {self.clusters} clusters, {self.links} linked, "
                f"{self.comparisons} comparisons, {len(self.changes)} changes")


# ---------------------------------------------------------------- text features

def terms(text: str | None) -> list[str]:
    """Content terms of a statement: lower-cased, stemmed, numbers and ordinals as digits.

    Ordinals and number words become digits because reports alternate between
    "cohort 8", "eighth cohort" and "8th cohort".
    """
    return list(_terms(text)) if text else []


@lru_cache(maxsize=100_000)  # the audit, the linker and the search for restatements read the same statements
def _terms(text: str) -> tuple[str, ...]:
    t = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    t = re.sub(r"(\d),(\d{3})", r"\1\2", t)
    t = re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", r"\1", t)
    out = []
    for w in re.findall(r"[a-z]+|\d+", t):
        w = _NUMBER_WORDS.get(w) or _ORDINALS.get(w) or w
        if w in _STOP or (len(w) < 3 and not w.isdigit()):
            continue
        out.append(_stem(w))
    return tuple(out)


@lru_cache(maxsize=200_000)
def _stem(w: str) -> str:
    # A crude suffix stripper is enough: both sides of a comparison go through it.
    if w.isdigit():
        return w
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    return w[:-1] if len(w) > 4 and w.endswith("e") else w


class _Weights(dict):
    """Term -> weight; a term in none of the statements weighs `unseen`."""

    unseen = 0.0

    def __missing__(self, term: str) -> float:
        return self.unseen


class TermWeights:
    """Inverse document frequency of terms over one council's statements."""

    def __init__(self, texts: Iterable[str] = (), term_sets: Iterable[set[str]] = ()) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for ts in [set(terms(t)) for t in texts] + list(term_sets):
            self.df.update(ts)
            self.n += 1
        # Every known term's weight, worked out once: the audit and the linker weigh term sets
        # about a hundred thousand times for a council of a few hundred pages.
        self._idf = _Weights({t: math.log((self.n + 1) / (c + 0.5)) for t, c in self.df.items()})
        self._idf.unseen = math.log((self.n + 1) / 0.5)

    def idf(self, term: str) -> float:
        return self._idf[term]

    def weight(self, ts: Iterable[str]) -> float:
        return sum(map(self._idf.__getitem__, set(ts)))

    def coverage(self, part: set[str], whole: set[str]) -> float:
        """Share of `part`'s weight that `whole` also contains."""
        w = self.weight(part)
        return self.weight(part & whole) / w if w else 0.0

    def dice(self, a: set[str], b: set[str]) -> float:
        w = self.weight(a) + self.weight(b)
        return 2 * self.weight(a & b) / w if w else 0.0


@lru_cache(maxsize=100_000)  # each statement is compared with many others
def normalise(text: str | None) -> str:
    t = unicodedata.normalize("NFKC", text or "").lower()
    t = re.sub(r"[\u2018\u2019`]", "'", t)
    return re.sub(r"\s+", " ", t).strip(" .;:,-")


def similarity(a: str, b: str, weights: TermWeights,
               ta: set[str] | None = None, tb: set[str] | None = None) -> float:
    """0-100: the mean of weighted term overlap (dice and containment) and rapidfuzz token_set_ratio.

    token_set_ratio alone scores a short statement 100 against any longer one that
    contains its words; the weighted overlap keeps rare shared names decisive.
    """
    ta = set(terms(a)) if ta is None else ta
    tb = set(terms(b)) if tb is None else tb
    if not ta or not tb:
        return 0.0
    contain = weights.coverage(ta, tb) if weights.weight(ta) <= weights.weight(tb) else weights.coverage(tb, ta)
    fz = fuzz.token_set_ratio(normalise(a), normalise(b)) / 100
    return round(100 * (weights.dice(ta, tb) + contain + fz) / 3, 1)


# ---------------------------------------------------------------- dates and order

def date_bounds(iso: str | None) -> tuple[str, str] | None:
    """First and last day an ISO date of any precision can mean: `2023` -> 2023-01-01..2023-12-31."""
    if not iso:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(iso))
    if not m:
        return None
    y, mo, d = m.groups()
    if d:
        return (f"{y}-{mo}-{d}",) * 2
    if mo:
        return f"{y}-{mo}-01", f"{y}-{mo}-31"
    return f"{y}-01-01", f"{y}-12-31"


def document_order(db: Database) -> dict[str, tuple]:
    """Sort key of each document: published (undated last), then id for stability."""
    return {d["id"]: (d["published"] is None, d["published"] or "", d["id"])
            for d in db.query("select id, published from documents")}


# ---------------------------------------------------------------- blocking

_Key = str | tuple[str, str]


def _blocking_keys(items: list[tuple[str, str, set[str]]], weights: TermWeights,
                   settings: LinkSettings) -> list[list[_Key]]:
    """Each item's blocking keys: its `keys_per_record` rarest rare terms, topped up with rare pairs of its
    common terms (each with the next less common one, so that a word added or dropped in
    one edition changes at most two pairs).

    A key is rare when at least two and at most `max_posting` items hold it, or when no
    document has more than `max_per_document` items holding it: in a council of many
    editions a restated statement's own words recur once in every edition, far more
    than `max_posting` times, and are still the best keys it has. A statement in plain
    words ("a core training offer for social workers") shares each word with many
    others, but the pair of its two least common words with few.
    """
    k = settings.keys_per_record

    def peaks(keys_by_item: Iterable[tuple[str, Iterable[_Key]]]) -> dict[_Key, int]:
        """The most items of any one document holding each key."""
        per_document: Counter[tuple[_Key, str]] = Counter((key, doc) for doc, keys in keys_by_item for key in keys)
        peak: dict[_Key, int] = {}
        for (key, _), n in per_document.items():
            peak[key] = max(peak.get(key, 0), n)
        return peak

    def rare(df: int, peak: int) -> bool:
        return df >= 2 and (df <= settings.max_posting or peak <= settings.max_per_document)

    term_peak = peaks((doc, ts) for _, doc, ts in items)
    singles: list[list[_Key]] = []
    chains: list[list[tuple[str, str]]] = []
    for _, _, ts in items:
        # Ordered by council-wide frequency, so every item holding two terms pairs them the same way.
        shared = sorted((t for t in ts if weights.df[t] >= 2), key=lambda t: (weights.df[t], t))
        own = [t for t in shared if rare(weights.df[t], term_peak[t])][:k]
        common = [t for t in shared if t not in own] if len(own) < k else []
        singles.append(own)
        chains.append(list(zip(common, common[1:])))
    pair_df = Counter(pair for chain in chains for pair in chain)
    pair_peak = peaks((doc, chain) for (_, doc, _), chain in zip(items, chains))
    return [own + [p for p in chain if rare(pair_df[p], pair_peak[p])][: k - len(own)]
            for own, chain in zip(singles, chains)]


def candidate_pairs(items: list[tuple[str, str, set[str]]], weights: TermWeights,
                    settings: LinkSettings, order: dict[str, tuple]) -> Iterator[tuple[int, int]]:
    """Index pairs of items (id, document_id, terms) from different documents that share a blocking key.

    The documents holding a key are put in publication order (`order`, as
    `document_order` gives) and an item is compared with the key's holders in the next
    `window` of them only: restatements in neighbouring editions meet, and their links
    chain all the editions into one cluster, while an item meets a bounded number of
    others however many editions its council has. In a council of at most
    `window + 1` documents that is every pair.
    """
    postings: dict[_Key, list[int]] = defaultdict(list)
    for i, keys in enumerate(_blocking_keys(items, weights, settings)):
        for key in keys:
            postings[key].append(i)

    def published(i: int) -> tuple:
        doc = items[i][1]
        return order.get(doc, (True, "", doc))

    seen: set[tuple[int, int]] = set()
    for members in postings.values():
        runs = [list(run) for _, run in groupby(sorted(members, key=lambda i: (published(i), i)), key=published)]
        for r, run in enumerate(runs):
            for later in runs[r + 1: r + 1 + settings.window]:
                for i in run:
                    for j in later:
                        pair = (i, j) if i < j else (j, i)
                        if pair not in seen:
                            seen.add(pair)
                            yield pair


# ---------------------------------------------------------------- clustering

class _Clusters:
    """Union-find that refuses to merge two components a person said are different."""

    def __init__(self, ids: Iterable[str], different: Iterable[tuple[str, str]]) -> None:
        self.parent = {i: i for i in ids}
        self.members = {i: {i} for i in self.parent}
        self.cannot: dict[str, set[str]] = defaultdict(set)
        for a, b in different:
            if a in self.parent and b in self.parent:
                self.cannot[a].add(b)
                self.cannot[b].add(a)
        self.blocked = {r: set(self.cannot.get(r, ())) for r in self.parent}

    def find(self, i: str) -> str:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.blocked[ra] & self.members[rb]:
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        self.blocked[ra] |= self.blocked.pop(rb)
        return True


def _ensure_tables(db: Database) -> None:
    if not db["link_overrides"].exists():
        db["link_overrides"].create({"action_a": str, "action_b": str, "same": int, "note": str},
                                    pk=("action_a", "action_b"))
    if not db["commitment_links"].exists():
        db["commitment_links"].create({"id": str, "action_id": str, "canonical_id": str, "score": float,
                                       "method": str, "council": str}, pk="id")
        db["commitment_links"].create_index(["canonical_id"], if_not_exists=True)
        db["commitment_links"].create_index(["council"], if_not_exists=True)
    if not db["commitment_changes"].exists():
        db["commitment_changes"].create({
            "id": str, "council": str, "kind": str, "field": str, "before": str, "after": str,
            "earlier_id": str, "later_id": str, "earlier_document_id": str, "later_document_id": str,
            "earlier_text": str, "later_text": str, "earlier_page": int, "later_page": int}, pk="id")
        db["commitment_changes"].create_index(["council"], if_not_exists=True)


class OverrideError(WorkforceKBError):
    """A judgement that cannot be recorded: one action named twice, an unknown action, or two councils."""


@dataclass(frozen=True)
class OverrideResult:
    """What `set_override` did: the judgement, the council relinked, and where the two actions ended."""

    action_a: str
    action_b: str
    same: bool
    council: str | None
    report: LinkReport
    unmet: tuple[tuple[str, str], ...]  # the council's 'same' judgements whose actions are still apart

    def summary(self) -> str:
        judged = "the same commitment" if self.same else "different commitments"
        lines = [f"{self.action_a} and {self.action_b} marked {judged}; "
                 f"{self.council or 'actions of no council'} relinked: {self.report.summary()}"]
        # Clusters never join across a 'different' judgement, so 'same' ones can contradict it.
        lines += [f"Not kept: {a} and {b} are marked the same, but a 'different' judgement separates their "
                  f"clusters (see wfkb link list)" for a, b in self.unmet]
        return "\n".join(lines)


def add_override(db: Database, action_a: str, action_b: str, same: bool, note: str | None = None) -> str | None:
    """Record a person's judgement that two actions of one council are (or are not) the same commitment.

    Returns their council. Raises `OverrideError` for one action named twice, an action
    not in the KB, or actions of two councils (links never cross councils).
    """
    if action_a == action_b:
        raise OverrideError(f"{action_a} is named twice: a judgement needs two different actions")
    council = {r["id"]: r["council"] for r in db.query(
        "select id, council from actions where id in (?, ?)", [action_a, action_b])} \
        if db["actions"].exists() else {}
    for action in (action_a, action_b):
        if action not in council:
            raise OverrideError(f"{action}: no such action (ids are in 'wfkb records actions --format csv')")
    if council[action_a] != council[action_b]:
        raise OverrideError(f"{action_a} ({council[action_a]}) and {action_b} ({council[action_b]}) are actions "
                            f"of different councils, and links never cross councils")
    _ensure_tables(db)
    a, b = sorted((action_a, action_b))
    db["link_overrides"].upsert({"action_a": a, "action_b": b, "same": int(same), "note": note},
                                pk=("action_a", "action_b"))
    return council[action_a]


def set_override(db: Database, action_a: str, action_b: str, same: bool,
                 note: str | None = None) -> OverrideResult:
    """Record a judgement (as `add_override`) and relink the actions' council, in one transaction.

    `commitment_links` and `commitment_changes` are all that follow from the links (the
    series and the audit come before them), so the site shows the change at once.
    """
    with db.atomic():
        council = add_override(db, action_a, action_b, same, note)
        report = link_commitments(db, councils=[council])
    unmet = db.execute(
        "select o.action_a, o.action_b from link_overrides o "
        "join commitment_links x on x.action_id = o.action_a join commitment_links y on y.action_id = o.action_b "
        "where o.same = 1 and x.council is ? and x.canonical_id != y.canonical_id order by 1, 2", [council])
    return OverrideResult(action_a, action_b, same, council, report, tuple(map(tuple, unmet.fetchall())))


def list_overrides(db: Database, council: str | None = None) -> list[dict]:
    """Every judgement in `link_overrides` with the two actions' council and texts, by council."""
    if not db["link_overrides"].exists():
        return []
    where, params = ("where coalesce(a.council, b.council) = ?", [council]) if council else ("", [])
    return list(db.query(
        "select coalesce(a.council, b.council) as council, "
        "case o.same when 1 then 'same' else 'different' end as judgement, "
        "o.action_a, o.action_b, o.note, a.text as text_a, b.text as text_b "
        "from link_overrides o left join actions a on a.id = o.action_a left join actions b on b.id = o.action_b "
        f"{where} order by 1, o.action_a, o.action_b", params))


def _overrides(db: Database) -> tuple[list[Edge], list[tuple[str, str]]]:
    same, different = [], []
    for r in db["link_overrides"].rows:
        if r["same"]:
            same.append(Edge(r["action_a"], r["action_b"], 100.0, LinkMethod.OVERRIDE))
        else:
            different.append((r["action_a"], r["action_b"]))
    return same, different


def _audit_edges(db: Database) -> list[Edge]:
    """The audit's promise -> evidence pairs: the same initiative, reported on later."""
    if not db["audit"].exists() or "evidence_id" not in db["audit"].columns_dict:
        return []
    rows = db.query("select promise_id, evidence_id, score from audit where evidence_id is not null")
    return [Edge(r["promise_id"], r["evidence_id"], float(r["score"] or 0), LinkMethod.EVIDENCE) for r in rows]


def _text_edges(rows: list[dict], settings: LinkSettings, order: dict[str, tuple],
                report: LinkReport) -> list[Edge]:
    term_sets = [set(terms(r["text"])) for r in rows]
    weights = TermWeights(term_sets=term_sets)
    items = [(r["id"], r["document_id"], ts) for r, ts in zip(rows, term_sets)]
    edges = []
    for i, j in candidate_pairs(items, weights, settings, order):
        report.comparisons += 1
        a, b = rows[i], rows[j]
        if normalise(a["text"]) == normalise(b["text"]):
            edges.append(Edge(a["id"], b["id"], 100.0, LinkMethod.EXACT))
            continue
        s = similarity(a["text"], b["text"], weights, term_sets[i], term_sets[j])
        if s >= settings.threshold:
            edges.append(Edge(a["id"], b["id"], s, LinkMethod.FUZZY))
    return edges


def _cluster_rows(rows: list[dict], edges: list[Edge], different: list[tuple[str, str]],
                  order: dict[str, tuple]) -> list[dict]:
    """Cluster by edges (overrides first, then best score) and name each cluster by its earliest action."""
    clusters = _Clusters((r["id"] for r in rows), different)
    best: dict[str, Edge] = {}
    rank = {LinkMethod.OVERRIDE: 0, LinkMethod.EXACT: 1}
    for e in sorted(edges, key=lambda e: (rank.get(e.method, 2), -e.score, e.a, e.b)):
        if clusters.union(e.a, e.b):
            for x in (e.a, e.b):
                if x not in best or best[x].score < e.score or e.method == LinkMethod.OVERRIDE:
                    best[x] = e
    pos = {r["id"]: (order.get(r["document_id"], (True, "", "")), r.get("char_start") or 0, r["id"]) for r in rows}
    canonical: dict[str, str] = {}
    for root, members in clusters.members.items():
        first = min(members, key=pos.__getitem__)
        for m in members:
            canonical[m] = first
    out = []
    for r in rows:
        e = best.get(r["id"]) if len(clusters.members[clusters.find(r["id"])]) > 1 else None
        out.append({"id": r["id"], "action_id": r["id"], "canonical_id": canonical[r["id"]],
                    "score": e.score if e else 100.0, "method": (e.method if e else LinkMethod.SELF).value,
                    "council": r["council"]})
    return out


def link_commitments(db: Database, settings: LinkSettings | dict | None = None,
                     councils: Iterable[str] | None = None) -> LinkReport:
    """Cluster every action of the given councils (default: all) into `commitment_links`.

    Args:
        db: the KB.
        settings: thresholds (`LinkSettings` or a dict of its fields).
        councils: recompute only these councils' clusters, e.g. the council of a newly
            ingested document; the result is the same as a full rebuild because
            links never cross councils.
    Returns:
        A `LinkReport`; `commitment_links` and `commitment_changes` are rewritten for those councils.
    """
    settings = LinkSettings.resolve(settings)
    _ensure_tables(db)
    report = LinkReport()
    order = document_order(db)
    same, different = _overrides(db)
    wanted = set(councils) if councils is not None else None
    actions = _by_council(db, "actions", "id, document_id, council, text, kind, lead, due_text, due_date, page, "
                          "char_start", wanted)
    targets = _by_council(db, "targets", "*", wanted) if db["targets"].exists() else {}
    evidence = _audit_edges(db) if settings.use_audit_evidence else []
    for council in sorted(wanted if wanted is not None else actions, key=lambda c: c or ""):
        rows = actions.get(council, [])
        ids = {r["id"] for r in rows}
        text_edges = _text_edges(rows, settings, order, report)
        chosen = [e for e in same + evidence if e.a in ids and e.b in ids]
        links = _cluster_rows(rows, text_edges + chosen, different, order)
        changes = _action_changes(rows, text_edges, same, different, order)
        changes += _target_changes(targets.get(council, []), settings, order, report)
        changes += _delivery_changes(db, ids)
        _write_council(db, council, links, [_change_row(c, council, db) for c in changes])
        _tally(report, rows, links, changes)
    return report


def _by_council(db: Database, table: str, columns: str, councils: set[str] | None) -> dict[str | None, list[dict]]:
    """Rows of a table grouped by council, read in one query: of the given councils only (by the
    council index), so that relinking one council costs its own rows, not the whole KB's."""
    where, params = "", []
    if councils is not None:
        named = json.dumps(sorted(c for c in councils if c is not None))
        where = "where council in (select value from json_each(?))" + (" or council is null" if None in councils
                                                                         else "")
        params = [named]
    out: dict[str | None, list[dict]] = {}
    for r in db.query(f"select {columns} from [{table}] {where}", params):
        out.setdefault(r["council"], []).append(r)
    return out


def _write_council(db: Database, council: str | None, links: list[dict], changes: list[dict]) -> None:
    where, params = ("council is null", []) if council is None else ("council = ?", [council])
    with db.atomic():
        db.execute(f"delete from commitment_links where {where}", params)
        db["commitment_links"].insert_all(links, pk="id")
        db.execute(f"delete from commitment_changes where {where}", params)
        db["commitment_changes"].insert_all(changes, pk="id")


def _tally(report: LinkReport, rows: list[dict], links: list[dict], changes: list[Change]) -> None:
    report.actions += len(rows)
    report.clusters += len({link["canonical_id"] for link in links})
    report.links += sum(1 for link in links if link["method"] != LinkMethod.SELF.value)
    for link in links:
        report.by_method[link["method"]] = report.by_method.get(link["method"], 0) + 1
    report.changes += changes


# ---------------------------------------------------------------- changes between editions

def _norm_lead(v: str | None) -> str:
    return re.sub(r"^(the|our)\s+", "", normalise(v))


def _lead_differs(a: str | None, b: str | None) -> bool:
    na, nb = _norm_lead(a), _norm_lead(b)
    return bool(na and nb) and fuzz.token_set_ratio(na, nb) < 90


def _deadline_differs(a: str | None, b: str | None) -> bool:
    # Only a stated deadline that moved counts; a later edition may restate with less precision.
    return bool(a and b) and not (str(a).startswith(str(b)) or str(b).startswith(str(a)))


def _ordered(e: Edge, doc_of: dict[str, str], order: dict[str, tuple]) -> tuple[str, str] | None:
    da, db_ = doc_of[e.a], doc_of[e.b]
    if da == db_ or order.get(da) == order.get(db_):
        return None
    return (e.a, e.b) if order.get(da) < order.get(db_) else (e.b, e.a)


def _action_changes(rows: list[dict], text_edges: list[Edge], same: list[Edge],
                    different: list[tuple[str, str]], order: dict[str, tuple]) -> list[Change]:
    """Deadline and lead changes between directly linked commitments of different documents."""
    by_id = {r["id"]: r for r in rows}
    doc_of = {r["id"]: r["document_id"] for r in rows}
    split = {tuple(sorted(p)) for p in different}
    out = []
    for e in text_edges + [e for e in same if e.a in by_id and e.b in by_id]:
        if tuple(sorted((e.a, e.b))) in split:
            continue
        pair = _ordered(e, doc_of, order)
        if not pair:
            continue
        x, y = by_id[pair[0]], by_id[pair[1]]
        if x["kind"] != "commitment" or y["kind"] != "commitment":
            continue
        if _deadline_differs(x["due_date"], y["due_date"]):
            out.append(Change("action", "deadline", x["due_text"] or x["due_date"], y["due_text"] or y["due_date"],
                              x["id"], y["id"]))
        if _lead_differs(x["lead"], y["lead"]):
            out.append(Change("action", "lead", x["lead"], y["lead"], x["id"], y["id"]))
    return _dedupe(out)


def _delivery_changes(db: Database, ids: set[str]) -> list[Change]:
    """A promise the audit found delivered or reported after its deadline, on a date the later
    report states: the deadline as promised, and the date it actually came."""
    if not db["audit"].exists() or "reported_text" not in db["audit"].columns_dict:
        return []
    rows = db.query("select promise_id, evidence_id, due_text, due_date, reported_text from audit "
                    "where late = 1 and reported_text is not null and promise_kind = 'action'")
    return [Change("action", "deadline", r["due_text"] or r["due_date"], r["reported_text"], r["promise_id"],
                   r["evidence_id"]) for r in rows if r["promise_id"] in ids and r["evidence_id"] in ids]


def _target_changes(rows: list[dict], settings: LinkSettings, order: dict[str, tuple],
                    report: LinkReport) -> list[Change]:
    """Number and deadline changes between matching targets of different documents."""
    # Numbers are what may have changed, so the match is on the words around them.
    text = {r["id"]: re.sub(r"\d+(?:[.,]\d+)*", " ", " ".join(filter(None, (r["text"], r.get("metric")))))
            for r in rows}
    weights = TermWeights(text.values())
    items = [(r["id"], r["document_id"], set(terms(text[r["id"]]))) for r in rows]
    by_id = {r["id"]: r for r in rows}
    doc_of = {r["id"]: r["document_id"] for r in rows}
    out = []
    for i, j in candidate_pairs(items, weights, settings, order):
        report.comparisons += 1
        e = Edge(rows[i]["id"], rows[j]["id"], similarity(text[rows[i]["id"]], text[rows[j]["id"]], weights),
                 LinkMethod.FUZZY)
        pair = _ordered(e, doc_of, order) if e.score >= settings.threshold else None
        if pair:
            out += _target_diff(by_id[pair[0]], by_id[pair[1]])
    return _dedupe(out)


def _target_diff(x: dict, y: dict) -> list[Change]:
    out = []
    for f in ("value_min", "value_max"):
        if x.get(f) is not None and y.get(f) is not None and float(x[f]) != float(y[f]):
            out.append(Change("target", f, _num(x[f]), _num(y[f]), x["id"], y["id"]))
    if _deadline_differs(x.get("deadline_date"), y.get("deadline_date")):
        out.append(Change("target", "deadline", x.get("deadline_text") or x["deadline_date"],
                          y.get("deadline_text") or y["deadline_date"], x["id"], y["id"]))
    return out


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _dedupe(changes: list[Change]) -> list[Change]:
    return list(dict.fromkeys(changes))


def _change_row(c: Change, council: str | None, db: Database) -> dict:
    table = "actions" if c.kind == "action" else "targets"
    x, y = db[table].get(c.earlier_id), db[table].get(c.later_id)
    return {"id": stable_id(c.kind, c.field, c.earlier_id, c.later_id), "council": council, "kind": c.kind,
            "field": c.field, "before": c.before, "after": c.after, "earlier_id": c.earlier_id,
            "later_id": c.later_id, "earlier_document_id": x["document_id"], "later_document_id": y["document_id"],
            "earlier_text": x["text"], "later_text": y["text"], "earlier_page": x["page"], "later_page": y["page"]}
