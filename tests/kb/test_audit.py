"""The audit: promised versus reported, on hand-made series and on the Wirral documents."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from kb.audit import (AuditSettings, Verdict, check_as_of, describe_changes, format_report, refresh, run_audit,
                      status_of, verdict_snapshot, whole_sentence)
from kb.build import ingest
from kb.dedup import date_bounds
from tests.conftest import SEED_TEXTS


def make_kb(path: Path, docs: list[dict]) -> Database:
    """A real KB file with documents and their actions/targets; offsets index the joined text.

    An action's optional `priority` is `(number or None, title)` of the priority it sits under.
    """
    db = Database(path)
    for d in docs:
        text, spans = "", []
        for a in d["actions"]:
            start = text.find(a["text"]) if a.get("embedded") else -1
            if start < 0:
                text += ("\n" if text else "") + a["text"]
                start = len(text) - len(a["text"])
            spans.append((start, start + len(a["text"])))
        db["documents"].insert({"id": d["id"], "council": d["council"], "title": d["title"],
                                "doc_type": "progress_update", "strategy": "Workforce Strategy",
                                "published": d["published"], "source": f"{d['id']}.txt", "pages": 1, "text": text},
                               pk="id")
        for n, (a, (s, e)) in enumerate(zip(d["actions"], spans)):
            priority_id = None
            if a.get("priority"):
                number, title = a["priority"]
                priority_id = f"{d['id']}-priority-{number or title}"
                db["priorities"].insert({"id": priority_id, "document_id": d["id"], "council": d["council"],
                                         "number": number, "title": title, "page": 1}, pk="id", replace=True,
                                        columns={"number": int})
            db["actions"].insert({"id": a.get("id", f"{d['id']}-{n}"), "document_id": d["id"], "council": d["council"],
                                  "priority_id": priority_id, "text": a["text"], "kind": a["kind"],
                                  "lead": a.get("lead"), "due_text": a.get("due_text", a.get("due")), "due_date": a.get("due"),
                                  "page": 1,
                                  "char_start": s, "char_end": e, "embedded": int(bool(a.get("embedded")))}, pk="id")
    return db


SERIES = [
    {"id": "jan23", "council": "Northshire", "title": "Workforce update January 2023", "published": "2023-01-15",
     "actions": [
         {"kind": "progress", "text": "The peer mentoring scheme has been designed with staff. "
                                      "A peer mentoring scheme will be launched in March 2023."},
         {"id": "delivered", "kind": "commitment", "embedded": True, "due": "2023-03",
          "text": "A peer mentoring scheme will be launched in March 2023."},
         {"id": "in_progress", "kind": "commitment", "due": "2023",
          "text": "A reflective supervision pilot will start in 2023 with six practice supervisors."},
         {"id": "never_again", "kind": "commitment", "text": "We will refresh the lone working policy for all staff."},
         {"id": "not_due", "kind": "commitment", "due": "2030", "text": "A new family hubs academy will open by 2030."},
     ]},
    {"id": "feb24", "council": "Northshire", "title": "Workforce update February 2024", "published": "2024-02-01",
     "actions": [
         {"kind": "progress",
          "text": "The peer mentoring scheme was launched in March 2023 and twelve mentors have been trained."},
         {"kind": "progress",
          "text": "We are continuing to develop the reflective supervision pilot with practice supervisors."},
         {"id": "latest_due", "kind": "commitment", "due": "2024",
          "text": "The staff recognition awards will be launched in 2024."},
         {"kind": "progress", "text": "The staff recognition awards were launched in December 2023."},
         {"id": "latest_open", "kind": "commitment", "text": "We will review the agency staffing protocol."},
     ]},
]


@pytest.fixture
def series_kb(tmp_path) -> Database:
    return make_kb(tmp_path / "kb.db", SERIES)


def verdicts(report) -> dict[str, str]:
    return {f.promise_id: f.verdict.value for f in report.findings}


def test_hand_made_series_gets_every_verdict(series_kb):
    got = verdicts(run_audit(series_kb))
    assert got["delivered"] == "delivered"
    assert got["in_progress"] == "in_progress"
    assert got["never_again"] == "no_update"
    assert got["not_due"] == "not_yet_due"


def test_latest_document_promises_are_never_judged_delivered(series_kb):
    # The same document reports the awards launched; only a later document may count as evidence.
    got = verdicts(run_audit(series_kb))
    assert got["latest_due"] == "not_yet_due"
    assert got["latest_open"] == "awaiting_report"  # nothing later exists to mention it


def test_audit_rows_carry_evidence_quote_document_and_page(series_kb):
    run_audit(series_kb)
    row = series_kb["audit"].get("delivered")
    assert row["evidence_document_id"] == "feb24" and row["evidence_page"] == 1
    assert "was launched in March 2023" in row["evidence_quote"]
    assert row["evidence_id"] == "feb24-0" and 0 < row["score"] <= 100
    assert row["explanation"].startswith("Reported as done in Workforce update February 2024")
    assert series_kb["audit"].get("never_again")["evidence_id"] is None


def test_as_of_ignores_later_documents_and_judges_deadlines(series_kb):
    report = run_audit(series_kb, as_of="2023-06-30")
    got = verdicts(report)
    assert got["delivered"] == "awaiting_report"  # due March 2023, nothing later published by June
    assert got["in_progress"] == "not_yet_due"    # due in 2023, still open on 30 June 2023
    assert "latest_due" not in got                # published after the as-of date
    assert {f.as_of for f in report.findings} == {"2023-06-30"}


def test_rerun_replaces_rows(series_kb):
    run_audit(series_kb)
    run_audit(series_kb)
    assert series_kb["audit"].count == 6


def test_settings_are_validated():
    with pytest.raises(ValueError, match="match_threshold"):
        AuditSettings.resolve({"match_threshold": 120})
    with pytest.raises(ValueError, match="not a setting"):
        AuditSettings.resolve({"threshold": 10})


@pytest.mark.parametrize("sentence, verdict", [
    ("The systemic practice model was officially launched on the 2nd October 2023", Verdict.DELIVERED),
    ("We have concluded shortlisting for our eighth cohort", Verdict.DELIVERED),
    ("We are continuing to offer the programme following the launch in January 2023.", Verdict.DELIVERED),
    ("We have also been offering shadowing opportunities to staff.", Verdict.IN_PROGRESS),
    ("The launch has been delayed until the spring.", Verdict.IN_PROGRESS),
    ("We launched the Social Work Academy in November 2023.", Verdict.DELIVERED),
    ("The academy will be launched in 2024.", Verdict.IN_PROGRESS),
    ("The scheme, launched by the Director, is being extended.", Verdict.IN_PROGRESS),
])
def test_status_wording(sentence, verdict):
    assert status_of(sentence) is verdict


# ---------------------------------------------------------------- the real corpus

@pytest.fixture(scope="module")
def audited_kb(built_kb, tmp_path_factory) -> Database:
    """A copy of the session KB with series, audit and links refreshed by this module."""
    path = tmp_path_factory.mktemp("audited") / "kb.db"
    with sqlite3.connect(built_kb) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    db = Database(path)
    refresh(db)
    return db


# The 2023 Wirral update's promises as the annotation judges them against the 2024 appendix.
WIRRAL_2023_PROMISES = {
    "A second cohort will launch in January 2023": "delivered",
    "A bid to the Department for Education for cohort 8": "delivered",
    "Agreement on the final proposed model is expected": "delivered",
    "coaching and mentoring programme has been developed and will be launched": "delivered",
    "a shadowing pilot will commence in 2023": "in_progress",
    "The model will be officially launched early in 2023": "delivered",
    "This change management approach will be utilised": "no_update",
}


@pytest.mark.slow
def test_wirral_promises_against_the_2024_appendix(audited_kb):
    rows = list(audited_kb.query(
        "select a.text, au.verdict from audit au join actions a on a.id = au.promise_id "
        "where a.council = 'Wirral' and a.kind = 'commitment'"))
    correct = 0
    for needle, want in WIRRAL_2023_PROMISES.items():
        got = [r["verdict"] for r in rows if needle.lower() in r["text"].lower()]
        assert got, needle
        correct += got[0] == want
    assert correct / len(WIRRAL_2023_PROMISES) >= 0.8


@pytest.mark.slow
def test_promises_of_each_councils_latest_edition_are_not_guessed(audited_kb):
    # Sefton and Shropshire have one document each; Wirral's appendix shares its report's date.
    rows = list(audited_kb.query(
        "select verdict, evidence_id from audit where document_id in ("
        " select id from documents d where not exists (select 1 from documents l where l.council = d.council"
        " and l.published > d.published and substr(l.published, 1, 4) > substr(d.published, 1, 4)))"))
    assert rows
    assert {r["verdict"] for r in rows} <= {"not_yet_due", "awaiting_report"}
    assert all(r["evidence_id"] is None for r in rows)


def test_refreshing_one_council_equals_a_full_rebuild(tmp_path):
    other = {"id": "south", "council": "Southshire", "title": "Southshire plan", "published": "2022",
             "actions": [{"id": "s1", "kind": "commitment", "text": "We will open a practice academy."}]}
    db = make_kb(tmp_path / "kb.db", SERIES + [other])
    refresh(db)
    full = (list(db["audit"].rows), list(db["commitment_links"].rows))
    db["audit"].delete_where("council = ?", ["Northshire"])
    db["commitment_links"].delete_where("council = ?", ["Northshire"])
    refresh(db, councils=["Northshire"])
    sort = lambda rows, key: sorted(rows, key=lambda r: r[key])  # noqa: E731
    assert sort(db["audit"].rows, "promise_id") == sort(full[0], "promise_id")
    assert sort(db["commitment_links"].rows, "id") == sort(full[1], "id")


DERIVED = {"audit": "promise_id", "commitment_links": "id", "commitment_changes": "id",
           "document_series": "document_id"}


@pytest.mark.slow
@pytest.mark.parametrize("order", [
    [[0, 1, 2, 3, 4]],             # all at once
    [[4], [3], [2], [1], [0]],     # one at a time, newest Wirral edition before the older ones
    [[1, 3], [0], [4, 2]],         # the progress update before the strategy it reports on
])
def test_ingesting_in_any_order_gives_the_derived_tables_of_a_full_rebuild(built_kb_from_texts, tmp_path, order):
    db_path = tmp_path / "kb.db"
    for batch in order:
        assert not ingest(db_path, [SEED_TEXTS[i] for i in batch]).failed
    db, full = Database(db_path), Database(built_kb_from_texts)
    for table, key in DERIVED.items():
        assert sorted(db[table].rows, key=lambda r: r[key]) == sorted(full[table].rows, key=lambda r: r[key]), table


def test_describe_changes_after_a_new_report(tmp_path):
    db = make_kb(tmp_path / "kb.db", SERIES[:1])
    run_audit(db)
    before = verdict_snapshot(db)
    assert before["delivered"].verdict == "not_yet_due"  # judged on 15 January 2023, due in March
    db.close()
    db = make_kb(tmp_path / "kb2.db", SERIES)
    lines = describe_changes(before, run_audit(db))
    assert any("not_yet_due -> delivered" in line and "peer mentoring" in line for line in lines)
    assert any(line.startswith("Northshire: new, ") for line in lines)
    assert len(lines) == len(set(lines))  # one line per promise


# A plan, its revised edition restating two of its promises, then a progress report on both editions.
EDITIONS = [
    {"id": "plan", "council": "Eastshire", "title": "Workforce action plan", "published": "2023-01",
     "actions": [
         {"id": "v1_mentoring", "kind": "commitment", "due": "2023-12",
          "text": "We will launch a peer mentoring scheme for newly qualified social workers by December 2023."},
         {"id": "v1_policy", "kind": "commitment",
          "text": "We will refresh the lone working policy for frontline staff."},
         {"id": "v1_dropped", "kind": "commitment", "text": "We will open a staff wellbeing hub in the civic centre."},
     ]},
    {"id": "plan_revised", "council": "Eastshire", "title": "Workforce action plan (revised)", "published": "2023-06",
     "actions": [
         {"id": "v2_mentoring", "kind": "commitment", "due": "2024-03",
          "text": "We will launch a peer mentoring scheme for newly qualified social workers by March 2024."},
         {"id": "v2_policy", "kind": "commitment",
          "text": "We will refresh the lone working policy for all of our frontline staff."},
         {"id": "v2_new", "kind": "commitment", "text": "We will pilot a four day working week for team managers."},
     ]},
    {"id": "progress", "council": "Eastshire", "title": "Workforce progress report", "published": "2024-05",
     "actions": [
         {"kind": "progress",
          "text": "The peer mentoring scheme for newly qualified social workers was launched in February 2024."},
         {"kind": "progress", "text": "The staff wellbeing hub was opened in the civic centre in January 2024."},
     ]},
]


def test_a_revised_edition_is_audited_once_per_promise(tmp_path):
    db = make_kb(tmp_path / "kb.db", EDITIONS)
    refresh(db)
    assert db["document_series"].get("plan_revised")["supersedes_id"] == "plan"
    rows = {r["promise_id"]: r for r in db["audit"].rows}
    # The restated promises are audited in the revision's words, the dropped one in the plan's.
    assert set(rows) == {"v2_mentoring", "v2_policy", "v2_new", "v1_dropped"}
    assert rows["v2_mentoring"]["verdict"] == rows["v1_dropped"]["verdict"] == "delivered"
    assert rows["v2_policy"]["verdict"] == "no_update"
    text = format_report(db, run_audit(db, write=False), "table")
    assert text.count("peer mentoring scheme for newly") == 2  # the promise, then its evidence


def test_before_the_revision_every_promise_of_the_plan_is_audited(tmp_path):
    db = make_kb(tmp_path / "kb.db", EDITIONS)
    refresh(db)
    assert set(verdicts(run_audit(db, as_of="2023-03", write=False))) == {"v1_mentoring", "v1_policy", "v1_dropped"}


def test_restated_promises_are_not_new_in_the_audit_changes(tmp_path):
    db = make_kb(tmp_path / "kb.db", EDITIONS[:1])
    refresh(db)
    before = verdict_snapshot(db)
    db.close()
    db = make_kb(tmp_path / "kb2.db", EDITIONS)
    refresh(db)
    assert set(describe_changes(before, run_audit(db, write=False))) == {
        "Eastshire: not_yet_due -> delivered: We will launch a peer mentoring scheme for newly qualified social "
        "workers by March 2024.",
        "Eastshire: awaiting_report -> delivered: We will open a staff wellbeing hub in the civic centre.",
        # The progress report is the first later document: the policy it passes over is now "no update".
        "Eastshire: awaiting_report -> no_update: We will refresh the lone working policy for all of our "
        "frontline staff.",
        "Eastshire: new, no_update: We will pilot a four day working week for team managers.",
    }


def test_priorities_are_grouped_by_number_under_the_latest_title(tmp_path):
    old, new = "Support CPD and retention", "Support Continuous Professional Development (CPD) to retain staff"
    db = make_kb(tmp_path / "kb.db", [
        {"id": "y23", "council": "Eastshire", "title": "Workforce update 2023", "published": "2023-01",
         "actions": [
             {"kind": "commitment", "priority": (2, old), "text": "We will launch a coaching offer for managers."},
             {"kind": "commitment", "priority": (None, "Wellbeing"), "text": "We will open a quiet room."}]},
        {"id": "y24", "council": "Eastshire", "title": "Workforce update 2024", "published": "2024-02",
         "actions": [
             {"kind": "commitment", "priority": (2, new), "text": "We will pilot reflective supervision groups."},
             {"kind": "commitment", "priority": (None, "Wellbeing and health"), "text": "We will run a survey."}]},
    ])
    report = run_audit(db, write=False)
    table = format_report(db, report, "table")
    assert table.count("Priority 2:") == 1 and f"  Priority 2: {new}" in table and old not in table
    assert "  Wellbeing\n" in table and "  Wellbeing and health\n" in table  # no number: the title names it
    markdown = format_report(db, report, "markdown")
    assert markdown.count("### Priority 2:") == 1
    assert "launch a coaching offer" in markdown.split("### Priority 2:")[1].split("###")[0]
    rows = json.loads(format_report(db, report, "json"))
    assert {r["priority"] for r in rows if r["priority_number"] == 2} == {f"Priority 2: {new}"}


def test_markdown_briefing_escapes_document_text(tmp_path):
    db = make_kb(tmp_path / "kb.db", [
        {"id": "evil", "council": "Eastshire", "title": "Update *draft*\n# Injected heading", "published": "2023",
         "actions": [{"kind": "commitment", "due": "2030",
                      "text": "We will <script>alert(1)</script> see [x](javascript:alert(1)) and `run` it_now."}]}])
    text = format_report(db, run_audit(db, write=False), "markdown")
    assert "<script>" not in text and "[x](" not in text and "\n# Injected" not in text
    assert "\\<script\\>alert(1)\\</script\\>" in text and "\\[x\\](javascript:alert(1))" in text
    assert "Update \\*draft\\* \\# Injected heading" in text
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt().render(text)  # the CommonMark preset passes raw HTML through
    assert "<script>" not in html and "href" not in html and "<h1>Injected" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; see [x](javascript:alert(1)) and `run` it_now." in html


def test_as_of_must_be_an_iso_date(series_kb):
    assert [check_as_of(v) for v in ("2023", "2023-06", "2023-06-30")] == ["2023", "2023-06", "2023-06-30"]
    for bad in ("garbage", "2023-13", "2023-02-30", "23-06-30", "2023-6"):
        with pytest.raises(ValueError, match="not an ISO date"):
            run_audit(series_kb, as_of=bad)


def test_markdown_briefing_groups_by_council_and_priority(series_kb):
    text = format_report(series_kb, run_audit(series_kb, write=False), "markdown")
    assert text.startswith("# What was promised and what was reported")
    assert "## Northshire" in text and "### Not under a priority" in text
    assert "- **Delivered.** \u201cA peer mentoring scheme will be launched in March 2023.\u201d" in text
    assert "Workforce update January 2023, 2023-01-15, page 1; deadline 2023-03" in text
    rows = format_report(series_kb, run_audit(series_kb, write=False), "csv").splitlines()
    assert rows[0].startswith("council,priority,") and len(rows) == 7
    with pytest.raises(ValueError, match="Unknown audit format"):
        format_report(series_kb, run_audit(series_kb, write=False), "xml")


# ---- verdicts that say what is known -----------------------------------------------------

LATE = [
    {"id": "plan23", "council": "Westshire", "title": "Workforce plan 2023", "published": "2023-01",
     "actions": [
         {"id": "model", "kind": "commitment", "due": "2023", "due_text": "early in 2023",
          "text": "The new practice model will be launched early in 2023."},
         {"id": "pilot", "kind": "commitment", "due": "2023",
          "text": "A shadowing pilot for aspiring managers will start in 2023."},
         {"id": "hub", "kind": "commitment", "due": "2023-06",
          "text": "The staff wellbeing hub will open in June 2023."},
     ]},
    {"id": "report24", "council": "Westshire", "title": "Workforce progress 2024", "published": "2024-03",
     "actions": [
         {"kind": "progress", "text": "The new practice model was launched in September 2023 across all teams."},
         {"kind": "progress", "text": "We are continuing to plan the shadowing pilot for aspiring managers."},
         {"kind": "progress", "text": "The staff wellbeing hub was opened in June 2023 in the civic centre."},
     ]},
]


def test_late_delivery_and_past_due_work_are_said_with_both_dates(tmp_path):
    db = make_kb(tmp_path / "kb.db", LATE)
    refresh(db)
    rows = {r["promise_id"]: r for r in db["audit"].rows}
    model, pilot, hub = rows["model"], rows["pilot"], rows["hub"]
    assert (model["verdict"], model["late"], model["reported_date"]) == ("delivered", 1, "2023-09")
    assert model["explanation"].startswith("Delivered late: it was due early in 2023 (by 2023-04-30) and the "
                                           "report dates it September 2023.")
    assert (pilot["verdict"], pilot["late"]) == ("in_progress", 1)
    assert pilot["explanation"].startswith("In progress, past due: it was due 2023 (by 2023-12-31) and it is first "
                                           "reported in a document dated 2024-03.")
    assert (hub["verdict"], hub["late"]) == ("delivered", 0)
    # The date the model came is a change of its deadline, shown with the promise in the briefing.
    changes = list(db["commitment_changes"].rows)
    assert [(c["earlier_id"], c["field"], c["before"], c["after"]) for c in changes] == [
        ("model", "deadline", "early in 2023", "September 2023")]
    briefing = format_report(db, run_audit(db, write=False), "markdown")
    assert "- **Delivered late.** \u201cThe new practice model" in briefing
    assert "Changed later: deadline early in 2023 \u2192 September 2023." in briefing
    assert "- **In progress, past due.** \u201cA shadowing pilot" in briefing


def test_no_update_needs_a_later_document_and_awaiting_report_says_there_is_none(series_kb):
    report = run_audit(series_kb)
    found = {f.promise_id: f for f in report.findings}
    assert found["never_again"].verdict.value == "no_update"
    assert found["never_again"].explanation == ("1 later document(s) of this council up to 2024-02-01 were read "
                                                "and none mentions it.")
    assert found["latest_open"].verdict.value == "awaiting_report"
    assert "No later document of this council has been ingested" in found["latest_open"].explanation
    legend = format_report(series_kb, report, "table").splitlines()[-5:]
    assert legend[2] == "No update: Later documents of the council have been read and none of them mentions it."
    assert legend[3].startswith("Awaiting a report: No later document of the council has been ingested yet")


def test_a_commitment_and_the_target_cut_from_it_are_one_promise(tmp_path):
    db = make_kb(tmp_path / "kb.db", SERIES)
    db["targets"].insert({"id": "t-mentors", "document_id": "jan23", "council": "Northshire",
                          "action_id": "in_progress", "text": SERIES[0]["actions"][2]["text"],
                          "value_min": 6, "value_max": 6, "unit": "people", "deadline_text": "2023",
                          "deadline_date": "2023", "page": 1}, pk="id")
    db["targets"].insert({"id": "t-alone", "document_id": "jan23", "council": "Northshire", "action_id": None,
                          "text": "Recruit 10 newly qualified social workers by 2030.", "value_min": 10,
                          "value_max": 10, "unit": "people", "deadline_text": "by 2030", "deadline_date": "2030",
                          "page": 1}, pk="id")
    report = run_audit(db)
    ids = [f.promise_id for f in report.findings]
    assert "t-mentors" not in ids and "t-alone" in ids
    merged = next(f for f in report.findings if f.promise_id == "in_progress")
    assert (merged.target_id, merged.target) == ("t-mentors", "6 people")
    # Every listing counts what it lists.
    markdown = format_report(db, report, "markdown")
    entries = [line for line in markdown.splitlines() if line.startswith("- **")]
    header = re.search(r"Judged as of [^:]+: (\d+) promises\. (.*)\.$", markdown, re.M)
    assert int(header.group(1)) == len(entries) == len(json.loads(format_report(db, report, "json")))
    assert sum(int(n) for n in re.findall(r": (\d+)", header.group(2))) == len(entries)
    assert db["audit"].count == len(entries)


@pytest.mark.slow
def test_the_corpus_audit_says_what_is_known(audited_kb):
    verdicts_by_council = {(r["council"], r["verdict"]) for r in audited_kb["audit"].rows}
    assert ("Sefton", "no_update") not in verdicts_by_council
    assert ("Shropshire", "no_update") not in verdicts_by_council
    published = {d["id"]: d["published"] for d in audited_kb["documents"].rows}
    for r in audited_kb.query("select * from audit where verdict = 'no_update'"):
        made = date_bounds(published[r["document_id"]])[1]
        assert any(d["council"] == r["council"] and date_bounds(d["published"])[0] > made
                   for d in audited_kb["documents"].rows), r["promise_text"]
    late = {r["promise_text"]: r for r in audited_kb.query("select * from audit where late = 1")}
    model = late["The model will be officially launched early in 2023."]
    assert model["verdict"] == "delivered"
    assert model["evidence_quote"] == "The systemic practice model was officially launched on the 2nd October 2023"
    changes = {(c["before"], c["after"]) for c in audited_kb["commitment_changes"].rows}
    assert ("early in 2023", "2nd October 2023") in changes
    # Evidence is quoted as whole sentences of its source, never cut at a comma.
    agreement = audited_kb.execute("select evidence_quote from audit where promise_text like "
                                   "'Agreement on the final proposed model%'").fetchone()[0]
    assert "The legal structure for the project has concluded," in agreement and agreement.endswith("offer.")


@pytest.mark.parametrize("text, span, sentence", [
    ("Progress includes;\n\nA lead has been recruited,\n\nThe legal work has concluded,\n\nTalks have begun.\n\n"
     "Next year we will grow.", "The legal work has concluded,",
     "Progress includes;\n\nA lead has been recruited,\n\nThe legal work has concluded,\n\nTalks have begun."),
    ("Systemic practice\n\nThe model was launched on 2 October 2023\n\nTraining followed.",
     "The model was launched", "The model was launched on 2 October 2023"),
    ("Staff were trained, e.g. in coaching. The hub opened in May.", "The hub opened",
     "The hub opened in May."),
    ("The sub-group has met and below is the progress made:\n\nWe are continuing the offer.\n\nMore.",
     "We are continuing", "We are continuing the offer."),
])
def test_whole_sentence_of_a_span(text, span, sentence):
    start = text.index(span)
    head, tail = whole_sentence(text, start, start + len(span))
    assert text[head:tail] == sentence


def test_a_count_short_of_the_promised_number_is_work_on_it_and_a_forecast_does_not_date_it(tmp_path):
    (tmp_path / "strategy.txt").write_text(
        "Kent County Council\nChildren's Social Work Workforce Strategy 2023 - 2026\nPublished: March 2023\n\n"
        "Priority 1: Recruitment\nWhat we will do:\n"
        "- We will recruit 25 international social workers by March 2024.\n"
        "- We will launch a Social Work Academy for newly qualified social workers in September 2023.\n",
        encoding="utf-8")
    (tmp_path / "update.txt").write_text(
        "Kent County Council\nChildren's Social Work Workforce Strategy: Progress Update\n"
        "Date of meeting: 12 March 2024\n\nProgress made to date\n"
        "- We have recruited 18 international social workers so far, and a further 7 are expected to arrive by "
        "May 2024.\n"
        "- The Social Work Academy for newly qualified social workers was launched in November 2023 with 15 "
        "social workers.\n", encoding="utf-8")
    db_path = tmp_path / "kb.db"
    assert not ingest(db_path, [tmp_path / "strategy.txt", tmp_path / "update.txt"]).failed
    db = Database(db_path)
    rows = {r["promise_text"][:30]: r for r in db["audit"].rows_where("document_id in (select id from documents "
                                                                        "where published = '2023-03')")}
    recruit, academy = rows["We will recruit 25 internation"], rows["We will launch a Social Work A"]
    assert (recruit["verdict"], recruit["late"]) == ("not_yet_due", 0)  # 18 of 25, and March 2024 not yet over
    assert (academy["verdict"], academy["late"], academy["reported_date"]) == ("delivered", 1, "2023-11")
    later = run_audit(db, as_of="2024-06-01", write=False)
    assert {f.promise_text[:30]: f.verdict.value for f in later.findings}["We will recruit 25 internation"] == \
        "in_progress"
