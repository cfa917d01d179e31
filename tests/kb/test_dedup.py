"""Commitment links: clustering across editions, overrides, changes and the cost of blocking."""
from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from kb.audit import refresh
from kb.dedup import (LinkSettings, TermWeights, add_override, candidate_pairs, link_commitments, set_override,
                      terms)


def make_kb(path: Path, docs: list[dict], targets: list[dict] = ()) -> Database:
    db = Database(path)
    for d in docs:
        db["documents"].insert({"id": d["id"], "council": d.get("council", "Northshire"), "title": d["id"],
                                "doc_type": "progress_update", "strategy": "Workforce Strategy",
                                "published": d["published"], "source": d["id"], "pages": 1, "text": ""}, pk="id")
        for n, a in enumerate(d["actions"]):
            db["actions"].insert({"id": a["id"], "document_id": d["id"], "council": d.get("council", "Northshire"),
                                  "priority_id": None, "text": a["text"], "kind": a.get("kind", "progress"),
                                  "lead": a.get("lead"), "due_text": a.get("due"), "due_date": a.get("due"),
                                  "page": 1, "char_start": n * 100, "char_end": n * 100 + 50, "embedded": 0}, pk="id")
    for t in targets:
        db["targets"].insert({"council": "Northshire", "action_id": None, "metric": None, "unit": "people",
                              "period": None, "page": 1, "char_start": 0, "char_end": 0, **t}, pk="id")
    return db


DOCS = [
    {"id": "y2023", "published": "2023", "actions": [
        {"id": "fair23", "kind": "commitment", "lead": "HR team", "due": "2023-06",
         "text": "The careers fair for newly qualified social workers will be held in June 2023."},
        {"id": "forum23", "text": "Regular team manager forums support managers to improve practice."},
        {"id": "hub23", "text": "An online practice hub offers guidance to practitioners."},
        {"id": "awards23", "text": "The annual staff awards received seventy one nominations."},
    ]},
    {"id": "y2024", "published": "2024", "actions": [
        {"id": "fair24", "kind": "commitment", "lead": "Workforce Development Team", "due": "2023-09",
         "text": "The careers fair for newly qualified social workers will be held in September 2023."},
        {"id": "forum24",
         "text": "Regular team manager forums have been designed to support managers to improve practice."},
        {"id": "library24", "text": "A resource library for students opened in the autumn."},
        {"id": "awards24", "text": "The annual staff awards ceremony was held in December."},
    ]},
]
TARGETS = [
    {"id": "t23", "document_id": "y2023", "text": "We aim to recruit 10 apprentices by March 2024.",
     "value_min": 10, "value_max": 10, "deadline_text": "by March 2024", "deadline_date": "2024-03"},
    {"id": "t24", "document_id": "y2024", "text": "We aim to recruit 15 apprentices by March 2025.",
     "value_min": 15, "value_max": 15, "deadline_text": "by March 2025", "deadline_date": "2025-03"},
]


@pytest.fixture
def kb(tmp_path) -> Database:
    return make_kb(tmp_path / "kb.db", DOCS, TARGETS)


def clusters(db: Database) -> dict[str, str]:
    return {r["action_id"]: r["canonical_id"] for r in db["commitment_links"].rows}


def test_every_action_in_one_cluster_named_by_its_earliest(kb):
    report = link_commitments(kb)
    canon = clusters(kb)
    assert len(canon) == kb["actions"].count == report.actions
    assert canon["forum24"] == canon["forum23"] == "forum23"
    assert canon["fair24"] == "fair23"
    assert canon["library24"] == "library24"
    row = kb["commitment_links"].get("forum24")
    assert row["method"] == "fuzzy" and row["score"] >= LinkSettings().threshold


def test_override_splits_a_link_and_survives_rebuild(kb):
    link_commitments(kb)
    assert clusters(kb)["forum24"] == "forum23"
    add_override(kb, "forum24", "forum23", same=False, note="different forums")
    link_commitments(kb)
    assert clusters(kb)["forum24"] == "forum24"
    kb["commitment_links"].delete_where()  # a full rebuild from nothing
    link_commitments(kb)
    assert clusters(kb)["forum24"] == "forum24"


def test_override_joins_what_text_cannot(kb):
    add_override(kb, "hub23", "library24", same=True)
    link_commitments(kb)
    assert clusters(kb)["library24"] == "hub23"
    assert kb["commitment_links"].get("library24")["method"] == "override"


def test_a_same_judgement_a_different_one_contradicts_is_reported(kb):
    add_override(kb, "fair23", "forum23", same=False)
    assert set_override(kb, "forum23", "hub23", same=True).unmet == ()
    result = set_override(kb, "fair23", "hub23", same=True)
    assert result.council == "Northshire" and len(result.unmet) == 1
    assert "Not kept" in result.summary()
    assert clusters(kb)["fair23"] != clusters(kb)["forum23"]


def test_changed_deadline_and_lead_give_change_rows(kb):
    link_commitments(kb)
    changes = {(r["kind"], r["field"]): r for r in kb["commitment_changes"].rows}
    deadline = changes[("action", "deadline")]
    assert (deadline["before"], deadline["after"]) == ("2023-06", "2023-09")
    assert (deadline["earlier_id"], deadline["later_id"]) == ("fair23", "fair24")
    assert (deadline["earlier_document_id"], deadline["later_document_id"]) == ("y2023", "y2024")
    lead = changes[("action", "lead")]
    assert (lead["before"], lead["after"]) == ("HR team", "Workforce Development Team")


def test_changed_target_number_gives_change_rows(kb):
    link_commitments(kb)
    changes = {(r["kind"], r["field"]): r for r in kb["commitment_changes"].rows}
    assert (changes[("target", "value_min")]["before"], changes[("target", "value_min")]["after"]) == ("10", "15")
    assert changes[("target", "deadline")]["after"] == "by March 2025"


def test_relinking_one_council_leaves_others(tmp_path):
    db = make_kb(tmp_path / "kb.db", DOCS + [
        {"id": "south", "council": "Southshire", "published": "2024",
         "actions": [{"id": "s1", "text": "A careers fair was held."}]}])
    link_commitments(db)
    before = clusters(db)
    link_commitments(db, councils=["Northshire"])
    assert clusters(db) == before


def test_ordinals_and_numbers_match():
    assert set(terms("our eighth cohort")) == set(terms("cohort 8")) == set(terms("the 8th cohort"))


def test_settings_are_validated():
    with pytest.raises(ValueError, match="threshold"):
        LinkSettings.resolve({"threshold": 101})
    assert LinkSettings.resolve({"threshold": 70}).threshold == 70


# ---------------------------------------------------------------- blocking cost

def synthetic_kb(path: Path, councils: int, editions: int = 3, statements: int = 20, seed: int = 7) -> Database:
    """Councils of editions x statements; every edition restates each statement with one word changed."""
    rnd = random.Random(seed)
    vocab = [f"w{n}" for n in range(3000)]
    db = Database(path)
    docs, actions = [], []
    for c in range(councils):
        base = [rnd.sample(vocab, 10) for _ in range(statements)]
        for e in range(editions):
            doc = f"c{c}e{e}"
            docs.append({"id": doc, "council": f"council{c}", "published": f"{2020 + e // 4}-{3 * (e % 4) + 1:02d}"})
            for n, words in enumerate(base):
                words = list(words)
                words[rnd.randrange(10)] = rnd.choice(vocab)
                actions.append({"id": f"{doc}a{n}", "document_id": doc, "council": f"council{c}",
                                "text": " ".join(words), "kind": "progress", "char_start": n})
    db["documents"].insert_all(docs, pk="id")
    extra = {"lead": None, "due_text": None, "due_date": None, "page": 1}
    db["actions"].insert_all([a | extra for a in actions], pk="id")
    return db


def test_blocking_grows_near_linearly(tmp_path):
    small = link_commitments(synthetic_kb(tmp_path / "s.db", councils=5))
    large = link_commitments(synthetic_kb(tmp_path / "l.db", councils=40))
    assert large.actions == 8 * small.actions
    assert large.comparisons <= 8 ** 1.3 * small.comparisons
    assert large.comparisons < large.actions * 10  # far from all pairs (n^2 / 2)
    # restatements are still found: each statement's three editions share a cluster
    assert large.clusters <= large.actions / 3 * 1.1


def test_many_editions_of_one_council_cluster_at_near_linear_cost(tmp_path):
    # A restated statement's words recur in every edition, past max_posting: they must still block.
    small = link_commitments(synthetic_kb(tmp_path / "s.db", councils=1, editions=15, statements=60))
    db = synthetic_kb(tmp_path / "l.db", councils=1, editions=45, statements=60)
    large = link_commitments(db)
    assert large.actions == 3 * small.actions == 2700
    assert large.comparisons <= 3 ** 1.3 * small.comparisons
    assert large.comparisons < large.actions * 10
    editions_of: dict[str, set[str]] = {}
    for r in db["commitment_links"].rows:
        editions_of.setdefault(r["action_id"].split("a")[1], set()).add(r["canonical_id"])
    assert len(editions_of) == 60 and all(canon == {f"c0e0a{n}"} for n, canon in editions_of.items())
    assert large.clusters == 60


def test_statements_in_plain_words_meet_their_next_edition():
    # Every word is in five statements of each edition, too common to block on alone.
    subjects = ["Social workers", "Team managers", "Practice educators", "Senior practitioners", "Newly qualified staff"]
    objects = ["training offer", "supervision sessions", "career pathway", "wellbeing support", "peer forums"]
    texts = [f"{s} will receive the {o}." for s in subjects for o in objects]
    items = [(f"e{e}s{n}", f"e{e}", set(terms(t))) for e in range(30) for n, t in enumerate(texts)]
    order = {f"e{e}": (False, f"{2000 + e}", f"e{e}") for e in range(30)}
    pairs = {(items[i][0], items[j][0]) for i, j in candidate_pairs(items, TermWeights(term_sets=[
        ts for _, _, ts in items]), LinkSettings(), order)}
    assert all((f"e{e}s{n}", f"e{e + 1}s{n}") in pairs for e in range(29) for n in range(len(texts)))
    assert len(pairs) < len(items) * 10


# ---------------------------------------------------------------- the real corpus

@pytest.fixture(scope="module")
def linked_kb(built_kb, tmp_path_factory) -> Database:
    path = tmp_path_factory.mktemp("linked") / "kb.db"
    with sqlite3.connect(built_kb) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    db = Database(path)
    refresh(db)
    return db


@pytest.mark.slow
def test_wirral_restatements_share_a_cluster(linked_kb):
    def cluster_of(needle: str, year: str) -> str:
        rows = list(linked_kb.query(
            "select l.canonical_id from commitment_links l join actions a on a.id = l.action_id "
            "join documents d on d.id = a.document_id where a.text like ? and d.published like ?",
            [f"%{needle}%", f"{year}%"]))
        assert rows, needle
        return rows[0]["canonical_id"]

    for needle in ("Team Manager forums", "bi-monthly audits", "Leadership Pathways Programme"):
        assert cluster_of(needle, "2023") == cluster_of(needle, "2024")


@pytest.mark.slow
def test_real_kb_every_action_linked_once(linked_kb):
    assert linked_kb["commitment_links"].count == linked_kb["actions"].count
    n = linked_kb.execute("select count(distinct action_id) from commitment_links").fetchone()[0]
    assert n == linked_kb["actions"].count
    bad = linked_kb.execute("select count(*) from commitment_links l left join actions a on a.id = l.canonical_id "
                            "where a.id is null").fetchone()[0]
    assert bad == 0
