"""Every command through click's CliRunner, on the real documents."""
from __future__ import annotations

import ast
import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

import schemas
from cli import cli
from kb.build import refresh_derived_tables
from tests.conftest import DATA, ROOT

README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output
    assert f"wfkb {name}" in README


def test_ingest_reports_each_bad_file_and_still_ingests_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "003_d80c8cc1c9b6dc28.txt", folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    db_path = tmp_path / "kb.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db_path)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "broken.pdf" in errors[0] and "Traceback" not in result.output
    assert "ingested 1, unchanged 0, failed 1" in result.output
    assert Database(db_path)["documents"].count == 1


def test_ingest_timings_give_each_stage(tmp_path):
    result = CliRunner().invoke(cli, ["ingest", str(DATA / "003_d80c8cc1c9b6dc28.txt"), "--db",
                                      str(tmp_path / "kb.db"), "--timings"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("seconds: "))
    stages = dict(part.rsplit(" ", 1) for part in line.removeprefix("seconds: ").split(", "))
    assert set(stages) == {"extraction", "writing", "derived tables"}
    assert all(float(t) >= 0 for t in stages.values()) and float(stages["extraction"]) > 0


@pytest.mark.parametrize("code, unused", [
    ("from cli import cli; from click.testing import CliRunner; CliRunner().invoke(cli, ['--help'])", ["spacy"]),
    ("from cli import cli; from click.testing import CliRunner; "
     "CliRunner().invoke(cli, ['records', 'actions', '--db', 'no-such.db'])", ["spacy"]),
    # the main process of an ingest: its workers extract; it writes what they send and the
    # derived tables, search index included, without the site's Datasette
    ("import kb.build, kb.workers, kb.audit, kb.dedup, kb.series, kb.search", ["spacy", "datasette"]),
])
def test_the_main_process_imports_only_what_it_uses(code, unused):
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys; print([m for m in {unused!r} if m in sys.modules])"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


def test_ingest_then_records_in_every_format(tmp_path):
    db_path = str(tmp_path / "kb.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(DATA / "003_d80c8cc1c9b6dc28.txt"), "--db", db_path],
                           catch_exceptions=False)
    assert result.exit_code == 0 and result.output.strip().endswith("ingested 1, unchanged 0, failed 0")

    table = runner.invoke(cli, ["records", "actions", "--db", db_path, "--council", "Sefton"]).output
    header, rule = table.splitlines()[:2]
    assert header.split() [:3] == ["council", "kind", "lead"] and set(rule) <= {"-", " "}

    rows = json.loads(runner.invoke(cli, ["records", "actions", "--db", db_path, "--format", "json"]).output)
    assert any(r["text"] == "Recruit 10 additional social workers" and r["lead"] == "Service Managers"
               for r in rows)
    parsed = list(csv.DictReader(io.StringIO(
        runner.invoke(cli, ["records", "priorities", "--db", db_path, "--format", "csv"]).output)))
    assert len(parsed) == 3 and all(p["council"] == "Sefton" for p in parsed)

    none = runner.invoke(cli, ["records", "actions", "--db", db_path, "--council", "Nowhere"]).output
    assert none.strip().endswith("(0 rows)")


def test_ingest_of_nested_folders_shows_progress_and_counts_tables(tmp_path):
    nested = tmp_path / "in" / "2024" / "february"
    nested.mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "002_c2b6556e76a60ddc.pdf", nested)
    shutil.copy(DATA / "003_d80c8cc1c9b6dc28.txt", tmp_path / "in")
    db_path = str(tmp_path / "kb.db")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "in"), "--db", db_path], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Ingesting" in result.stderr  # the progress bar, on stderr; stdout keeps the summary alone
    assert result.stdout.strip() == "ingested 2, unchanged 0, failed 0; tables: 4 to metrics, 1 kept raw"
    single = CliRunner().invoke(cli, ["ingest", str(DATA / "000_d0267cf840bad862.txt"), "--db", db_path])
    assert "Ingesting" not in single.stderr  # no bar for one file

    sefton = Database(db_path).execute("select id from documents where council = 'Sefton'").fetchone()[0]
    table = CliRunner().invoke(cli, ["records", "actions", "--db", db_path, "--document", sefton]).stdout
    lines = table.splitlines()
    header, rule, rows = lines[0], lines[1], lines[2:-1]
    assert rows and all(len(row) <= len(rule) for row in rows)
    # Aligned: every column starts where its header does, in every row.
    starts = [i for i, c in enumerate(rule) if c == "-" and (i == 0 or rule[i - 1] == " ")]
    assert all(header[i - 1] == " " for i in starts[1:]) and all(row[i - 1] == " " for row in rows for i in starts[1:])
    assert lines[-1] == f"({len(rows)} rows)"


def test_records_without_a_database_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["records", "actions", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no such database" in result.output


def test_audit_and_publish_on_the_built_kb(built_kb, tmp_path):
    runner = CliRunner()
    markdown = runner.invoke(cli, ["audit", "--db", str(built_kb), "--council", "Wirral", "--format", "markdown"])
    assert markdown.exit_code == 0 and "delivered" in markdown.output
    out = tmp_path / "site"
    published = runner.invoke(cli, ["publish", str(out), "--db", str(built_kb)])
    assert published.exit_code == 0, published.output
    assert (out / "metadata.json").exists() and any(out.glob("*.db"))


def test_serve_passes_its_options_to_the_site(built_kb, monkeypatch):
    import kb.site

    calls = []
    monkeypatch.setattr(kb.site, "serve", lambda db_path, **options: calls.append((db_path, options)))
    runner = CliRunner()
    assert runner.invoke(cli, ["serve", "--db", str(built_kb)]).exit_code == 0
    assert runner.invoke(cli, ["serve", "--db", str(built_kb), "--live", "--port", "9001",
                               "--sql-time-limit-ms", "9000"]).exit_code == 0
    assert calls == [
        (str(built_kb), {"host": "127.0.0.1", "port": 8001, "live": False,
                         "sql_time_limit_ms": kb.site.DEFAULT_SQL_TIME_LIMIT_MS}),
        (str(built_kb), {"host": "127.0.0.1", "port": 9001, "live": True, "sql_time_limit_ms": 9000}),
    ]
    # The help states the default without importing kb.site.
    help_text = " ".join(runner.invoke(cli, ["serve", "--help"]).output.split())
    assert f"[default: {kb.site.DEFAULT_SQL_TIME_LIMIT_MS}]" in help_text and "--live" in help_text


def _audit(built_kb: Path, *args: str):
    return CliRunner().invoke(cli, ["audit", "--db", str(built_kb), "--council", "Wirral", *args])


def test_audit_in_every_format(built_kb):
    rows = json.loads(_audit(built_kb, "--format", "json").output)
    assert rows and {r["council"] for r in rows} == {"Wirral"} and "delivered" in {r["verdict"] for r in rows}
    # The 2023 report and the 2024 appendix word Priority 2 differently: one name, one section.
    names: dict = {}
    for r in rows:
        names.setdefault(r["priority_number"], set()).add(r["priority"])
    assert all(len(n) == 1 for n in names.values()) and 2 in names
    table = _audit(built_kb, "--format", "table").output.splitlines()
    assert table[0] == "Wirral" and sum(line.startswith("  Priority 2:") for line in table) == 1
    assert sum(line.startswith("    [") for line in table) == len(rows)
    markdown = _audit(built_kb, "--format", "markdown").output
    assert "\n## Wirral\n" in markdown and markdown.count("\n### Priority 2:") == 1
    parsed = list(csv.DictReader(io.StringIO(_audit(built_kb, "--format", "csv").output)))
    assert [r["promise_id"] for r in parsed] == [r["promise_id"] for r in rows]


def test_audit_as_of_ignores_later_documents(built_kb):
    result = _audit(built_kb, "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    # Wirral's only documents after its 2023 report are from 2024.
    assert rows and all(r["evidence"] is None and "2024" not in r["promised_in"] for r in rows)
    assert "Judged as of 2023-06-30: " in _audit(built_kb, "--as-of", "2023-06-30", "--format", "markdown").output


@pytest.mark.parametrize("value", ["garbage", "2023-13", "2023-02-30", "30/06/2023"])
def test_audit_as_of_must_be_an_iso_date(built_kb, value):
    result = _audit(built_kb, "--as-of", value)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"Invalid value for '--as-of': '{value}' is not an ISO date: use YYYY, YYYY-MM or YYYY-MM-DD" \
        in result.output


def test_audit_of_an_unknown_council_names_the_known_ones(built_kb):
    result = CliRunner().invoke(cli, ["audit", "--db", str(built_kb), "--council", "Nowhere"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {built_kb}: no council 'Nowhere' in the knowledge base; it has: Sefton, Shropshire, Wirral"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
    return names


@pytest.mark.parametrize("package,forbidden", [("schemas", {"extract", "kb", "cli"}), ("extract", {"kb", "cli"}),
                                               ("kb", {"cli"})])
def test_dependencies_point_one_way(package, forbidden):
    for path in (ROOT / package).rglob("*.py"):
        assert not (_imports(path) & forbidden), path


@pytest.mark.parametrize("name", [n for n in schemas.__all__ if n in
                                  ("Action", "Cohort", "Lead", "Metric", "Priority", "Target")])
def test_each_record_type_has_a_table_an_extractor_and_tests(name, built_kb):
    from kb.schema import RECORD_TABLES

    table = next(t for t, cls in RECORD_TABLES.items() if cls.__name__ == name)
    assert Database(built_kb)[table].exists()
    module = {"Priority": "priorities", "Action": "actions", "Lead": "leads", "Target": "targets",
              "Cohort": "cohorts", "Metric": "metrics"}[name]
    assert (ROOT / "extract" / "records" / f"{module}.py").exists()
    assert (ROOT / "tests" / "extract" / "records" / f"test_{module}.py").exists()


# ---------------------------------------------------------------- wfkb link

@pytest.fixture
def kb_copy(built_kb, tmp_path) -> Path:
    """A copy of the session's KB that a test may write to."""
    path = tmp_path / "kb.db"
    src, dst = sqlite3.connect(built_kb), sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    return path


def _clusters(path: Path) -> dict[str, str]:
    return {r["action_id"]: r["canonical_id"] for r in Database(path)["commitment_links"].rows}


def test_link_different_splits_a_cluster_and_survives_a_rebuild(kb_copy):
    a, b = next(Database(kb_copy).execute(
        "select action_id, canonical_id from commitment_links "
        "where method in ('exact', 'fuzzy') and action_id != canonical_id"))
    result = CliRunner().invoke(cli, ["link", "different", a, b, "--note", "two forums", "--db", str(kb_copy)])
    assert result.exit_code == 0, result.output
    assert "marked different commitments" in result.output
    assert _clusters(kb_copy)[a] != _clusters(kb_copy)[b]
    refresh_derived_tables(Database(kb_copy))
    assert _clusters(kb_copy)[a] != _clusters(kb_copy)[b]
    listed = json.loads(CliRunner().invoke(cli, ["link", "list", "--format", "json", "--db", str(kb_copy)]).output)
    assert [(r["judgement"], {r["action_a"], r["action_b"]}, r["note"]) for r in listed] == \
        [("different", {a, b}, "two forums")]


def test_link_same_joins_two_unlinked_actions(kb_copy):
    a, b = next(Database(kb_copy).execute(
        "select x.action_id, y.action_id from commitment_links x join commitment_links y "
        "on x.council = y.council and x.canonical_id < y.canonical_id"))
    result = CliRunner().invoke(cli, ["link", "same", a, b, "--db", str(kb_copy)])
    assert result.exit_code == 0, result.output
    assert _clusters(kb_copy)[a] == _clusters(kb_copy)[b]
    assert "override" in {Database(kb_copy)["commitment_links"].get(x)["method"] for x in (a, b)}
    refresh_derived_tables(Database(kb_copy))
    assert _clusters(kb_copy)[a] == _clusters(kb_copy)[b]


@pytest.mark.parametrize("case,message", [("unknown", "no such action"), ("councils", "different councils"),
                                          ("twice", "named twice")])
def test_link_refuses_a_judgement_it_cannot_keep(kb_copy, case, message):
    ids = dict(Database(kb_copy).execute("select council, min(id) from actions group by council").fetchall())
    wirral, sefton = ids["Wirral"], ids["Sefton"]
    pair = {"unknown": [wirral, "0000000000000000"], "councils": [wirral, sefton], "twice": [wirral, wirral]}[case]
    before = _clusters(kb_copy)
    result = CliRunner().invoke(cli, ["link", "same", *pair, "--db", str(kb_copy)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ") and message in result.output
    assert Database(kb_copy)["link_overrides"].count == 0 and _clusters(kb_copy) == before


def test_ingest_of_web_pages_and_word_files_reports_each_bad_one_and_ingests_the_rest(tmp_path):
    from tests import formats

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plan.html").write_bytes(formats.as_html())
    formats.write_docx(folder / "plan.docx")
    (folder / "menu.html").write_bytes(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (folder / "renamed.docx").write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty ZIP, not a Word file
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    db_path = tmp_path / "kb.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = sorted(line for line in result.output.splitlines() if line.startswith("Error:"))
    assert len(errors) == 3
    assert "menu.html: no main content found" in errors[0]
    assert "old.doc: a legacy Word .doc file" in errors[1] and "save it as .docx or PDF" in errors[1]
    assert "renamed.docx: not a Word document" in errors[2]
    assert "ingested 2, unchanged 0, failed 3" in result.output
    db = Database(db_path)
    assert sorted(Path(r["source"]).name for r in db["documents"].rows) == ["plan.docx", "plan.html"]
    assert db.execute("select count(*) from actions where kind = 'commitment'").fetchone()[0] == 4
