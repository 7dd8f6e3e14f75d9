"""The API's outer guard (pure ASGI, so streams pass through untouched).

- Every request gets an id (the caller's ``X-Request-ID`` if it is sane), echoed in the
  response header, in every error body and in the log line of an error.
- A body over the configured limit is refused with 413: at once when Content-Length says
  so, else as soon as the bytes read pass the limit (the rest is never read).
- Any unexpected exception becomes a JSON 500 with the request id and a logged traceback,
  never a bare error page.
- Every response carries the browser's guards: a Content-Security-Policy that runs only
  this site's own scripts (no inline ones), no framing (clickjacking), no MIME sniffing,
  and no Referer sent to other sites.
"""

from __future__ import annotations

import json
import logging
import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("web.requests")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_POLICY = (
    "default-src 'self'; script-src 'self'{inline}; style-src 'self'{inline}; "
    "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# the API docs page (Swagger UI) is the one page that needs inline script and style
INLINE_ALLOWED = frozenset({"/docs"})
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    """The browser guards of a response to ``path``."""
    inline = " 'unsafe-inline'" if path in INLINE_ALLOWED else ""
    policy = _POLICY.format(inline=inline).encode()
    return [*SECURITY_HEADERS, (b"content-security-policy", policy)]


class _BodyTooLarge(Exception):
    pass


class RequestGuard:
    """Request ids, a body size limit and JSON errors for everything that escapes."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        id_header = (b"x-request-id", request_id.encode())
        guards = security_headers(scope["path"])
        limit = self.max_body_bytes
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _send_json(send, 413, _too_large(limit, request_id), id_header, *guards)
            return

        received = 0
        too_large = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _BodyTooLarge
            return message

        async def tagged_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                if too_large:  # whatever the app made of the cut-off body, the answer is 413
                    raise _BodyTooLarge
                started = True
                message["headers"] = [*message.get("headers", []), id_header, *guards]
            await send(message)

        try:
            await self.app(scope, limited_receive, tagged_send)
        except _BodyTooLarge:
            if not started:
                await _send_json(send, 413, _too_large(limit, request_id), id_header, *guards)
        except Exception:
            log.exception("request %s %s %s failed", request_id, scope["method"], scope["path"])
            if not started:
                body = {"detail": "internal error; see the server log", "request_id": request_id}
                await _send_json(send, 500, body, id_header, *guards)


def _too_large(limit: int, request_id: str) -> dict:
    return {"detail": f"the request body is over the {limit}-byte limit", "request_id": request_id}


async def _send_json(send: Send, status: int, body: dict, *headers: tuple[bytes, bytes]) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})
