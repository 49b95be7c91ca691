"""`scomm policy …`: list, evaluate and explain jurisdiction detainer policies."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from scomm.errors import PolicyError
from scomm.rules.facts_json import local_facts_from_json
from scomm.rules.policies import list_policies, load_policy

app = typer.Typer(help="Jurisdiction detainer policies (rules/policies/local).", no_args_is_help=True)


@app.command("list")
def list_() -> None:
    """List the bundled policies: name, jurisdiction, dates, hold hours, title."""
    for p in list_policies():
        s = p.spec
        typer.echo(f"{s.name:28} {s.jurisdiction:34} {s.effective_from} – {str(s.effective_to or 'open'):10} "
                   f"{s.hold_hours:2}h  {s.title}")


@app.command()
def evaluate(policy: str = typer.Option(..., "--policy", help="policy name or path to a YAML file"),
             facts: Path = typer.Option(..., "--facts", exists=True, dir_okay=False, help="facts JSON file")) -> None:
    """Evaluate POLICY on FACTS and print the four decisions as JSON."""
    try:
        local = local_facts_from_json(json.loads(facts.read_text(encoding="utf-8")))
        decision = load_policy(policy).evaluate(local)
    except json.JSONDecodeError as exc:
        raise _fail(f"{facts}: not JSON: {exc}") from exc
    except PolicyError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(json.dumps(decision.to_dict(), indent=2))


@app.command()
def explain(name: str = typer.Argument(..., help="policy name or path to a YAML file")) -> None:
    """Print a policy's rules in words."""
    try:
        typer.echo(load_policy(name).explain())
    except PolicyError as exc:
        raise _fail(str(exc)) from exc


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)
