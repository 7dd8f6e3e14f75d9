"""Alarms: signed intake (202 + id), the verdict, listings, and operator reviews."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from agent.alarms import AlarmDesk
from vigil.adapters import SourceAlarm, from_axis_notification, read_alarm
from vigil.domain import UserRecord
from vigil.inputs import parse_time
from vigil.store import QueueFullError
from web.api.defs import AlarmAccepted, AlarmIn, AlarmRecord, FromParam, ReviewIn, ToParam
from web.deps import (
    AlarmDeskDep,
    BasicSourceDep,
    ServicesDep,
    SignedSourceDep,
    camera_scope,
    check_camera,
    signed_in_user,
)

router = APIRouter(prefix="/api/alarms", tags=["alarms"])


async def _take(desk: AlarmDesk, source: str, alarm: SourceAlarm | None) -> JSONResponse:
    """Queue an alarm: 202 with its id once committed; 200 for a message that is no alarm;
    429 with Retry-After when the queue is full."""
    if alarm is None:
        return JSONResponse({"ignored": True, "detail": "not an alarm (ended or inactive)"})
    try:
        record, new = await desk.take_in_async(source, alarm)
    except QueueFullError as exc:
        return JSONResponse(
            {"detail": str(exc)}, status_code=429, headers={"Retry-After": str(exc.retry_after_s)}
        )
    return JSONResponse(
        AlarmAccepted(id=record.id, status=record.status, duplicate=not new).model_dump(),
        status_code=202,
    )


CameraParam = Annotated[
    str, Query(min_length=1, max_length=64, description="the camera the device is (name/alias)")
]


@router.post("", status_code=202, response_model=AlarmAccepted)
async def take_in(alarm: AlarmIn, source: SignedSourceDep, desk: AlarmDeskDep):
    """Take in an alarm: stored before the answer, verified by a worker. A retry with the
    same ``source_event_id`` gets the same alarm id. 429 with Retry-After when the queue is
    full; 401 for a bad signature or a stale timestamp."""
    return await _take(desk, source, alarm.source_alarm())


@router.post("/frigate", status_code=202, response_model=AlarmAccepted)
async def take_in_frigate(request: Request, source: SignedSourceDep, desk: AlarmDeskDep):
    """A Frigate ``events`` or ``reviews`` message as JSON (its MQTT payload or webhook)."""
    return await _take(desk, source, read_alarm("frigate", await request.body()))


@router.post("/axis", status_code=202, response_model=AlarmAccepted)
async def take_in_axis(
    request: Request, camera: CameraParam, source: SignedSourceDep, desk: AlarmDeskDep
):
    """An Axis MQTT event JSON of the camera named in ``camera``."""
    return await _take(desk, source, read_alarm("axis", await request.body(), camera))


@router.post("/axis/notification", status_code=202, response_model=AlarmAccepted,
             operation_id="take_in_axis_notification_post")  # fmt: skip
@router.get("/axis/notification", status_code=202, response_model=AlarmAccepted,
            operation_id="take_in_axis_notification_get")  # fmt: skip
async def take_in_axis_notification(
    request: Request, camera: CameraParam, source: BasicSourceDep, desk: AlarmDeskDep
):
    """An Axis camera's HTTP "send notification" (its query string, templated in the action
    rule; the parameter names are set by ``axis_notification_fields``). Axis cannot sign a
    request: it authenticates with HTTP Basic (source name and secret)."""
    params = dict(request.query_params)
    fields = desk.settings.axis_notification_fields
    received = datetime.now(UTC)
    return await _take(desk, source, from_axis_notification(params, camera, fields, received))


@router.post("/onvif", status_code=202, response_model=AlarmAccepted)
async def take_in_onvif(
    request: Request, camera: CameraParam, source: SignedSourceDep, desk: AlarmDeskDep
):
    """An ONVIF rule-engine notification (XML) of the camera named in ``camera``."""
    return await _take(desk, source, read_alarm("onvif", await request.body(), camera))


@router.get("/{alarm_id}", response_model=AlarmRecord, dependencies=[Depends(signed_in_user)])
def alarm(
    alarm_id: str, services: ServicesDep, user: Annotated[UserRecord, Depends(signed_in_user)]
) -> AlarmRecord:
    """One alarm with its verdict (once verified) and review; times in the site zone."""
    return services.visible_alarm(user, alarm_id)


@router.get("", response_model=list[AlarmRecord], dependencies=[Depends(signed_in_user)])
def alarms(
    desk: AlarmDeskDep,
    request: Request,
    status: Annotated[Literal["queued", "verifying", "verified"] | None, Query()] = None,
    camera: Annotated[str | None, Query(max_length=64)] = None,
    verdict: Annotated[Literal["confirmed", "false_alarm", "needs_review"] | None, Query()] = None,
    start: FromParam = None,
    end: ToParam = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AlarmRecord]:
    """Alarms, newest first (of the user's cameras only, before ``limit`` is counted)."""
    tz = desk.settings.tz
    if camera is not None:
        check_camera(request, desk.verifier.camera_of(camera))
    return desk.list(
        status=status,
        camera=camera,
        verdict=verdict,
        start=parse_time(start, tz, "from"),
        end=parse_time(end, tz, "to", end_of_day=True),
        limit=limit,
        cameras=camera_scope(request, None),
    )


@router.post("/{alarm_id}/review", response_model=AlarmRecord)
def review(
    alarm_id: str,
    request: Request,
    body: ReviewIn,
    desk: AlarmDeskDep,
    services: ServicesDep,
    user: Annotated[UserRecord, Depends(signed_in_user)],
) -> AlarmRecord:
    """An operator confirms or overrules the verdict, with a reason; the reviewer is named
    by their sign-in, never by what the body says."""
    services.visible_alarm(user, alarm_id)
    return desk.review(alarm_id, body.decision, body.reason, user.name, body.verdict, user)
