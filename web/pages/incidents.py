"""Incident pages: the list, and the report editor with its drafted fields, evidence,
flags, version history, workflow buttons and exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from vigil.errors import VigilError
from web.api.reports import visible_incident
from web.deps import (
    ChatAgentDep,
    ContextDep,
    check_camera,
    check_cameras,
    get_alarm_desk,
    report_drafter,
)
from web.pages.common import PageUser, render

router = APIRouter(include_in_schema=False)


@router.get("/incidents", response_class=HTMLResponse)
def incidents_page(request: Request, user: PageUser, ctx: ContextDep):
    return render(
        request,
        "incidents.html",
        user,
        active="incidents",
        incidents=[r for r in ctx.store.reports.list(limit=200) if user.sees_all(r.report.cameras)],
    )


@router.get("/incidents/new")
async def new_incident(
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    alarm_id: Annotated[str | None, Query(max_length=64)] = None,
    frame: Annotated[list[str] | None, Query(max_length=50)] = None,
    title: Annotated[str, Query(max_length=200)] = "Incident",
):
    """Draft (or open the one already drafted) from an alarm or from frames."""
    drafter = report_drafter(ctx)
    if alarm_id is not None:
        desk = await get_alarm_desk(ctx)
        alarm = desk.get(alarm_id)
        check_camera(request, alarm.camera)
        record, _ = drafter.from_alarm(alarm, user.name)
    else:
        check_cameras(
            request, [f.camera for f in ctx.store.keyframes.get_many(frame or []).values()]
        )
        record, _ = drafter.from_moments(frame or [], title, user.name)
    return RedirectResponse(f"/incidents/{record.id}", 303)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(
    incident_id: str,
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    version: int | None = None,
    error: str | None = None,
):
    record = visible_incident(ctx, user, incident_id, version)
    return render(
        request,
        "incident.html",
        user,
        active="incidents",
        incident=record,
        report=record.report,
        latest=version is None,
        error=error,
    )


@router.post("/incidents/{incident_id}/edit")
async def edit(
    incident_id: str,
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    version: Annotated[int, Form()],
    title: Annotated[str, Form(max_length=200)],
    new_action: Annotated[str, Form(max_length=2000)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
):
    """Save the editor: title, the description's sentences (each keeps its frames), a new
    action taken. An approved report is amended as a new version."""
    form = await request.form()
    try:
        report = visible_incident(ctx, user, incident_id).report
        description = []
        for i, statement in enumerate(report.description):
            text = " ".join(str(form.get(f"description_{i}", statement.text)).split())[:2000]
            if text:
                description.append(statement.model_copy(update={"text": text}))
        report = report.model_copy(
            update={"title": title.strip() or report.title, "description": description}
        )
        if new_action.strip():
            report = report.with_actions_taken([new_action.strip()], user.name)
        report_drafter(ctx).edit(incident_id, report, user, note, expected_version=version)
    except VigilError as exc:
        return incident_page(incident_id, request, user, ctx, error=str(exc))
    return RedirectResponse(f"/incidents/{incident_id}", 303)


@router.post("/incidents/{incident_id}/narrate")
def narrate(
    incident_id: str, request: Request, user: PageUser, ctx: ContextDep, agent: ChatAgentDep
):
    """Let the local LLM write the description (a new version), then show the report."""
    visible_incident(ctx, user, incident_id)
    try:
        with agent.model_held(ctx.settings.chat_wait_s) as llm:
            report_drafter(ctx).narrate(llm, incident_id, user.name, user.role)
    except VigilError as exc:
        return incident_page(incident_id, request, user, ctx, error=str(exc))
    return RedirectResponse(f"/incidents/{incident_id}", 303)


@router.post("/incidents/{incident_id}/step")
def step(
    incident_id: str,
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    action: Annotated[str, Form(max_length=16)],
    note: Annotated[str, Form(max_length=2000)] = "",
):
    """Submit, approve or return; a role or state that does not allow it is said on the page."""
    visible_incident(ctx, user, incident_id)
    try:
        ctx.store.reports.change(incident_id, action, user.name, user.role, note=note)
    except VigilError as exc:
        return incident_page(incident_id, request, user, ctx, error=str(exc))
    return RedirectResponse(f"/incidents/{incident_id}", 303)
