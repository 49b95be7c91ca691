"""The `scomm` command. Each sub-command group lives in its own module and is mounted here."""

from __future__ import annotations

import typer

app = typer.Typer(help="scomm: Secure Communities interoperability pipeline.", no_args_is_help=True,
                  pretty_exceptions_enable=False)


def _mount() -> None:
    # Sub-apps are mounted lazily so that one group's import error never hides the others.
    from importlib import import_module

    for module, name in (("scomm.cli.fingerprints", "fingerprints"), ("scomm.cli.ebts", "ebts"),
                         ("scomm.cli.policy", "policy")):
        try:
            sub = import_module(module).app
        except ModuleNotFoundError:
            continue
        app.add_typer(sub, name=name)
    import_module("scomm.cli.pipeline").register(app)


def main() -> None:
    _mount()
    app()
