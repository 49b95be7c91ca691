"""The dashboard loads from local assets only, without errors, and every chart is labelled and tabled."""

from __future__ import annotations

from urllib.request import urlopen

from tests.dashboard.pages import open_dashboard, table


def test_loads_without_console_errors_or_foreign_requests(page, live, watched) -> None:
    open_dashboard(page, live.url)
    assert watched.errors == []
    assert watched.foreign == []
    local = [u for u in watched.requests if u.startswith(live.url)]
    assert any(u.endswith("/js/charts.js") for u in local), "the watcher should see the page's own requests"
    assert any("/v1/statistics/monthly" in u for u in local)
    assert page.title().startswith("scomm dashboard")


def test_every_chart_has_an_accessible_name_and_a_data_table(page, live) -> None:
    open_dashboard(page, live.url)
    charts = page.eval_on_selector_all("svg.chart", """svgs => svgs.map(s => ({
        role: s.getAttribute('role'), name: s.getAttribute('aria-label') || '',
        table: !!s.closest('section').querySelector('table')}))""")
    assert len(charts) >= 5  # map, three monthly charts, the level breakdown
    for chart in charts:
        assert chart["role"] == "img" and len(chart["name"]) > 20 and chart["table"], chart


def test_values_are_printed_not_only_coloured(page, live) -> None:
    open_dashboard(page, live.url)
    bars = page.eval_on_selector_all("figure[data-measure] svg rect[data-label]", "rs => rs.length")
    labels = page.eval_on_selector_all("figure[data-measure] svg text.value", "ts => ts.length")
    assert bars > 0 and labels == bars  # one printed value per bar
    tiles = page.eval_on_selector_all("svg.tilemap g.tile", "gs => gs.map(g => g.textContent)")
    assert len(tiles) == 51 and any(t.startswith("MA") and t[2:].strip() != "–" for t in tiles)


def test_assets_are_served_with_a_same_origin_content_security_policy(live) -> None:
    with urlopen(f"{live.url}/dashboard/") as answer:
        policy = answer.headers["Content-Security-Policy"]
        body = answer.read().decode()
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assert "http://" not in body.replace("http://www.w3.org", "") and "https://" not in body


def test_a_fresh_install_shows_empty_views_without_errors(page, empty_live, watched) -> None:
    open_dashboard(page, empty_live.url)
    assert watched.errors == [] and watched.foreign == []
    assert table(page, "#table-trends") == [{"Month": "Total", "Submissions": "0", "IDENT matches": "0",
                                             "Detainers lodged": "0", "ICE book-ins": "0", "Removals": "0"}]
    assert table(page, "#table-states") == [] and "No indicator rows" in page.inner_text("#indicator-table")


def test_a_foreign_request_would_be_caught(page, live, watched) -> None:
    """The checks above can fail: a script reaching for another host is refused by the policy, and seen."""
    open_dashboard(page, live.url)
    page.evaluate("() => fetch('http://192.0.2.1/beacon').catch(() => null)")
    page.wait_for_timeout(200)
    assert watched.foreign or any("192.0.2.1" in e and "Content Security Policy" in e for e in watched.errors)
