"""wfkb: council workforce strategies and progress reports into a searchable knowledge base."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from extract.errors import WorkforceKBError
from extract.settings import ENGINES

DB_OPTION = click.option("--db", "db_path", default="kb.db", show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite database of the knowledge base")


@click.group()
@click.version_option(package_name="workforce-kb")
def cli() -> None:
    "Extract commitments, targets and cohorts from council workforce documents into a knowledge base."


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@DB_OPTION
@click.option("--data-dir", default="data", show_default=True, type=click.Path(file_okay=False),
              help="Where documents downloaded from URLs are kept")
@click.option("--max-file-mb", type=float, help="Refuse files larger than this")
@click.option("--max-pages", type=int, help="Refuse PDFs with more pages than this")
@click.option("--timeout", "timeout_s", type=float, help="Seconds allowed per document")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Documents extracted in parallel worker processes  [default: the usable cores]")
@click.option("--engine", type=click.Choice(ENGINES),
              help="PDF reader: auto (PDFium, with pdfplumber's table finder on its ruled lines), "
                   "pdfium, or pdfplumber (the reference path)  [default: auto]")
@click.option("--timings", is_flag=True, help="Also print the wall seconds of each stage (to stderr)")
def ingest(sources: tuple[str, ...], db_path: str, data_dir: str, max_file_mb: float | None,
           max_pages: int | None, timeout_s: float | None, jobs: int | None, engine: str | None,
           timings: bool) -> None:
    """Ingest PDF, Word (.docx), web-page (.html) and text files, folders (searched recursively) and URLs.

    Example:

        wfkb ingest corpus/ https://example.gov.uk/papers/workforce-update.pdf --db kb.db --jobs 2
    """
    from kb.workers import start_fork_server

    start_fork_server()  # the workers' preload is the longest wait: it runs while this process imports
    from kb.build import count_sources, ingest_sources

    settings = {k: v for k, v in dict(max_file_mb=max_file_mb, max_pages=max_pages, timeout_s=timeout_s,
                                      engine=engine).items()
                if v is not None}
    total = count_sources(sources)
    with click.progressbar(length=total, label="Ingesting", file=sys.stderr, hidden=total <= 1) as bar:
        report = ingest_sources(db_path, sources, data_dir=data_dir, settings=settings,
                                progress=lambda _: bar.update(1), jobs=jobs)
    for path, reason in report.failed:
        click.echo(f"Error: {path}: {reason}", err=True)
    click.echo(report.summary())
    if timings:
        click.echo(report.timings(), err=True)
    if report.failed:
        sys.exit(1)


@cli.command()
@DB_OPTION
@click.option("--council", "councils", multiple=True, help="Only this council (repeatable); default all configured")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only meetings on or after this date")
@click.option("--data-dir", default="data", show_default=True, type=click.Path(file_okay=False),
              help="Where downloaded documents are kept")
@click.option("--delay", type=float, help="Seconds between requests to one site (default 1)")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Councils to follow, a YAML file shaped like the shipped kb/councils.yml")
def sync(db_path: str, councils: tuple[str, ...], since, data_dir: str, delay: float | None,
         config_path: str | None) -> None:
    """Find, download and ingest new workforce papers from councils' ModernGov sites.

    Example:

        wfkb sync --council Wirral --since 2024-01-01
    """
    from kb.sync import load_councils
    from kb.sync import sync as sync_councils

    fetch = {"delay": delay} if delay is not None else {}
    report = sync_councils(db_path, list(councils) or None, since.date() if since else None, None,
                           config=load_councils(config_path) if config_path else None,
                           settings={"data_dir": data_dir, "fetch": fetch})
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.argument("record_type", type=click.Choice(["priorities", "actions", "leads", "targets", "cohorts",
                                                   "metrics", "documents", "audit"]))
@DB_OPTION
@click.option("--council", help="Only this council")
@click.option("--document", "document_id", help="Only this document id")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def records(record_type: str, db_path: str, council: str | None, document_id: str | None, fmt: str) -> None:
    """Print records of one type.

    Example:

        wfkb records actions --council Sefton --format csv
    """
    from kb.records import format_records, query_records

    _require_db(db_path)
    rows = query_records(db_path, record_type, council=council, document_id=document_id)
    click.echo(format_records(rows, fmt, record_type))


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from kb.audit import check_as_of

    try:
        return None if value is None else check_as_of(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


@cli.command()
@DB_OPTION
@click.option("--council", help="Only this council")
@click.option("--as-of", callback=_as_of, metavar="YYYY[-MM[-DD]]",
              help="Judge deadlines at this ISO date (default: each council's latest document)")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "csv", "json"]), default="table",
              show_default=True)
@click.option("--strict", is_flag=True, help="Exit 1 when later documents pass over any promise (no_update)")
def audit(db_path: str, council: str | None, as_of: str | None, fmt: str, strict: bool) -> None:
    """What was promised against what later documents reported.

    Example:

        wfkb audit --council Wirral --format markdown > briefing.md
    """
    from sqlite_utils import Database

    from kb.audit import check_council, format_report, run_audit

    _require_db(db_path)
    db = Database(db_path)
    try:
        council = check_council(db, council) if council else None
    except ValueError as e:
        raise click.ClickException(f"{db_path}: {e}") from None
    report = run_audit(db, as_of=as_of, councils=[council] if council else None, write=False)
    click.echo(format_report(db, report, fmt))
    if strict and report.counts().get("no_update"):
        sys.exit(1)


def _site_sql_time_limit_ms() -> int:
    # A callable default: kb.site imports Datasette, too slow to load for every command.
    from kb.site import DEFAULT_SQL_TIME_LIMIT_MS

    return DEFAULT_SQL_TIME_LIMIT_MS


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind")
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--live", is_flag=True,
              help="Use when `wfkb ingest` or `wfkb sync` writes to the same file while the site runs: "
                   "new documents then appear, each whole or not at all. Without it the file is "
                   "served immutable, which is quicker but must not be written to meanwhile.")
@click.option("--sql-time-limit-ms", type=click.IntRange(min=1), default=_site_sql_time_limit_ms,
              # The number is kb.site.DEFAULT_SQL_TIME_LIMIT_MS (test_cli holds them equal),
              # written out so that --help need not import Datasette.
              help="Milliseconds any one query may run before it is stopped  [default: 2500]")
def serve(db_path: str, host: str, port: int, live: bool, sql_time_limit_ms: int) -> None:
    """Serve the knowledge base read-only with Datasette.

    Example:

        wfkb serve --db kb.db
    """
    from kb.site import serve as serve_site

    _require_db(db_path)
    serve_site(db_path, host=host, port=port, sql_time_limit_ms=sql_time_limit_ms, live=live)


@cli.command()
@click.argument("out_dir", type=click.Path(file_okay=False))
@DB_OPTION
def publish(out_dir: str, db_path: str) -> None:
    """Write a deployable Datasette site (database, metadata, plugin, templates) to OUT_DIR.

    Example:

        wfkb publish site/ --db kb.db && cd site && datasette .
    """
    from kb.site import publish as publish_site

    _require_db(db_path)
    click.echo(f"Wrote {publish_site(db_path, out_dir)}")


@cli.group()
def link() -> None:
    """Judge whether two actions are the same commitment.

    The links of the actions' council are rebuilt at once, so the site shows the change;
    judgements are kept in link_overrides and outlast every later ingest. Action ids are
    in `wfkb records actions --format csv` and on each record page.

    Example:

        wfkb link same 1509e7bf23fd0fdc 692dcb6dee660f1e --note "renamed"
    """


def _judgement_options(command: Callable) -> Callable:
    """The arguments and options `link same` and `link different` share."""
    for decorator in reversed([click.argument("action_a"), click.argument("action_b"),
                               click.option("--note", help="Why, in your words (kept with the judgement)"),
                               DB_OPTION]):
        command = decorator(command)
    return command


@link.command("same")
@_judgement_options
def link_same(action_a: str, action_b: str, note: str | None, db_path: str) -> None:
    """Mark two actions as the same commitment.

    Their clusters join, unless a 'different' judgement stands between them.

    Example:

        wfkb link same 1509e7bf23fd0fdc 692dcb6dee660f1e --note "renamed"
    """
    _judge(db_path, action_a, action_b, True, note)


@link.command("different")
@_judgement_options
def link_different(action_a: str, action_b: str, note: str | None, db_path: str) -> None:
    """Mark two actions as different commitments.

    They never share a cluster again, whatever links their texts.

    Example:

        wfkb link different 1509e7bf23fd0fdc 692dcb6dee660f1e --db kb.db
    """
    _judge(db_path, action_a, action_b, False, note)


@link.command("list")
@DB_OPTION
@click.option("--council", help="Only this council")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def link_list(db_path: str, council: str | None, fmt: str) -> None:
    """Print every judgement, with the two actions' texts.

    Example:

        wfkb link list --council Wirral --format csv
    """
    from sqlite_utils import Database

    from kb.dedup import list_overrides
    from kb.records import format_records

    _require_db(db_path)
    click.echo(format_records(list_overrides(Database(db_path), council), fmt, "link_overrides"))


def _judge(db_path: str, action_a: str, action_b: str, same: bool, note: str | None) -> None:
    from sqlite_utils import Database

    from kb.dedup import OverrideError, set_override

    _require_db(db_path)
    try:
        result = set_override(Database(db_path), action_a, action_b, same, note)
    except OverrideError as e:
        raise click.ClickException(str(e)) from e
    click.echo(result.summary())


def _require_db(db_path: str) -> None:
    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database (run 'wfkb ingest' first)")


def main() -> None:
    try:
        cli()
    except WorkforceKBError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(1)
