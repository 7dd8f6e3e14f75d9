"""The `vigil` Typer apps and the one error exit every layer's commands share.

Kept apart from `vigil.cli`, which loads the other layers' commands as plugins: a plugin
imports this module, never `vigil.cli`, so importing a plugin first cannot loop back.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

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


def log_file() -> Path:
    """Where commands log what went wrong (tracebacks included): the data dir's logs/."""
    try:
        from vigil.settings import get_settings

        directory = get_settings().data_dir / "logs"
        directory.mkdir(parents=True, exist_ok=True)
    except Exception:  # settings themselves may be what is broken
        directory = Path(tempfile.gettempdir())
    return directory / "vigil.log"


def _log_to_file() -> Path:
    path = log_file()
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.INFO)
        root.addHandler(handler)
        root.setLevel(min(root.level or logging.INFO, logging.INFO))
    return path


def run_app() -> None:
    """Run the CLI: an unexpected error is one `error:` line, its traceback in the log."""
    _log_to_file()
    try:
        app()
    except Exception as exc:  # a bug or a broken environment, not bad input
        path = _log_to_file()
        logging.getLogger("vigil").exception("command failed: %s", " ".join(sys.argv[1:]))
        first = str(exc).splitlines()[0][:300] if str(exc) else "no message"
        err_console.print(
            f"[bold red]error:[/] unexpected {type(exc).__name__}: {escape(first)} "
            f"(details in {escape(str(path))})",
            highlight=False,
            soft_wrap=True,
        )
        raise SystemExit(2) from None
