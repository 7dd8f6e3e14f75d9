"""FastAPI dependencies: the shared context, search service, chat agent, alarm desk and
report drafter; sign-in, roles, and what a user may see."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Request

from agent.alarms import AlarmDesk
from agent.chat import ChatAgent
from agent.services import Services, services_of
from vigil.context import Context, shared_context
from vigil.domain import UserRecord
from vigil.errors import NotAllowedError, VigilError
from vigil.search.service import SearchService
from vigil.sessions import read_token
from vigil.settings import Settings
from vigil.signing import (
    SIGNATURE_HEADER,
    SOURCE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    check_basic,
    check_signature,
    csrf_token,
    same_secret,
    session_secret,
)
from vigil.workflow import may
from web.throttle import LoginThrottle

log = logging.getLogger("web.alarms")
T = TypeVar("T")


async def get_context() -> Context:
    return shared_context()


def get_services(ctx: Annotated[Context, Depends(get_context)]) -> Services:
    """The services of the request's context, built once for it (`agent.services`)."""
    return services_of(ctx)


def live_streams(services: Services) -> dict[str, str]:
    """Camera -> stream URL of every camera the site policy gives a stream."""
    try:
        policy = services.policy
    except VigilError:
        return {}
    if policy is None:
        return {}
    return {name: c.stream for name, c in policy.cameras.items() if c.stream}


def live_cameras(services: Annotated[Services, Depends(get_services)]) -> frozenset[str]:
    """The cameras a page may link to the live view of."""
    return frozenset(live_streams(services))


def get_search(services: Annotated[Services, Depends(get_services)]) -> SearchService:
    return services.search


def get_chat_agent(services: Annotated[Services, Depends(get_services)]) -> ChatAgent:
    return services.chat


async def get_settings(ctx: Annotated[Context, Depends(get_context)]) -> Settings:
    return ctx.settings


def alarm_desk(ctx: Context) -> AlarmDesk | None:
    """The site's alarm desk (one per context: intake wakes its worker), or None."""
    return services_of(ctx).desk


async def get_alarm_desk(ctx: Annotated[Context, Depends(get_context)]) -> AlarmDesk:
    try:
        desk = alarm_desk(ctx)
    except VigilError as exc:
        raise HTTPException(503, f"the site policy cannot be armed: {exc}") from exc
    if desk is None:
        raise HTTPException(503, "no site policy is configured (VIGIL_POLICY_FILE)")
    return desk


async def signed_source(
    request: Request, settings: Annotated[Settings, Depends(get_settings)]
) -> str:
    """The alarm source whose HMAC signature over timestamp and body checks out; 401 (and
    a log line) for an unknown source, a bad signature or a stale timestamp."""
    headers = request.headers
    try:
        return check_signature(
            settings.alarm_sources,
            headers.get(SOURCE_HEADER),
            headers.get(TIMESTAMP_HEADER),
            headers.get(SIGNATURE_HEADER),
            await request.body(),
            time.time(),
            settings.alarm_max_skew_s,
            request.url.query,
        )
    except SignatureError as exc:
        raise _refused(request, exc, f"source {(headers.get(SOURCE_HEADER) or '')[:64]!r}") from exc


async def basic_source(
    request: Request, settings: Annotated[Settings, Depends(get_settings)]
) -> str:
    """The alarm source of a device that cannot sign its requests, by HTTP Basic with the
    source's name and secret; 401 (and a log line) else."""
    try:
        return check_basic(settings.alarm_sources, request.headers.get("authorization"))
    except SignatureError as exc:
        raise _refused(request, exc, headers={"WWW-Authenticate": "Basic"}) from exc


def _refused(
    request: Request, exc: SignatureError, about: str = "", headers: dict | None = None
) -> HTTPException:
    """The 401 for an alarm whose source did not prove itself, said in the log too."""
    client = client_address(request)
    log.warning("alarm refused from %s%s: %s", client, f" ({about})" if about else "", exc)
    return HTTPException(401, f"alarm refused: {exc}", headers)


SESSION_COOKIE = "vigil_session"


login_throttle = LoginThrottle()  # one per process: sign-in failures by address and name
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"


async def signed_in_user(
    request: Request, ctx: Annotated[Context, Depends(get_context)]
) -> UserRecord:
    """The signed-in user (a bearer token or the session cookie): 401 for a missing,
    invalid or expired sign-in, or a user since removed; 403 for a change made with the
    session cookie but without its CSRF token (header or form field)."""
    header = request.headers.get("authorization") or ""
    # a blank bearer is no bearer: the cookie then needs its CSRF token like any other
    bearer = (header[7:].strip() or None) if header[:7].lower() == "bearer " else None
    token = bearer or request.cookies.get(SESSION_COOKIE)
    if token is None:
        raise HTTPException(401, "sign in first (POST /api/auth/login)", _BEARER)
    try:
        user, claims = read_token(ctx.settings, ctx.store, token)
    except SignatureError as exc:
        raise HTTPException(401, str(exc), _BEARER) from exc
    secret = session_secret(ctx.settings.data_dir)
    expected = csrf_token(secret, token)
    if bearer is None and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and "form" in request.headers.get("content-type", ""):
            sent = (await request.form()).get("csrf")
        if not isinstance(sent, str) or not same_secret(sent, expected):
            raise HTTPException(403, "missing or wrong CSRF token: reload the page")
    request.state.user = user
    request.state.session = claims
    request.state.csrf = expected
    return user


_BEARER = {"WWW-Authenticate": "Bearer"}


def client_address(request: Request) -> str:
    """The client's address: the peer's, or the one a configured proxy (`trusted_proxies`)
    forwarded; a forwarded address from anyone else is never believed."""
    return request.client.host if request.client else "?"


def actor(request: Request) -> str:
    """Who a request's audit entries name: the signed-in user (else, for a request that
    needs none, the client address)."""
    user = getattr(request.state, "user", None)
    if user is not None:
        return user.name
    return f"anonymous@{client_address(request)}"


def role_at_least(lowest: str) -> Callable:
    """A dependency: the signed-in user, who must hold ``lowest`` or a higher role."""

    async def check(user: Annotated[UserRecord, Depends(signed_in_user)]) -> UserRecord:
        if not may(user.role, lowest):
            raise HTTPException(403, f"this needs the {lowest} role or above (you are {user.role})")
        return user

    return check


ContextDep = Annotated[Context, Depends(get_context)]
ServicesDep = Annotated[Services, Depends(get_services)]
LiveCameras = Annotated[frozenset[str], Depends(live_cameras)]
OperatorDep = Annotated[UserRecord, Depends(role_at_least("operator"))]
SupervisorDep = Annotated[UserRecord, Depends(role_at_least("supervisor"))]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SearchDep = Annotated[SearchService, Depends(get_search)]
ChatAgentDep = Annotated[ChatAgent, Depends(get_chat_agent)]
AlarmDeskDep = Annotated[AlarmDesk, Depends(get_alarm_desk)]
SignedSourceDep = Annotated[str, Depends(signed_source)]
BasicSourceDep = Annotated[str, Depends(basic_source)]


def request_user(request: Request) -> UserRecord | None:
    """The user ``signed_in_user`` found for this request (None for a route that needs no
    sign-in)."""
    return getattr(request.state, "user", None)


def cookie_user(request: Request, ctx: Context) -> UserRecord | None:
    """The user the session cookie signs in, where no route looked (an address that does
    not exist): for the menu of an error page, never for a decision."""
    token = request.cookies.get(SESSION_COOKIE)
    if token is None:
        return None
    try:
        return read_token(ctx.settings, ctx.store, token)[0]
    except Exception:  # the error page is shown without the menu rather than not at all
        return None


def camera_scope(request: Request, asked: list[str] | None) -> list[str] | None:
    """The cameras a request may cover: those asked, each one the user's (else 403), or,
    when none are asked, all of a limited user's cameras (None: every camera)."""
    user = request_user(request)
    return asked if user is None else user.scope(asked)


def check_camera(request: Request, camera: str) -> None:
    """403 unless the signed-in user may see ``camera`` (a camera the client asked for by
    name, as a filter)."""
    user = request_user(request)
    if user is not None and not user.sees(camera):  # the client named it: it may be told
        raise NotAllowedError(f"you may not see camera {camera[:64]!r}")
