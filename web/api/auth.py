"""POST /api/auth/login and /logout, GET /api/auth/me: sign-in for people (alarm sources
sign their requests instead). Every sign-in and every failed one is audited."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, Response

from vigil.domain import UserRecord
from vigil.signing import issue_session, session_secret
from web.api.defs import LoginIn, SessionOut
from web.deps import SESSION_COOKIE, ContextDep, OperatorDep, login_throttle

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/login", response_model=SessionOut)
def login(body: LoginIn, request: Request, response: Response, ctx: ContextDep) -> SessionOut:
    """Check a name and password; a token (and an HttpOnly cookie) for the session."""
    client = request.client.host if request.client else "?"
    login_throttle.check(client, body.name)
    user = ctx.store.users.check(body.name, body.password)
    if user is None:
        login_throttle.failed(client, body.name)
        ctx.store.audit.record(f"anonymous@{client}", "login.failed", f"user:{body.name[:64]}")
        raise HTTPException(401, "wrong name or password")
    login_throttle.succeeded(client, body.name)
    expires = time.time() + ctx.settings.session_hours * 3600
    token = issue_session(session_secret(ctx.settings.data_dir), user.name, expires)
    ctx.store.audit.record(user.name, "login", f"user:{user.name}", {"from": client})
    response.set_cookie(
        SESSION_COOKIE, token, max_age=int(ctx.settings.session_hours * 3600), httponly=True,
        samesite="strict", secure=request.url.scheme == "https",
    )  # fmt: skip
    return SessionOut(
        token=token, name=user.name, role=user.role,
        expires=datetime.fromtimestamp(expires, UTC).astimezone(ctx.settings.tz),
    )  # fmt: skip


@router.post("/logout", status_code=204)
def logout(user: OperatorDep, response: Response, ctx: ContextDep) -> None:
    ctx.store.audit.record(user.name, "logout", f"user:{user.name}")
    response.delete_cookie(SESSION_COOKIE)


@router.get("/me", response_model=UserRecord)
def me(user: OperatorDep) -> UserRecord:
    return user
