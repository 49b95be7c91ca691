"""Every error scomm raises on purpose, in one place.

    ScommError
    ├── FormatError (ValueError)            a transaction or image that cannot be read as given
    │   ├── TransactionError                ANSI/NIST-ITL structure: carries the list of Violations
    │   └── ImageDecodeError                a fingerprint image that does not decode
    ├── FingerprintError (ValueError)
    │   └── PoorQualityError                blank, tiny or non-fingerprint image; too few minutiae
    ├── PolicyError (ValueError)
    │   └── PolicyFileError                 a policy YAML that fails to load: file, line, reason
    ├── RecordNotFound (LookupError)        a TCN, person or detainer that is not in the store
    └── PipelineError (RuntimeError)        a stage that cannot advance a booking

Each carries the context needed to answer the submitter precisely (TCN, record, field, file, line).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """One broken rule in a submitted transaction: where, which rule, what was found."""

    record: str  # e.g. "1" for the Type-1 record, "4.3" for the third Type-4 record, "" for the file
    field: str  # EBTS tag such as "2.022", or "" when the whole record/file is at fault
    rule: str  # short machine name, e.g. "missing-mandatory-field"
    message: str  # human sentence: "record 2: field 2.022 DOB missing"
    value: str = ""  # offending value, truncated for display

    def to_dict(self) -> dict[str, str]:
        return {"record": self.record, "field": self.field, "rule": self.rule,
                "message": self.message, "value": self.value}


class ScommError(Exception):
    """Base of all deliberate scomm errors."""


class FormatError(ScommError, ValueError):
    """Input that cannot be read in the format it claims to be."""


class TransactionError(FormatError):
    """An ANSI/NIST-ITL transaction with one or more violations, all reported at once."""

    def __init__(self, violations: list[Violation], tcn: str | None = None) -> None:
        self.violations = list(violations)
        self.tcn = tcn
        summary = "; ".join(v.message for v in self.violations[:5])
        more = f" (+{len(self.violations) - 5} more)" if len(self.violations) > 5 else ""
        super().__init__(f"{len(self.violations)} violation(s): {summary}{more}")


class ImageDecodeError(FormatError):
    """A fingerprint image that does not decode with its stated compression."""

    def __init__(self, message: str, record: str = "", compression: str = "") -> None:
        self.record = record
        self.compression = compression
        super().__init__(message)


class FingerprintError(ScommError, ValueError):
    """A fingerprint that cannot be turned into a usable template."""


class PoorQualityError(FingerprintError):
    """The image is blank, tiny, not a fingerprint, or yields too few minutiae."""

    def __init__(self, reason: str, quality: float = 0.0) -> None:
        self.reason = reason
        self.quality = quality
        super().__init__(f"{reason} (quality {quality:.2f})")


class PolicyError(ScommError, ValueError):
    """A policy that cannot be applied."""


class PolicyFileError(PolicyError):
    """A policy file rejected at load time."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class RecordNotFound(ScommError, LookupError):
    """Something looked up by key that is not stored."""


class PipelineError(ScommError, RuntimeError):
    """A pipeline stage that cannot advance a booking."""

    def __init__(self, message: str, tcn: str | None = None, stage: str | None = None) -> None:
        self.tcn = tcn
        self.stage = stage
        super().__init__(message)
