"""The HTTP service (FastAPI): agencies submit transactions and read what they may; every request is audited.

    app.py         create_app(settings) and the failure handlers
    deps.py        named dependencies: SessionDep, CurrentClient, and one per capability
    principal.py   roles, capabilities and scopes (which bookings a caller sees)
    security.py    tokens: generation, salted hashing at rest, constant-time checks, OAuth2 access tokens
    limits.py      rate limit, upload cap, body timeout
    errors.py      the closed list of failure reasons and their HTTP statuses
    routes/        thin routes: transactions, detainers, outcomes (jail, ICE), alarms, statistics, system
"""

from scomm.api.app import create_app
from scomm.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]
