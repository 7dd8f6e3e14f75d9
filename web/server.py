"""Running the API: its socket is bound first, and it stops within seconds."""

from __future__ import annotations

import socket

GRACEFUL_SHUTDOWN_S = 3


def listening_socket(host: str, port: int) -> socket.socket:
    """Bind the server's socket before anything starts, so a busy port is one clear error."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OSError(f"cannot listen on {host}:{port}: {reason}") from exc


def run_server(sock: socket.socket) -> None:
    """Serve the app on a bound socket until stopped; answers still streaming get
    ``GRACEFUL_SHUTDOWN_S`` seconds, then their questions are cancelled."""
    import uvicorn

    from web.app import create_app

    config = uvicorn.Config(
        create_app(warm_up=True),
        log_level="info",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    uvicorn.Server(config).run(sockets=[sock])
