"""Incident pages: the list, and the report editor with its drafted fields, evidence,
flags, version history, workflow buttons and exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from agent.services import services_of
from vigil.errors import VigilError
from web.deps import ChatAgentDep, ContextDep, ServicesDep
from web.pages.common import PageUser, render
from web.pages.marks import report_marks

router = APIRouter(include_in_schema=False)


@router.get("/incidents", response_class=HTMLResponse)
def incidents_page(
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    status: Literal["draft", "edited", "submitted", "approved", "withdrawn"] | None = None,
):
    """The incidents the user may see, newest first; ``status`` narrows them (a
    supervisor's menu links to those submitted, waiting for approval)."""
    shown = ctx.store.reports.list(status=status, limit=200)
    return render(
        request,
        "incidents.html",
        user,
        active="incidents",
        incidents=[r for r in shown if user.sees_all(r.report.cameras)],
        status=status,
    )


@router.post("/incidents/new")
def new_incident(
    user: PageUser,
    services: ServicesDep,
    alarm_id: Annotated[str | None, Form(max_length=64)] = None,
    frame: Annotated[list[str] | None, Form(max_length=50)] = None,
    title: Annotated[str, Form(max_length=200)] = "Incident",
):
    """Draft (or open the one already drafted) from an alarm or from frames: a change,
    so a form sent with its CSRF token, never a link."""
    record, _ = services.draft_incident(
        user, alarm_id=alarm_id, frame_ids=None if alarm_id else frame or [], title=title
    )
    return RedirectResponse(f"/incidents/{record.id}", 303)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(
    incident_id: str, request: Request, user: PageUser, ctx: ContextDep, version: int | None = None
):
    return _incident(incident_id, request, user, ctx, version)


def _incident(incident_id, request, user, ctx, version=None, error: str | None = None):
    """The report editor; ``error`` comes from a step just tried, never from the address."""
    record = services_of(ctx).visible_incident(user, incident_id, version)
    try:
        policy = services_of(ctx).policy
    except VigilError:  # a policy that does not load: the frames without their zones
        policy = None
    return render(
        request,
        "incident.html",
        user,
        active="incidents",
        incident=record,
        report=record.report,
        latest=version is None,
        error=error,
        marks=report_marks(ctx.store, policy, record.report),
    )


@router.post("/incidents/{incident_id}/edit")
async def edit(
    incident_id: str,
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    services: ServicesDep,
    version: Annotated[int, Form()],
    title: Annotated[str, Form(max_length=200)],
    new_action: Annotated[str, Form(max_length=2000)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
):
    """Save the editor: title, the description's sentences (each keeps its frames), a new
    action taken. An approved report is amended as a new version."""
    form = await request.form()

    def save() -> None:
        report = services_of(ctx).visible_incident(user, incident_id).report
        description = []
        for i, statement in enumerate(report.description):
            sent = form.get(f"description_{i}", statement.text)
            text = " ".join((sent if isinstance(sent, str) else statement.text).split())[:2000]
            if text:
                description.append(statement.model_copy(update={"text": text}))
        report = report.model_copy(
            update={"title": title.strip() or report.title, "description": description}
        )
        if new_action.strip():
            report = report.with_actions_taken([new_action.strip()], user.name)
        services.drafter.edit(incident_id, report, user, note, expected_version=version)

    return _done(incident_id, request, user, ctx, save)


@router.post("/incidents/{incident_id}/narrate")
def narrate(
    incident_id: str,
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    agent: ChatAgentDep,
    services: ServicesDep,
):
    """Let the local LLM write the description (a new version), then show the report."""
    services_of(ctx).visible_incident(user, incident_id)

    def write() -> None:
        with agent.model_held(ctx.settings.chat_wait_s) as llm:
            services.drafter.narrate(llm, incident_id, user.name, user.role)

    return _done(incident_id, request, user, ctx, write)


@router.post("/incidents/{incident_id}/step")
def step(
    incident_id: str,
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    action: Annotated[Literal["submit", "approve", "return"], Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
):
    """Submit, approve or return; a role or state that does not allow it is said on the page."""
    services_of(ctx).visible_incident(user, incident_id)
    return _done(
        incident_id, request, user, ctx,
        lambda: ctx.store.reports.change(incident_id, action, user.name, user.role, note=note),
    )  # fmt: skip


def _done(incident_id: str, request: Request, user, ctx, change: Callable[[], object]):
    """Make ``change`` and go back to the report; or show the report again, saying why the
    change could not be made (a stale version, a role or state that does not allow it)."""
    try:
        change()
    except VigilError as exc:
        return _incident(incident_id, request, user, ctx, error=str(exc))
    return RedirectResponse(f"/incidents/{incident_id}", 303)
