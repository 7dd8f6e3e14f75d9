"""The Vigil FastAPI application."""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from swagger_ui_bundle import swagger_ui_path

from agent.alarms import AlarmDesk
from agent.mqtt import start_mqtt_intake
from agent.services import services_of
from agent.workers import keep_worker
from vigil import __version__
from vigil.context import Context, shared_context
from vigil.errors import (
    Cancelled,
    InvalidInputError,
    ModelBusyError,
    NotAllowedError,
    NotFoundError,
    StateError,
    StorageError,
    VigilError,
    storage_error,
)
from vigil.settings import get_settings
from vigil.store import DatabaseError
from web.api import (
    alarms,
    audit,
    auth,
    cameras,
    chat,
    health,
    keyframes,
    reports,
    search,
    tracks,
    users,
)
from web.api.cameras import LiveViews
from web.deps import OperatorDep, alarm_desk, cookie_user, get_context, request_user
from web.exports import PackageJobs
from web.middleware import RequestGuard
from web.pages import alarms as alarm_pages
from web.pages import auth as auth_pages
from web.pages import common as page_common
from web.pages import exports as export_pages
from web.pages import incidents as incident_pages
from web.pages import live as live_pages
from web.pages import ops as ops_pages
from web.pages import search as search_pages
from web.pages.common import PageUser
from web.questions import QuestionRuns

log = logging.getLogger(__name__)
SHUTDOWN_JOIN_S = 10.0
# the first match wins: a subclass before its base
ERROR_STATUS = (
    (NotFoundError, 404), (StateError, 409), (InvalidInputError, 400), (NotAllowedError, 403),
)  # fmt: skip


def _context(app: FastAPI) -> Context:
    """The context the app's requests get (a test may have put its own in place)."""
    override = app.dependency_overrides.get(get_context)
    return override() if override is not None else shared_context()


def _warm_up(app: FastAPI, cancel: threading.Event) -> None:
    """Load the LLM and evaluate its system prompt, so the first question is not slower."""
    try:
        services_of(_context(app)).chat.warm_up(cancel)
    except VigilError as exc:  # the API still serves search; chat reports the error
        log.warning("chat model not ready: %s", exc)
    except Cancelled:
        log.info("warm-up stopped: the server is stopping")
    except Exception:  # a bug: never kill the server, but keep the traceback
        log.exception("warming up the chat model failed")


def _error(request: Request, status: int, detail, headers: dict | None = None) -> JSONResponse:
    request_id = getattr(request.state, "request_id", "")
    if status >= 500:
        log.warning(
            "request %s: %s %s -> %d: %s",
            request_id,
            request.method,
            request.url.path,
            status,
            detail,
        )
    if _wants_a_page(request, status):
        user = request_user(request) or cookie_user(request, _context(request.app))
        return page_common.error_page(request, user, status, headers)
    return JSONResponse(
        {"detail": detail, "request_id": request_id}, status_code=status, headers=headers
    )


NOT_PAGES = ("/api/", "/ui/", "/static/", "/health", "/metrics", "/openapi.json")


def _wants_a_page(request: Request, status: int) -> bool:
    """A browser that asked for a page gets an error page in its language (the API's
    English detail stays out of it); API clients, htmx fragments and redirects keep theirs."""
    return (
        request.method == "GET"
        and status >= 400
        and status != 401
        and "text/html" in request.headers.get("accept", "")
        and not request.url.path.startswith(NOT_PAGES)
    )


def _site_desk(app: FastAPI) -> AlarmDesk | None:
    """The site's alarm desk, where a site policy is configured (and can be armed)."""
    try:
        return alarm_desk(_context(app))
    except VigilError as exc:
        log.warning("alarms are not verified: %s", exc)
        return None


FIRST_ADMIN_FILE = "initial-admin-password"


def _first_admin(app: FastAPI) -> None:
    """A site without users gets an ``admin`` with a random password, written to a file
    only its owner may read under the data dir: every page and API route needs a sign-in,
    so somebody must be able to make the others (`vigil users add`, /api/users)."""
    ctx = _context(app)
    if ctx.store.users.any():
        return
    password = secrets.token_urlsafe(18)
    path = ctx.settings.data_dir / FIRST_ADMIN_FILE
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(password + "\n")
    try:
        ctx.store.users.add("admin", "admin", password, "vigil")
    except VigilError:  # another server process made it meanwhile
        path.unlink(missing_ok=True)
        return
    log.warning(
        "no users yet: made 'admin', whose password is in %s (sign in, change it with "
        "`vigil users passwd admin` and delete the file)",
        path,
    )


def _prune_audit(app: FastAPI) -> None:
    """Drop audit entries past the retention time (VIGIL_AUDIT_KEEP_DAYS) as the server
    starts; `vigil audit prune` does the same from cron."""
    ctx = _context(app)
    try:
        removed = ctx.store.audit.prune(timedelta(days=ctx.settings.audit_keep_days))
    except Exception:  # retention must never keep the server from starting
        log.exception("pruning the audit log failed")
        return
    if removed:
        log.info(
            "audit log: %d entries older than %d days removed",
            removed,
            ctx.settings.audit_keep_days,
        )


def _keep_checkpoints(app: FastAPI, stop: threading.Event) -> None:
    """Sign the audit chain's head into its checkpoint file as the server starts, every
    ``audit_checkpoint_minutes`` while it runs, and once more as it stops."""
    ctx = _context(app)
    while True:
        try:
            ctx.store.audit.checkpoint()
        except NotFoundError as exc:  # no site key yet: said once, the server runs on
            log.warning("the audit log gets no signed checkpoints: %s", exc)
            return
        except Exception:  # a full disk, say: the log itself is still written
            log.exception("signing an audit checkpoint failed")
        if stop.is_set():
            return
        stop.wait(ctx.settings.audit_checkpoint_minutes * 60)


def create_app(
    warm_up: bool = False, max_body_bytes: int | None = None, alarm_services: bool = True
) -> FastAPI:
    """Build the app: one router per resource, errors as JSON with a request id.

    With ``warm_up``, the chat model loads in the background as the server starts. With
    ``alarm_services`` and a site policy, the alarm worker process starts, and MQTT intake
    where a broker is configured. On shutdown, the warm-up and every question still
    running are cancelled and joined, and the worker stops.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stopping = threading.Event()
        warmer = threading.Thread(target=_warm_up, args=(app, stopping), name="llm-warm-up")
        if warm_up:
            warmer.start()
        _prune_audit(app)
        _first_admin(app)
        notary = threading.Thread(
            target=_keep_checkpoints, args=(app, stopping), name="audit-checkpoints"
        )
        notary.start()
        desk = _site_desk(app) if alarm_services else None
        keeper = threading.Thread(
            target=keep_worker,
            args=(desk.settings if desk else None, stopping, SHUTDOWN_JOIN_S),
            name="alarm-worker-keeper",
        )
        if desk is not None:
            keeper.start()
        mqtt_intake = start_mqtt_intake(desk) if desk and desk.settings.mqtt_url else None
        try:
            yield
        finally:
            stopping.set()
            if mqtt_intake is not None:
                mqtt_intake.stop()
            if keeper.is_alive():
                keeper.join(2 * SHUTDOWN_JOIN_S)
            app.state.questions.stop_all(SHUTDOWN_JOIN_S)
            app.state.live_views.readers.shutdown(wait=False, cancel_futures=True)
            notary.join(SHUTDOWN_JOIN_S)
            if warmer.is_alive():
                warmer.join(SHUTDOWN_JOIN_S)

    app = FastAPI(
        title="Vigil",
        version=__version__,
        description="Searchable, explainable video for security control rooms.",
        lifespan=lifespan,
        docs_url=None,  # served below from local assets: an on-premises site has no CDN
        redoc_url=None,
        openapi_url=None,  # served below, to signed-in users only
    )
    app.state.questions = QuestionRuns()
    app.state.packages = PackageJobs()
    app.state.live_views = LiveViews(
        get_settings().live_views_max, get_settings().live_views_per_user
    )
    app.add_middleware(RequestGuard, max_body_bytes=max_body_bytes or get_settings().max_body_bytes)
    app.mount("/static/swagger", StaticFiles(directory=str(swagger_ui_path)), name="swagger")
    app.include_router(search.router)
    app.include_router(keyframes.router)
    app.include_router(tracks.router)
    app.include_router(chat.router)
    app.include_router(alarms.router)
    app.include_router(auth.router)
    app.include_router(reports.router)
    app.include_router(audit.router)
    app.include_router(cameras.router)
    app.include_router(users.router)
    app.include_router(health.router)
    app.mount("/static", StaticFiles(directory=str(page_common.WEB / "static")), name="static")
    for router in (
        auth_pages.router,
        alarm_pages.router,
        incident_pages.router,
        live_pages.router,
        search_pages.router,
        export_pages.router,
        ops_pages.router,
    ):
        app.include_router(router)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(user: OperatorDep) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def docs(user: PageUser) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Vigil API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    @app.exception_handler(VigilError)
    async def vigil_error(request: Request, exc: VigilError) -> JSONResponse:
        if isinstance(exc, ModelBusyError):
            return _error(request, 503, str(exc), {"Retry-After": str(exc.retry_after_s)})
        if isinstance(exc, StorageError):
            return _error(request, 507 if exc.full else 503, str(exc))
        status = next((code for kind, code in ERROR_STATUS if isinstance(exc, kind)), 503)
        return _error(request, status, str(exc))

    async def storage_refused(request: Request, exc: Exception) -> JSONResponse:
        """A write the data dir or the database refused (full, read-only): 507 or 503 with
        the reason, never a bare 500; any other such error stays a bug."""
        refused = storage_error(exc)
        if refused is None:
            raise exc
        log.error("request %s: %s", getattr(request.state, "request_id", ""), refused)
        return _error(request, 507 if refused.full else 503, str(refused))

    app.add_exception_handler(OSError, storage_refused)
    app.add_exception_handler(DatabaseError, storage_refused)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # where and why, never the input itself: a 1 MB question must not come back whole
        detail = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return _error(request, 422, detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(request, exc.status_code, exc.detail, exc.headers)

    return app
