"""Sign-in and sign-out pages, and the language switch. Sign-in failures are rate limited
per address and per name, and audited."""

from __future__ import annotations

import secrets
import time
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from vigil.signing import issue_session, session_secret
from web.deps import SESSION_COOKIE, ContextDep, login_throttle
from web.pages.common import LANG_COOKIE, LANGUAGES, PageUser, render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "vigil_login_csrf"


def _local(target: str) -> str:
    """Only a path on this site to go on to after signing in (never another host)."""
    return target if target.startswith("/") and not target.startswith("//") else "/alarms"


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    return RedirectResponse("/alarms", 303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, ctx: ContextDep, next: str = "/alarms", error: str | None = None):  # noqa: A002
    token = secrets.token_urlsafe(24)
    page = render(
        request,
        "login.html",
        None,
        error=error,
        next=_local(next),
        login_csrf=token,
        no_users=not ctx.store.users.any(),
        status_code=401 if error else 200,
    )
    page.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return page


@router.post("/login")
def login(
    request: Request,
    ctx: ContextDep,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/alarms",  # noqa: A002
):
    """Check the form's CSRF token against its cookie, the throttle, then the password."""
    client = request.client.host if request.client else "?"
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not secrets.compare_digest(expected, csrf):
        raise HTTPException(403, "the sign-in form expired: reload the page")
    login_throttle.check(client, name)
    user = ctx.store.users.check(name, password)
    if user is None:
        login_throttle.failed(client, name)
        ctx.store.audit.record(f"anonymous@{client}", "login.failed", f"user:{name[:64]}")
        return login_page(request, ctx, next, error=translate_error(request))
    login_throttle.succeeded(client, name)
    expires = time.time() + ctx.settings.session_hours * 3600
    token = issue_session(session_secret(ctx.settings.data_dir), user.name, expires)
    ctx.store.audit.record(user.name, "login", f"user:{user.name}", {"from": client, "via": "page"})
    response = RedirectResponse(_local(next), 303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(ctx.settings.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def translate_error(request: Request) -> str:
    from web.pages.common import language, translator

    return translator(language(request))("Wrong name or password.")


@router.post("/logout")
def logout(user: PageUser, ctx: ContextDep) -> RedirectResponse:
    ctx.store.audit.record(user.name, "logout", f"user:{user.name}")
    response = RedirectResponse("/login", 303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/lang")
def choose_language(
    lang: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=500)] = "/",  # noqa: A002
) -> RedirectResponse:
    """Remember the UI language (a cookie; no sign-in needed, nothing else changes)."""
    response = RedirectResponse(_local(next), 303)
    if lang in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response
