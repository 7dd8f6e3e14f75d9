"""Sign-in and sign-out pages, and the language switch. Sign-in failures are rate limited
per address and per name, and audited."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from vigil.signing import same_secret
from web.deps import ContextDep
from web.pages.common import LANG_COOKIE, LANGUAGES, PageUser, language, render, translator
from web.signin import set_session_cookie, sign_in, sign_out

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "vigil_login_csrf"


def _local(target: str) -> str:
    """Only a path on this site to go on to after signing in (never another host)."""
    return target if target.startswith("/") and not target.startswith("//") else "/alarms"


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    return RedirectResponse("/alarms", 303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, ctx: ContextDep, next: str = "/alarms"):  # noqa: A002
    return _login_form(request, ctx, next)


def _login_form(request: Request, ctx, next: str, error: str | None = None):  # noqa: A002
    """The sign-in form; ``error`` only ever comes from the sign-in itself, never from the
    address (a link could otherwise put any words in the red box)."""
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
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not same_secret(csrf, expected):
        raise HTTPException(403, "the sign-in form expired: reload the page")
    try:
        _, token, _ = sign_in(request, ctx, name, password, "page")
    except HTTPException as exc:
        if exc.status_code != 401:
            raise
        wrong = translator(language(request))("Wrong name or password.")
        return _login_form(request, ctx, next, error=wrong)
    response = RedirectResponse(_local(next), 303)
    set_session_cookie(response, request, ctx, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, user: PageUser, ctx: ContextDep) -> RedirectResponse:
    response = RedirectResponse("/login", 303)
    sign_out(request, ctx, response)
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
