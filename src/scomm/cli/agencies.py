"""`scomm agencies`: issue, list and revoke the HTTP service's API clients."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from scomm.api.clients import ClientSpecError, add_client, list_clients, revoke_client
from scomm.config import Settings
from scomm.errors import RecordNotFound
from scomm.records import Database

app = typer.Typer(help="API clients of `scomm serve`: booking agencies, state bureaus, ICE offices, auditors.",
                  no_args_is_help=True)
console = Console()


def _db() -> Database:
    db = Database(Settings().url)
    db.migrate()
    return db


@app.command()
def add(name: str = typer.Option(..., help="Unique client name (appears as the audit actor)."),
        role: str = typer.Option(..., help="booking_agency, state_bureau, ice or auditor."),
        ori: str = typer.Option("", help="booking_agency: its 9-character ORI."),
        state: str = typer.Option("", help="state_bureau: its two-letter state."),
        ice_office: str = typer.Option("", help="ice: the ICE office named on its jurisdictions.")) -> None:
    """Issue a client and print its API token once (only a salted hash is stored)."""
    db = _db()
    try:
        with db.session() as session:
            client, token = add_client(session, name, role, ori or None, state or None, ice_office or None)
            client_id = client.id
    except ClientSpecError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"client {client_id} ({role}) created. Its token, shown only now:")
    typer.echo(token)
    console.print(f"OAuth2 client credentials: client_id={client_id}, client_secret=<the token>")


@app.command(name="list")
def list_() -> None:
    """Every client with its role, scope and state (tokens are never shown again)."""
    with _db().session() as session:
        clients = list_clients(session)
        table = Table("id", "name", "role", "scope", "created", "revoked")
        for c in clients:
            scope = c.ori or c.state or c.ice_office or "-"
            table.add_row(str(c.id), c.name, c.role, scope, f"{c.created_at:%Y-%m-%d %H:%M}",
                          f"{c.revoked_at:%Y-%m-%d %H:%M}" if c.revoked_at else "")
    console.print(table)


@app.command()
def revoke(client_id: int = typer.Argument(..., help="The client's id (see `scomm agencies list`).")) -> None:
    """Revoke a client: its tokens stop working at once; the row stays for the audit log."""
    try:
        with _db().session() as session:
            client = revoke_client(session, client_id)
            name = client.name
    except RecordNotFound as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"client {client_id} ({name}) revoked")
