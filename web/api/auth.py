"""POST /api/auth/login and /logout, GET /api/auth/me: sign-in for people (alarm sources
sign their requests instead). Every sign-in and every failed one is audited."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from vigil.domain import UserRecord
from web.api.defs import LoginIn, SessionOut
from web.deps import ContextDep, OperatorDep
from web.signin import set_session_cookie, sign_in, sign_out

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/login", response_model=SessionOut)
def login(body: LoginIn, request: Request, response: Response, ctx: ContextDep) -> SessionOut:
    """Check a name and password; a token (and an HttpOnly cookie) for the session."""
    user, token, expires = sign_in(request, ctx, body.name, body.password, "api")
    set_session_cookie(response, request, ctx, token)
    return SessionOut(token=token, name=user.name, role=user.role, expires=expires)


@router.post("/logout", status_code=204)
def logout(user: OperatorDep, request: Request, response: Response, ctx: ContextDep) -> None:
    """End this sign-in: the token it was called with (bearer or cookie) stops working."""
    sign_out(request, ctx, response)


@router.get("/me", response_model=UserRecord)
def me(user: OperatorDep) -> UserRecord:
    return user
