"""Operational log lines (structlog over the standard `logging` module).

The audit log is the record of what the system did; these lines are for the people running it: a stage
that failed, a hold past its deadline, an unhandled error in the service. Each line is `key=value` pairs
(or one JSON object with `SCOMM_LOG_FORMAT=json`, for a log collector), written through stdlib logging so
that whoever embeds scomm keeps control of handlers and levels.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import structlog

_KV = structlog.processors.KeyValueRenderer(key_order=["event"], sort_keys=True)
_JSON = structlog.processors.JSONRenderer(sort_keys=True)


def _render(logger: Any, method: str, event: structlog.typing.EventDict) -> str:
    return (_JSON if os.environ.get("SCOMM_LOG_FORMAT") == "json" else _KV)(logger, method, event)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A logger for module `name`; works whether or not `configure` ran (tests, embedding programs)."""
    return structlog.wrap_logger(
        logging.getLogger(name), wrapper_class=structlog.stdlib.BoundLogger,
        processors=[structlog.stdlib.filter_by_level, structlog.stdlib.add_log_level,
                    structlog.processors.TimeStamper(fmt="iso", utc=True),
                    structlog.processors.format_exc_info, _render])


def configure(level: str | None = None) -> None:
    """Command-line entry: scomm's lines go to stderr at `SCOMM_LOG_LEVEL` (default WARNING)."""
    root = logging.getLogger("scomm")
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        root.addHandler(handler)
        root.propagate = False
    root.setLevel((level or os.environ.get("SCOMM_LOG_LEVEL", "WARNING")).upper())
