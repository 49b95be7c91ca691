"""`scomm ebts`: check a transaction against the EBTS profile of its TOT, dump its records, survey a folder."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import typer

from scomm.errors import FormatError, TransactionError, Violation
from scomm.formats import check_submission, parse_transaction, violations_to_json
from scomm.formats.reader import read_records
from scomm.formats.tags import describe

app = typer.Typer(help="EBTS / ANSI/NIST-ITL transactions.", no_args_is_help=True, pretty_exceptions_enable=False)

EXIT_VALID, EXIT_INVALID = 0, 1


@dataclass
class CheckResult:
    """What `check` reports for one file; `readable` is False when the file is not a transaction scomm reads."""

    file: str
    valid: bool
    readable: bool
    tot: str | None = None
    tcn: str | None = None
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    fingers: int = 0

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "valid": self.valid, "tot": self.tot, "tcn": self.tcn,
                "violations": violations_to_json(self.violations), "warnings": violations_to_json(self.warnings)}


def check_file(path: Path) -> CheckResult:
    """Read, parse and validate `path`; never raises for bad input (an unreadable path is a violation too)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return CheckResult(str(path), False, False, violations=[
            Violation("", "", "unreadable-file", f"{path}: cannot read file: {exc.strerror or exc}")])
    try:
        tx = parse_transaction(data)
    except TransactionError as exc:
        return CheckResult(str(path), False, False, tcn=exc.tcn, violations=exc.violations)
    except FormatError as exc:
        return CheckResult(str(path), False, False, violations=[Violation("", "", "unreadable-file", str(exc))])
    result = check_submission(tx)
    return CheckResult(str(path), result.valid, True, tx.tot, tx.tcn, result.violations, result.warnings,
                       len(tx.fingers))


def _echo_violations(title: str, violations: list[Violation]) -> None:
    typer.echo(f"{title} ({len(violations)}):")
    for violation in violations:
        typer.echo(f"  - [{violation.rule}] {violation.message}")


@app.command()
def check(file: Path, as_json: bool = typer.Option(False, "--json", help="Print the result as one JSON object.")
          ) -> None:
    """Validate FILE against the EBTS profile of its TOT: exit 0 when valid, 1 with the violations otherwise."""
    result = check_file(file)
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=2))
        raise typer.Exit(EXIT_VALID if result.valid else EXIT_INVALID)
    if not result.readable:
        typer.echo(f"{file}: INVALID (unreadable transaction)")
    else:
        typer.echo(f"{file}: {'VALID' if result.valid else 'INVALID'} TOT {result.tot} TCN {result.tcn}")
    if result.violations:
        _echo_violations("violations", result.violations)
    if result.warnings:
        _echo_violations("warnings (accepted leniencies)", result.warnings)
    raise typer.Exit(EXIT_VALID if result.valid else EXIT_INVALID)


@app.command()
def dump(file: Path) -> None:
    """Print FILE's records and fields; images are summarised (size, ppi, compression)."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(f"{file}: cannot read file: {exc.strerror or exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    result = read_records(data)
    images, violations = {}, []
    try:
        images = {image.record: image for image in parse_transaction(data).fingers}
    except TransactionError as exc:
        violations = exc.violations  # printed after the records that could be read
    for record in result.records:
        typer.echo(f"Record {record.label} (Type-{record.type}, IDC {record.idc}, byte {record.offset})")
        for tag, subfields in record.fields.items():
            shown = " | ".join("^".join(items) for items in subfields)
            typer.echo(f"  {describe(tag):<12} {shown[:120]!s}".encode("ascii", "backslashreplace").decode())
        if record.data or record.header:
            typer.echo(f"  image: {_image_summary(record.label, len(record.data), images)}")
    if violations:
        _echo_violations("violations", violations)
        raise typer.Exit(EXIT_INVALID)


def _image_summary(label: str, size: int, images: dict) -> str:
    image = images.get(label)
    if image is None:
        return f"{size} bytes (not a decoded finger image)"
    return (f"FGP {int(image.position)} {image.position.name}, IMP {int(image.impression)}, {image.width}x"
            f"{image.height} px, {image.ppi} ppi, {image.compression}, {size} bytes")


@app.command()
def survey(folders: list[Path]) -> None:
    """Check every file under FOLDERS and print one Markdown table row per file (outcome and first reasons).

    Outcomes: valid (against the profile of its TOT), parsed with violations, or unreadable as a transaction."""
    typer.echo("| file | outcome | TOT | fingers | reasons (first 3 violations; warnings) |")
    typer.echo("|---|---|---|---|---|")
    counts: dict[str, int] = {}
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            result = check_file(path)
            outcome = "valid" if result.valid else ("unreadable" if not result.readable else "parsed, violations")
            counts[outcome] = counts.get(outcome, 0) + 1
            reasons = [v.message for v in result.violations[:3]]
            if len(result.violations) > 3:
                reasons.append(f"+{len(result.violations) - 3} more")
            reasons += [f"warning: {v.message}" for v in result.warnings[:2]]
            cell = "; ".join(reasons).replace("|", "\\|").encode("ascii", "backslashreplace").decode()
            typer.echo(f"| {path.relative_to(folder.parent)} | {outcome} | {result.tot or ''} | "
                       f"{result.fingers} | {cell} |")
    typer.echo("\n" + ", ".join(f"{outcome}: {count}" for outcome, count in sorted(counts.items())))
