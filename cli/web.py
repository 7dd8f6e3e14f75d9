"""`vigil serve`."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import context, fail
from vigil.errors import VigilError


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port", min=1, max=65535)] = 8080,
) -> None:
    """Run the Vigil web API (OpenAPI docs at /docs)."""
    from web.server import listening_socket, run_server

    try:
        context()  # a data dir that cannot be opened is one clear error, at once
        sock = listening_socket(host, port)
    except (OSError, VigilError) as exc:
        fail(exc)
    run_server(sock)
