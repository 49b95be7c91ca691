"""Schemathesis against the live service: every operation of the OpenAPI spec, generated requests,
as each role; the property checked is "no 5xx". Run by `make fuzz-api` (not part of `make test`):

    .venv/bin/pytest -q bench/test_api_schemathesis.py -p no:cacheprovider

Needs the `fuzz` extra (`pip install -e .[fuzz]`).
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings

from scomm.api import ApiSettings, create_app
from scomm.api.clients import add_client
from scomm.config import Settings
from scomm.records import Database

HOME = Path(tempfile.mkdtemp(prefix="scomm-schemathesis-"))
ROLES = {"booking_agency": {"ori": "TEST00001"}, "state_bureau": {"state": "MA"}, "ice": {"ice_office": "ERO Boston"},
         "auditor": {}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tokens() -> dict[str, str]:
    db = Database(Settings(home=HOME).url)
    db.migrate()
    tokens = {}
    with db.session() as session:
        for role, scope in ROLES.items():
            tokens[role] = add_client(session, f"fuzz-{role}", role, **scope)[1]
    db.dispose()
    return tokens


TOKENS = _tokens()
PORT = _free_port()
_server = uvicorn.Server(uvicorn.Config(create_app(Settings(home=HOME), ApiSettings(rate_per_s=10_000, rate_burst=10_000)),
                                        host="127.0.0.1", port=PORT, log_level="warning"))
threading.Thread(target=_server.run, daemon=True).start()
for _ in range(300):
    if _server.started:
        break
    time.sleep(0.1)

schema = schemathesis.openapi.from_url(f"http://127.0.0.1:{PORT}/openapi.json")


@pytest.mark.parametrize("role", [*ROLES, "public"])
@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, role: str) -> None:
    headers = {"Authorization": f"Bearer {TOKENS[role]}"} if role in TOKENS else {}
    response = case.call(headers=headers)
    assert response.status_code < 500, f"{case.method} {case.formatted_path} as {role}: {response.status_code}"
