"""The `vigil` Typer apps and the one error exit every layer's commands share.

Kept apart from `vigil.cli`, which loads the other layers' commands as plugins: a plugin
imports this module, never `vigil.cli`, so importing a plugin first cannot loop back.
"""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    help="Vigil: searchable, explainable video for security control rooms.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# `vigil eval ...`: each layer adds the measurements it owns (search, agent, ...)
eval_app = typer.Typer(help="Measure quality on the bundled sample data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
err_console = Console(stderr=True)


def fail(exc: Exception | str) -> None:
    """Print one error line and exit with status 2 (for commands of every layer)."""
    err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)
