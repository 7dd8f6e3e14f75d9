"""/api/reports: incidents drafted from verdicts, chat answers or moments; edits, the
workflow steps, exports and signed evidence packages. Every route needs a signed-in user;
the workflow and exports check the role (vigil.workflow)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from vigil.reports.export import ReportExporter, report_schema
from web.api.defs import IncidentIn, IncidentRecord, ReportEditIn, ReportStepIn
from web.deps import ChatAgentDep, ContextDep, OperatorDep, ServicesDep

router = APIRouter(prefix="/api/reports", tags=["reports"])


@router.get("/schema")
def schema(user: OperatorDep) -> dict:
    """The JSON schema every JSON export is valid against."""
    return report_schema()


@router.get("", response_model=list[IncidentRecord])
def incidents(
    user: OperatorDep,
    ctx: ContextDep,
    status: Literal["draft", "edited", "submitted", "approved", "withdrawn"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[IncidentRecord]:
    """Incidents, newest first (those of the user's cameras)."""
    return [r for r in ctx.store.reports.list(status, limit) if user.sees_all(r.report.cameras)]


@router.post("", response_model=IncidentRecord, status_code=201)
def draft(body: IncidentIn, user: OperatorDep, services: ServicesDep):
    """Draft an incident from a verdict, a chat answer or frames (the one already drafted
    from the same origin, if any), from what the user may see only."""
    record, _ = services.draft_incident(
        user,
        alarm_id=body.alarm_id,
        conversation_id=body.conversation_id,
        turn=body.turn,
        frame_ids=body.frame_ids,
        title=body.title,
    )
    return record


@router.get("/{incident_id}", response_model=IncidentRecord)
def incident(
    incident_id: str, user: OperatorDep, services: ServicesDep, version: int | None = None
) -> IncidentRecord:
    return services.visible_incident(user, incident_id, version)


@router.put("/{incident_id}", response_model=IncidentRecord)
def edit(
    incident_id: str, body: ReportEditIn, user: OperatorDep, ctx: ContextDep, services: ServicesDep
):
    """A new version holding ``report`` (an amendment, if the report was approved). Its
    evidence frames are named by ``frame_id``: the server fills in the rest, refuses a
    frame of a camera the user may not see, and sets who wrote each changed statement."""
    services.visible_incident(user, incident_id)
    return services.drafter.edit(incident_id, body.report, user, body.note, body.version)


@router.post("/{incident_id}/narrate", response_model=IncidentRecord)
def narrate(
    incident_id: str, user: OperatorDep, ctx: ContextDep, agent: ChatAgentDep, services: ServicesDep
) -> IncidentRecord:
    """A new version whose description the local LLM wrote from the evidence frames (each
    sentence cites frames; sentences about who people are are dropped). Tens of seconds on
    2 cores; 503 while the model answers a question for longer than the chat waits."""
    services.visible_incident(user, incident_id)
    with agent.model_held(ctx.settings.chat_wait_s) as llm:
        return services.drafter.narrate(llm, incident_id, user.name, user.role)


@router.post("/{incident_id}/{step}", response_model=IncidentRecord)
def step(
    incident_id: str,
    step: Literal["submit", "approve", "return"],
    user: OperatorDep,
    ctx: ContextDep,
    services: ServicesDep,
    body: ReportStepIn | None = None,
) -> IncidentRecord:
    """Submit (operator), approve or return (supervisor) a report."""
    note = body.note if body else ""
    services.visible_incident(user, incident_id)
    return ctx.store.reports.change(incident_id, step, user.name, user.role, note=note)


@router.get("/{incident_id}/export")
def export(
    incident_id: str,
    user: OperatorDep,
    ctx: ContextDep,
    services: ServicesDep,
    format: Literal["pdf", "html", "json", "md"] = "pdf",  # noqa: A002 - the API's word
    version: int | None = None,
    internal: bool = Query(False, description="no blurring, for internal recipients (supervisor)"),
) -> Response:
    """The report as a file; faces and plates blurred unless ``internal``."""
    services.visible_incident(user, incident_id, version)
    made = services.exporter.export(
        incident_id, format, user.name, user.role, not internal, version
    )
    return Response(
        made.data, media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )  # fmt: skip


@router.get("/{incident_id}/package")
def package(
    incident_id: str,
    user: OperatorDep,
    ctx: ContextDep,
    services: ServicesDep,
    version: int | None = None,
    internal: bool = False,
) -> Response:
    """The signed evidence package (zip) of a report version (supervisor)."""
    ReportExporter.check_may_export(user.role, not internal, package=True)
    services.visible_incident(user, incident_id, version)
    with tempfile.TemporaryDirectory(dir=ctx.settings.data_dir) as folder:
        out = Path(folder) / f"incident-{incident_id[:32]}-evidence.zip"
        services.exporter.package(incident_id, out, user.name, user.role, not internal, version)
        data = out.read_bytes()
    return Response(
        data, media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{out.name}"'},
    )  # fmt: skip
