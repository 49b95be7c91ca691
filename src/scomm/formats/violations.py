"""Violations as data: the JSON form of a validation result (the ERRT form is `responses.write_errt`)."""

from __future__ import annotations

from collections.abc import Iterable

from scomm.errors import Violation


def violations_to_json(violations: Iterable[Violation]) -> list[dict[str, str]]:
    """One JSON-ready dict per violation: record, field, rule, message, value (all strings)."""
    return [violation.to_dict() for violation in violations]
