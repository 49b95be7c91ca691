"""The charts and their tables show the numbers the database holds, and the filters change them."""

from __future__ import annotations

from tests.dashboard import counts
from tests.dashboard.pages import by, chart_values, generation, open_dashboard, table, use_token, wait_render

LEVEL_ROWS = {"Level 1": "level_1", "Level 2": "level_2", "Level 3": "level_3", "Non-criminal": "non_criminal"}


def test_monthly_submissions_match_the_bookings(page, live) -> None:
    open_dashboard(page, live.url)
    with live.db.session() as s:
        expected = counts.searched_by_month(s)
    rows = [r for r in table(page, "#table-trends") if r["Month"] != "Total"]
    shown = by(rows, "Month", "Submissions")
    assert {m: n for m, n in shown.items() if n} == dict(expected)  # months of no booking show 0
    assert all(n >= 10 for n in expected.values()), "the test world should publish every monthly submission cell"
    assert chart_values(page, "submissions") == shown  # the bars print what the table says
    total = next(r for r in table(page, "#table-trends") if r["Month"] == "Total")
    assert int(total["Submissions"]) == sum(expected.values())


def test_auditor_sees_every_level_cell_as_counted(page, live) -> None:
    open_dashboard(page, live.url)
    use_token(page, live.world.tokens["auditor"])
    with live.db.session() as s:
        columns = {"IDENT matches": counts.matches_by_level(s), "Detainers lodged": counts.lodged_by_level(s),
                   "Removals": counts.removed_by_level(s)}
    rows = {r["Level"]: r for r in table(page, "#table-levels")}
    for column, expected in columns.items():
        assert {label: int(rows[label][column]) for label in LEVEL_ROWS} == \
            {label: expected[level] for label, level in LEVEL_ROWS.items()}, column
        assert int(rows["All levels"][column]) == sum(expected.values())
    assert "<10" not in page.inner_text("#main")


def test_state_table_and_map_match_the_bookings(page, live) -> None:
    open_dashboard(page, live.url)
    use_token(page, live.world.tokens["auditor"])
    with live.db.session() as s:
        expected = counts.searched_by_state(s)
    assert by(table(page, "#table-states"), "State", "Submissions") == dict(expected)
    tiles = dict(page.eval_on_selector_all("svg.tilemap g.tile text.value",
                                           "ts => ts.map(t => [t.parentNode.dataset.state, t.textContent])"))
    assert {st: int(tiles[st]) for st in expected} == dict(expected)
    assert tiles["NY"] == "–"  # no activated jurisdiction there


def test_state_filter_changes_the_charts(page, live) -> None:
    open_dashboard(page, live.url)
    national = chart_values(page, "submissions")
    before = generation(page)
    page.select_option("#f-state", "IL")
    wait_render(page, before)
    with live.db.session() as s:
        expected = counts.searched_by_month(s, state="IL")
    shown = chart_values(page, "submissions")
    assert shown != national
    assert {m: n for m, n in shown.items() if n != 0} == {m: (n if n >= 10 else None) for m, n in expected.items()}
    assert [r["Code"] for r in table(page, "#table-counties")] == ["IL-COOK"]
    assert page.get_attribute("svg.tilemap g.tile[data-state=IL]", "class") == "tile selected"
    assert [o for o in page.eval_on_selector_all("#f-jurisdiction option", "os => os.map(o => o.value)") if o] \
        == ["IL-COOK"]


def test_month_range_limits_the_series(page, live) -> None:
    open_dashboard(page, live.url)
    use_token(page, live.world.tokens["auditor"])
    for select, month in (("#f-from", "2011-12"), ("#f-to", "2012-01")):
        before = generation(page)
        page.select_option(select, month)
        wait_render(page, before)
    with live.db.session() as s:
        expected = counts.searched_by_month(s)
    rows = table(page, "#table-trends")
    assert [r["Month"] for r in rows] == ["2011-12", "2012-01", "Total"]
    assert by(rows, "Month", "Submissions") == {"2011-12": expected["2011-12"], "2012-01": expected["2012-01"],
                                                "Total": expected["2011-12"] + expected["2012-01"]}
    assert "2011-12" in page.inner_text("#filter-summary")
