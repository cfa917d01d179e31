"""Every command through click's CliRunner, on the real documents."""
from __future__ import annotations

import ast
import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

import schemas
from cli import cli
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
    assert (ROOT / "extract" / f"{module}.py").exists()
    assert (ROOT / "tests" / "extract" / f"test_{module}.py").exists()
