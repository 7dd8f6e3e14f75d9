"""The alarm queue page: a live inbox (server-sent events) ordered by priority, each
alarm's verdict, evidence, clauses and actions, and one-key confirm / overrule / escalate."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from agent.services import services_of
from vigil.domain import AlarmRecord, UserRecord
from vigil.errors import VigilError
from vigil.sessions import still_signed_in
from vigil.signing import SignatureError
from web.deps import AlarmDeskDep, ContextDep, LiveCameras, actor
from web.pages.common import PageUser, mp4_clip, render
from web.pages.marks import alarm_marks

router = APIRouter(include_in_schema=False)
View = Literal["unreviewed", "reviewed"]
QUEUE_LIMIT = 300
EVENTS_POLL_S = 1.0


def queue(desk, view: str, user: UserRecord) -> list[AlarmRecord]:
    """The inbox of the user's cameras: unreviewed alarms most urgent first (then newest),
    or reviewed ones newest first."""
    alarms = desk.list(limit=QUEUE_LIMIT, cameras=user.scope(None))
    if view == "reviewed":
        return [a for a in alarms if a.review is not None]
    waiting = [a for a in alarms if a.review is None]
    return sorted(waiting, key=lambda a: (-a.priority, -a.time.timestamp()))


@router.get("/alarms", response_class=HTMLResponse)
def alarms_page(
    request: Request,
    user: PageUser,
    desk: AlarmDeskDep,
    live: LiveCameras,
    view: View = "unreviewed",
    selected: Annotated[str | None, Query(max_length=64)] = None,
    closed: Annotated[int | None, Query(ge=0, le=100_000)] = None,
):
    rows = queue(desk, view, user)
    chosen = next((a for a in rows if a.id == selected), rows[0] if rows else None)
    return render(
        request,
        "alarms.html",
        user,
        active="alarms",
        view=view,
        alarms=rows,
        chosen=chosen,
        live=live,
        marks=alarm_marks(desk.store, desk.policy, chosen) if chosen else {},
        closed=closed,
        false_alarms=sum(1 for a in rows if closable_false_alarm(a, user)),
    )


def closable_false_alarm(alarm: AlarmRecord, user: UserRecord) -> bool:
    """An unreviewed alarm whose final verdict is a false alarm, that neither another
    operator holds nor its holder put on hold: one a bulk close may close."""
    verdict = alarm.verdict
    return (
        alarm.review is None
        and verdict is not None
        and verdict.verdict == "false_alarm"
        and verdict.final
        and alarm.owner in (None, user.name)
        and not alarm.on_hold
    )


def alarm_detail(request, user, desk, live, alarm: AlarmRecord, error: str | None):
    """The alarm's detail fragment, its evidence marked."""
    marks = alarm_marks(desk.store, desk.policy, alarm)
    return render(request, "_alarm.html", user, chosen=alarm, error=error, live=live, marks=marks)


@router.get("/ui/alarms/events")
async def alarm_events(
    request: Request, user: PageUser, desk: AlarmDeskDep, ctx: ContextDep, view: View = "unreviewed"
):
    """The inbox's rows as server-sent events, sent again whenever they change."""

    claims = request.state.session

    async def events():
        last = None
        while not await request.is_disconnected():
            try:  # a sign-out, a removed user or new camera limits count from the next poll
                now_user = await asyncio.to_thread(still_signed_in, ctx.store, claims)
            except SignatureError:
                yield "event: signed-out\ndata: sign in again\n\n"
                return
            rows = await asyncio.to_thread(queue, desk, view, now_user)
            state = [
                (a.id, a.status, a.verdict.verdict if a.verdict else None, a.handling, a.owner)
                for a in rows
            ]
            if state != last:
                html = render(request, "_alarm_rows.html", now_user, alarms=rows, view=view)
                html = html.body.decode()
                yield (
                    "event: alarms\n"
                    + "".join(f"data: {line}\n" for line in html.splitlines())
                    + "\n"
                )
                last = state
            await asyncio.sleep(EVENTS_POLL_S)

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
    )


@router.get("/ui/alarms/{alarm_id}", response_class=HTMLResponse)
def alarm_fragment(
    alarm_id: str, request: Request, user: PageUser, desk: AlarmDeskDep, live: LiveCameras
):
    alarm = services_of(request.state.ctx).visible_alarm(user, alarm_id)
    return alarm_detail(request, user, desk, live, alarm, None)


@router.post("/ui/alarms/{alarm_id}/review", response_class=HTMLResponse)
def review(
    alarm_id: str,
    request: Request,
    user: PageUser,
    desk: AlarmDeskDep,
    ctx: ContextDep,
    live: LiveCameras,
    decision: Annotated[Literal["confirm", "overrule", "escalate"], Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
):
    """Confirm, overrule (with a reason) or escalate (it is real: the verdict's contacts
    are called in); the detail again, with the outcome or the error."""
    error = None
    services_of(request.state.ctx).visible_alarm(user, alarm_id)
    try:
        alarm = desk.get(alarm_id)
        if decision == "escalate":
            contacts = ", ".join(alarm.verdict.escalate_to if alarm.verdict else []) or "supervisor"
            why = f"escalated to {contacts}" + (f": {reason}" if reason.strip() else "")
            alarm = desk.review(alarm_id, "escalate", why, user.name, reviewer=user)
            ctx.store.audit.record(
                user.name, "alarm.escalate", f"alarm:{alarm_id}", {"to": contacts}
            )
        else:
            if decision == "confirm" and not reason.strip():
                reason = "confirmed as shown"  # one key: the operator saw what the verdict cites
            alarm = desk.review(alarm_id, decision, reason, user.name, reviewer=user)
    except VigilError as exc:
        alarm, error = desk.get(alarm_id), str(exc)
    return alarm_detail(request, user, desk, live, alarm, error)


@router.post("/ui/alarms/{alarm_id}/handle", response_class=HTMLResponse)
def handle(
    alarm_id: str,
    request: Request,
    user: PageUser,
    desk: AlarmDeskDep,
    live: LiveCameras,
    action: Annotated[Literal["take", "hold", "release", "take-over"], Form()],
):
    """Take the alarm, put it on hold, give it back to the queue, or (supervisors) take
    over another's; the detail again, with the outcome or why not."""
    services_of(request.state.ctx).visible_alarm(user, alarm_id)
    error = None
    try:
        take_over = action == "take-over"
        desk.handle(alarm_id, "take" if take_over else action, user, force=take_over)
    except VigilError as exc:
        error = str(exc)
    alarm = desk.get(alarm_id)
    return alarm_detail(request, user, desk, live, alarm, error)


@router.post("/ui/alarms/close-false-alarms")
def close_false_alarms(request: Request, user: PageUser, desk: AlarmDeskDep):
    """Close, in one go, every unreviewed alarm the user sees whose final verdict is a false
    alarm and that nobody else is handling: each closed as the operator agreeing."""
    closed = 0
    for alarm in queue(desk, "unreviewed", user):
        if not closable_false_alarm(alarm, user):
            continue
        try:
            desk.review(
                alarm.id,
                "confirm",
                "closed in bulk with the false alarms",
                user.name,
                reviewer=user,
            )
            closed += 1
        except VigilError:
            continue  # reviewed or taken meanwhile: left as it is
    return RedirectResponse(f"/alarms?closed={closed}", status_code=303)


ALARM_CLIP_HALF_S = 15.0


@router.get("/alarms/{alarm_id}/clip.mp4")
def alarm_clip(
    alarm_id: str, request: Request, user: PageUser, desk: AlarmDeskDep, ctx: ContextDep
) -> Response:
    """The 30 s around the alarm moment, from the video its nearest evidence frame is in."""
    alarm = services_of(request.state.ctx).visible_alarm(user, alarm_id)
    shown = alarm.verdict.evidence if alarm.verdict else []
    frames = ctx.store.keyframes.get_many([e.frame_id for e in shown])
    if not frames:
        raise HTTPException(404, "no video of this alarm is kept")
    frame = min(frames.values(), key=lambda f: abs((f.utc - alarm.time).total_seconds()))
    moment = frame.offset_s + (alarm.time - frame.utc).total_seconds()
    if moment + ALARM_CLIP_HALF_S <= 0:
        raise HTTPException(404, "no video of this alarm is kept")
    clip = mp4_clip(ctx, frame.video_id, moment - ALARM_CLIP_HALF_S, moment + ALARM_CLIP_HALF_S)
    ctx.store.audit.record(actor(request), "alarm.video", f"alarm:{alarm_id}")
    return clip
