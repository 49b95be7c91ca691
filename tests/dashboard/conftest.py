"""A live `scomm serve` on a free port, its database filled by the factories, and Debian's chromium.

The browser tests skip only when chromium (or the playwright package) is absent AND SCOMM_REQUIRE_BROWSER
is unset: a laptop without chromium still passes `make test`; CI sets the variable and never skips.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn

from scomm.api import ApiSettings, create_app
from scomm.config import Settings
from scomm.records import Database
from tests.dashboard.pages import SCREENSHOTS
from tests.dashboard.world import DashboardWorld, build

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
RELAXED = ApiSettings(rate_per_s=1000, rate_burst=1000)


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e .[test])"
    return None


@dataclass
class LiveServer:
    url: str
    db: Database
    world: DashboardWorld


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """uvicorn serving create_app(settings) in a thread on a free port; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, RELAXED), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name=f"dashboard-server-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the dashboard server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _database(settings: Settings, fill: bool) -> tuple[Database, DashboardWorld]:
    db = Database(settings.url)
    db.migrate()
    world = DashboardWorld()
    if fill:
        with db.session() as session:
            world = build(session)
            session.commit()
    return db, world


@pytest.fixture(scope="package")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a migrated database filled by tests.dashboard.world."""
    settings = Settings(home=tmp_path_factory.mktemp("dashboard-home"))
    db, world = _database(settings, fill=True)
    with serving(settings) as url:
        yield LiveServer(url, db, world)
    db.dispose()


@pytest.fixture(scope="package")
def empty_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a fresh install: migrated, no records at all."""
    settings = Settings(home=tmp_path_factory.mktemp("dashboard-empty"))
    db, world = _database(settings, fill=False)
    with serving(settings) as url:
        yield LiveServer(url, db, world)
    db.dispose()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Playwright's sync API keeps an asyncio loop running in the main thread while it is open, which
    makes any later `anyio.run`/`asyncio.run` fail: so it lives only while this package's tests run."""
    missing = _browser_missing()
    if missing is not None:
        if os.environ.get("SCOMM_REQUIRE_BROWSER"):
            pytest.fail(f"SCOMM_REQUIRE_BROWSER is set but {missing}")
        pytest.skip(f"browser tests skipped: {missing} (with SCOMM_REQUIRE_BROWSER=1 this fails instead)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """What a page did: console errors, uncaught exceptions, and every request that left for another host."""

    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def watched() -> Watched:
    return Watched()


@pytest.fixture
def page(browser: Any, live: LiveServer, watched: Watched, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (so sessionStorage is empty), watched; a screenshot is saved at the end."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    local = urlsplit(live.url).hostname  # the loopback address every test server listens on

    def on_request(req: Any) -> None:
        watched.requests.append(req.url)
        parts = urlsplit(req.url)
        if parts.scheme not in ("data", "blob", "about") and parts.hostname != local:
            watched.foreign.append(req.url)

    tab.on("request", on_request)
    tab.on("console", lambda msg: watched.errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: watched.errors.append(str(exc)))
    yield tab
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()
