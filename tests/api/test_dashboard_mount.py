"""The dashboard's static files are served by the API app, with a same-origin content security policy."""

from __future__ import annotations


def test_dashboard_redirects_and_serves_its_page(api) -> None:
    answer = api.get("/dashboard", follow_redirects=False)
    assert answer.status_code == 307 and answer.headers["location"] == "/dashboard/"
    page = api.get("/dashboard/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<script type="module" src="js/main.js">' in page.text


def test_scripts_and_styles_come_from_the_package(api) -> None:
    for path, kind in (("js/main.js", "javascript"), ("js/charts.js", "javascript"), ("dashboard.css", "text/css")):
        answer = api.get(f"/dashboard/{path}")
        assert answer.status_code == 200 and kind in answer.headers["content-type"], path
        assert "https://" not in answer.text and "http://" not in answer.text.replace("http://www.w3.org", "")


def test_a_missing_asset_is_404(api) -> None:
    assert api.get("/dashboard/js/nothing.js").status_code == 404
