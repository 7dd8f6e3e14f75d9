"""Running the API: its socket is bound first, and it stops within seconds."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vigil.settings import Settings

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

    from vigil.settings import get_settings
    from web.app import create_app

    uvicorn.Server(server_config(create_app(warm_up=True), get_settings())).run(sockets=[sock])


def server_config(app, settings: Settings, log_level: str = "info"):
    """uvicorn's settings for ``app``: X-Forwarded-For is believed only from the proxies
    the site names (uvicorn would believe 127.0.0.1 by default)."""
    import uvicorn

    return uvicorn.Config(
        app,
        log_level=log_level,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
    )
