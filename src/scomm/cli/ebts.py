"""`scomm ebts`: check a booking transaction against the CAR profile, or dump its records."""

from __future__ import annotations

from pathlib import Path

import typer

from scomm.errors import TransactionError, Violation
from scomm.formats import check_car, parse_transaction
from scomm.formats.reader import read_records
from scomm.formats.tags import describe

app = typer.Typer(help="EBTS / ANSI/NIST-ITL transactions.", no_args_is_help=True, pretty_exceptions_enable=False)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        typer.echo(f"{path}: cannot read file: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None


def _echo_violations(title: str, violations: list[Violation]) -> None:
    typer.echo(f"{title} ({len(violations)}):")
    for violation in violations:
        typer.echo(f"  - [{violation.rule}] {violation.message}")


@app.command()
def check(file: Path) -> None:
    """Validate FILE as a booking (TOT CAR/CNA): exit 0 when valid, 1 with the violations otherwise."""
    data = _read(file)
    try:
        tx = parse_transaction(data)
    except TransactionError as exc:
        typer.echo(f"{file}: INVALID (unreadable transaction)")
        _echo_violations("violations", exc.violations)
        raise typer.Exit(1) from None
    result = check_car(tx)
    typer.echo(f"{file}: {'VALID' if result.valid else 'INVALID'} TOT {tx.tot} TCN {tx.tcn}")
    if result.violations:
        _echo_violations("violations", result.violations)
    if result.warnings:
        _echo_violations("warnings (accepted leniencies)", result.warnings)
    raise typer.Exit(0 if result.valid else 1)


@app.command()
def dump(file: Path) -> None:
    """Print FILE's records and fields; images are summarised (size, ppi, compression)."""
    data = _read(file)
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
            typer.echo(f"  {describe(tag):<12} {shown[:120]}")
        if record.data or record.header:
            typer.echo(f"  image: {_image_summary(record.label, len(record.data), images)}")
    if violations:
        _echo_violations("violations", violations)
        raise typer.Exit(1)


def _image_summary(label: str, size: int, images: dict) -> str:
    image = images.get(label)
    if image is None:
        return f"{size} bytes (not a decoded finger image)"
    return (f"FGP {int(image.position)} {image.position.name}, IMP {int(image.impression)}, {image.width}x"
            f"{image.height} px, {image.ppi} ppi, {image.compression}, {size} bytes")
