"""`vigil serve`: registered into the core CLI as a plugin."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from vigil.commands import fail

GRACEFUL_SHUTDOWN_S = 3


def listening_socket(host: str, port: int) -> socket.socket:
    """Bind the server's socket before anything starts, so a busy port is one clear error."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OSError(f"cannot listen on {host}:{port}: {reason}") from exc


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port", min=1, max=65535)] = 8080,
) -> None:
    """Run the Vigil web API (OpenAPI docs at /docs)."""
    try:
        sock = listening_socket(host, port)
    except OSError as exc:
        fail(exc)
    import uvicorn

    from web.app import create_app

    config = uvicorn.Config(
        create_app(warm_up=True),
        log_level="info",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    uvicorn.Server(config).run(sockets=[sock])


def register(app: typer.Typer) -> None:
    """Add this layer's commands to the `vigil` CLI."""
    app.command("serve")(serve_command)
