"""The `scomm` command. Each command group lives in its own module and is mounted here.

A module either exposes `app` (a Typer group mounted under its name) or `register(app)` (top-level
commands such as `scomm demo`).
"""

from __future__ import annotations

from importlib import import_module

import typer

from scomm.logs import configure as configure_logging

app = typer.Typer(help="scomm: Secure Communities interoperability pipeline.", no_args_is_help=True,
                  pretty_exceptions_enable=False)

GROUPS = ("fingerprints", "ebts", "policy", "stats", "agencies", "jail")  # scomm <group> <command>
TOP_LEVEL = ("pipeline", "service")  # modules adding top-level commands


def _mount() -> None:
    for name in GROUPS:
        try:
            module = import_module(f"scomm.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"scomm.cli.{name}":
                raise  # a missing dependency inside an existing group is a real error
            continue
        app.add_typer(module.app, name=name)
    for name in TOP_LEVEL:
        try:
            module = import_module(f"scomm.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"scomm.cli.{name}":
                raise
            continue
        module.register(app)


def main() -> None:
    from scomm.parallel import tune_allocator

    tune_allocator()
    configure_logging()
    _mount()
    app()
