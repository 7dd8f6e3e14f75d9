"""What every command shares: the one error exit, the log file, and running the app."""

from __future__ import annotations

import getpass
import logging
import os
import sys
import tempfile
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from vigil.errors import VigilError, storage_error

if TYPE_CHECKING:
    from agent.services import Services
    from vigil.context import Context

err_console = Console(stderr=True)
# where `vigil eval` finds the sample data by default: a checkout beside ../shared
REPO = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO.parent / "shared" / "data"
SAMPLE_VTEST = REPO / "var" / "samples" / "vtest.avi"
EVAL_TRUTH = REPO / "tests" / "data"
# the options every `vigil eval` over the sample clips takes
SharedDataOption = Annotated[Path, typer.Option(help="../shared/data")]
VtestOption = Annotated[Path, typer.Option(help="vtest.avi")]


# the services a command's caller handed in (a test's: `runner.invoke(app, args,
# obj=services)`), set by the root command before each command runs
HANDED_IN: ContextVar[Services | None] = ContextVar("handed_in", default=None)


def take_handed_in(ctx: typer.Context) -> None:
    """The root command's callback: note what the caller handed in (usually nothing)."""
    HANDED_IN.set(ctx.obj)


def _handed_in() -> Services | None:
    return HANDED_IN.get()


def services() -> Services:
    """The services this command works with: those handed in, else those of this
    process's context (the agent's libraries load only for commands that need them)."""
    from agent.services import services_of

    return _handed_in() or services_of(context())


def context() -> Context:
    """The settings, store and models this command works with (see `services`)."""
    from vigil.context import shared_context

    given = _handed_in()
    return given.ctx if given is not None else shared_context()


def fail(exc: Exception | str) -> None:
    """Print one error line and exit with status 2 (for commands of every layer)."""
    err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def local_actor() -> str:
    """Who the audit log names for a command run at the server's shell."""
    return f"local:{getpass.getuser()}"


def log_file() -> Path:
    """Where commands log what went wrong (tracebacks included): the data dir's logs/."""
    try:
        from vigil.settings import get_settings

        return get_settings().data_dir / "logs" / "vigil.log"
    except Exception:  # noqa: BLE001 - the settings themselves may be what is broken
        return Path(tempfile.gettempdir()) / "vigil.log"


def _log_to_file() -> Path:
    """Log to the data dir's log file, else (a read-only or full data dir) to one in the
    temp dir: logging must never be what stops a command."""
    root = logging.getLogger()
    for path in (log_file(), Path(tempfile.gettempdir()) / "vigil.log"):
        if any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
            return path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(path, encoding="utf-8")
        except OSError:
            continue
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.INFO)
        root.addHandler(handler)
        root.setLevel(min(root.level or logging.INFO, logging.INFO))
        return path
    return Path(os.devnull)


def _error_line(text: str) -> None:
    err_console.print(f"[bold red]error:[/] {escape(text)}", highlight=False, soft_wrap=True)


def run_app(app: typer.Typer) -> None:
    """Run the CLI: an unexpected error is one `error:` line, its traceback in the log."""
    try:
        _log_to_file()
        app()
    except VigilError as exc:  # bad settings found before any command ran
        _error_line(str(exc))
        raise SystemExit(2) from None
    except Exception as exc:  # a full or read-only data dir, a bug or a broken environment
        path = _log_to_file()
        logging.getLogger("vigil").exception("command failed: %s", " ".join(sys.argv[1:]))
        refused = storage_error(exc)
        if refused is not None:
            _error_line(str(refused))
            raise SystemExit(2) from None
        first = str(exc).splitlines()[0][:300] if str(exc) else "no message"
        _error_line(f"unexpected {type(exc).__name__}: {first} (details in {path})")
        raise SystemExit(2) from None
