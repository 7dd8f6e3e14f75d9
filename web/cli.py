"""`vigil serve`: registered into the core CLI as a plugin."""

from __future__ import annotations

from typing import Annotated

import typer


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8080,
) -> None:
    """Run the Vigil web API (OpenAPI docs at /docs)."""
    import uvicorn

    from web.app import create_app

    uvicorn.run(create_app(warm_up=True), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    """Add this layer's commands to the `vigil` CLI."""
    app.command("serve")(serve_command)
