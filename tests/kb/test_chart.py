"""The metric_series canned query and its chart, on the KB built from corpus/.

The chart is drawn in the browser by datasette-vega-dashboards; these tests check what
the page hands it (its scripts, and a Vega-Lite spec of period against value) and what
the query returns.
"""
from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import urlencode

import httpx
import pytest
import sqlite_utils

from kb.site import make_datasette, publish, site_metadata

QUERY = "metric_series"
VEGA_LIBS = ("vega@5", "vega-lite@5", "vega-embed@6")
STATIC = "/-/static-plugins/datasette-vega-dashboards/"
SPEC = re.compile(r'<script type="application/vnd\.vegalite\+json">(.*?)</script>', re.DOTALL)
MONTH = re.compile(r"\d{4}-\d{2}")


@pytest.fixture(scope="module")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def get(built_kb, loop):
    ds = make_datasette(built_kb)

    def get(path: str) -> httpx.Response:
        return loop.run_until_complete(ds.client.get(path))
    return get


def _series(get, **params: str) -> list[dict]:
    page = get(f"/kb/{QUERY}.json?" + urlencode({"_shape": "array", **params}))
    assert page.status_code == 200, page.text[:500]
    return page.json()


def _assert_one_series(rows: list[dict]) -> None:
    assert len({(r["measure"], r["dimension"], r["council"]) for r in rows}) == 1
    periods = [r["period"] for r in rows]
    assert periods == sorted(set(periods)), "one value per period, oldest first"
    assert len({bool(MONTH.fullmatch(p)) for p in periods}) == 1, "months and years are not mixed"
    assert all(isinstance(r["value"], (int, float)) and not isinstance(r["value"], bool) for r in rows)


def test_defaults_give_the_commonest_measure_as_a_series(get, built_kb):
    rows = _series(get)
    assert len(rows) >= 12
    _assert_one_series(rows)
    db = sqlite_utils.Database(built_kb)
    [commonest] = db.execute("select measure from metrics group by measure "
                             "order by count(*) desc, measure limit 1").fetchone()
    assert rows[0]["measure"] == commonest
    assert list(rows[0])[:2] == ["period", "value"]


def test_a_chosen_measure_and_dimension_give_that_series(get, built_kb):
    db = sqlite_utils.Database(built_kb)
    measure, dimension = db.execute(
        "select measure, dimension from metrics where dimension is not null group by 1, 2 "
        "order by count(*) desc, 1, 2 limit 1 offset 1").fetchone()
    rows = _series(get, measure=measure, dimension=dimension)
    assert rows
    _assert_one_series(rows)
    assert (rows[0]["measure"], rows[0]["dimension"]) == (measure, dimension)
    assert _series(get, measure="no such measure") == []


def test_a_period_two_tables_give_is_taken_once_from_the_later_table(get, built_kb):
    """The corpus has two tables of agency staff whose months overlap with different
    figures: the series keeps every month once, each from the table reaching further."""
    rows = _series(get)
    db = sqlite_utils.Database(built_kb)
    figures = list(db.query(
        "select period, value, table_id, max(period) over (partition by table_id) as reach "
        "from metrics where measure = ? and dimension is ? and council is ?",
        [rows[0]["measure"], rows[0]["dimension"], rows[0]["council"]]))
    months = {f["period"] for f in figures if MONTH.fullmatch(f["period"])}
    assert [r["period"] for r in rows] == sorted(months)
    by_period: dict[str, list[dict]] = {}
    for f in figures:
        by_period.setdefault(f["period"], []).append(f)
    overlapping = [p for p in months if len(by_period[p]) > 1]
    if not overlapping:
        pytest.skip("no period of the default series is in two tables")
    chosen = {r["period"]: r["value"] for r in rows}
    for period in overlapping:
        assert chosen[period] == max(by_period[period], key=lambda f: f["reach"])["value"]


def test_the_query_page_carries_the_chart_spec_and_its_scripts(get):
    page = get(f"/kb/{QUERY}")
    assert page.status_code == 200
    html = page.text
    assert f'src="{STATIC}inject.js"' in html
    for lib in VEGA_LIBS:
        assert f'src="{STATIC}{lib}"' in html
    [spec] = [json.loads(s) for s in SPEC.findall(html)]
    configured = site_metadata()["databases"]["kb"]["queries"][QUERY]["chart"]
    assert spec["mark"] == configured["mark"] and spec["encoding"]["tooltip"] == configured["encoding"]["tooltip"]
    assert (spec["encoding"]["x"]["field"], spec["encoding"]["y"]["field"]) == ("period", "value")
    assert spec["encoding"]["y"]["type"] == "quantitative"
    # inject.js reads the rows from the page's JSON link, so the link must be there.
    assert re.search(rf'class="export-links">.*?href="/kb/{QUERY}\.json', html, re.DOTALL)
    for lib in ("inject.js", *VEGA_LIBS):
        script = get(STATIC + lib)
        assert script.status_code == 200 and len(script.content) > 1000


@pytest.mark.parametrize("path", ["/kb/actions", "/kb/measure_over_time", "/-/search?q=apprenticeship",
                                  f"/kb/{QUERY}?measure=no+such+measure"])
def test_pages_without_a_chart_load_no_vega(get, path):
    page = get(path)
    assert page.status_code == 200
    assert not SPEC.search(page.text)
    assert not any(f'src="{STATIC}{lib}"' in page.text for lib in VEGA_LIBS)


def test_published_site_draws_the_chart_too(built_kb, tmp_path, loop):
    from datasette.app import Datasette

    out = publish(built_kb, tmp_path / "site")
    assert (out / "templates" / "query.html").is_file()
    assert "--install datasette-vega-dashboards" in (out / "README.md").read_text()
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["plugins"]["datasette-vega-dashboards"] == {"vega_urls": []}
    page = loop.run_until_complete(Datasette(config_dir=out).client.get(f"/kb/{QUERY}"))
    assert page.status_code == 200 and SPEC.search(page.text)
