"""Signing in and out, once for the API and the pages: the throttle, the password check,
the token and its cookie, and the audit entries of each."""

from __future__ import annotations

from datetime import datetime

from fastapi import HTTPException, Request, Response

from vigil.context import Context
from vigil.domain import UserRecord
from vigil.sessions import end_token, issue_token
from web.deps import SESSION_COOKIE, client_address, login_throttle


def sign_in(
    request: Request, ctx: Context, name: str, password: str, via: str
) -> tuple[UserRecord, str, datetime]:
    """The user, a session token and when it ends; 429 while the address or the name has
    failed too often, 401 (audited) for a wrong name or password."""
    client = client_address(request)
    login_throttle.check(client, name)
    user = ctx.store.users.check(name, password)
    if user is None:
        login_throttle.failed(client, name)
        ctx.store.audit.record(f"anonymous@{client}", "login.failed", f"user:{name[:64]}")
        raise HTTPException(401, "wrong name or password")
    login_throttle.succeeded(client, name)
    seconds = ctx.settings.session_hours * 3600
    token, expires = issue_token(
        ctx.settings, ctx.store, user, seconds, user.name, "login", {"from": client, "via": via}
    )
    return user, token, expires


def set_session_cookie(response: Response, request: Request, ctx: Context, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(ctx.settings.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def sign_out(request: Request, ctx: Context, response: Response) -> None:
    """End the token the request was signed in with (bearer or cookie) and drop the
    cookie: the same token is refused from now on."""
    end_token(ctx.store, request.state.session, request.state.user.name)
    response.delete_cookie(SESSION_COOKIE)
