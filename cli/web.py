"""`vigil serve` and `vigil mcp`."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import context, fail, services
from vigil.errors import VigilError
from vigil.signing import SignatureError
from web.server import listening_socket


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port", min=1, max=65535)] = 8080,
) -> None:
    """Run the Vigil web API (OpenAPI docs at /docs)."""
    from web.server import run_server

    try:
        context()  # a data dir that cannot be opened is one clear error, at once
        sock = listening_socket(host, port)
    except (OSError, VigilError) as exc:
        fail(exc)
    run_server(sock)


def mcp_command(
    http: Annotated[
        bool, typer.Option("--http", help="Serve streamable HTTP at /mcp (else stdio)")
    ] = False,
    host: Annotated[str, typer.Option(help="Address to listen on (--http)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (--http)", min=1, max=65535)] = 8765,
) -> None:
    """Serve Vigil's tools to other assistants over MCP. stdio: acts as the user whose API
    token is in VIGIL_TOKEN (`vigil users token NAME`); --http: each request acts as the
    user of its own bearer token. Every call is audited."""
    import os

    import anyio

    from web.mcp import http_app, serve_stdio
    from web.server import server_config

    try:
        svc = services()
        if not http:
            token = os.environ.get("VIGIL_TOKEN", "").strip()
            if not token:
                fail("set VIGIL_TOKEN to an API token (vigil users token NAME)")
            anyio.run(serve_stdio, svc, token)
            return
        sock = listening_socket(host, port)
    except (OSError, VigilError, SignatureError) as exc:
        fail(exc)
    import uvicorn

    uvicorn.Server(server_config(http_app(svc, host), svc.settings)).run(sockets=[sock])
