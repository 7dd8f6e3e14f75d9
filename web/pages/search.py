"""Search, timeline and frame pages: moments with thumbnails and why they matched, "find
similar" from any frame, any time of a camera in two clicks, a frame with its clip."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from vigil.domain import SUBJECT_CLASSES
from vigil.errors import InvalidInputError, NotFoundError, VigilError
from vigil.inputs import day_span, parse_time
from vigil.search.ranking import close_enough
from web.deps import ContextDep, LiveCameras, SearchDep, actor, camera_scope
from web.pages.common import PageUser, mp4_clip, render

router = APIRouter(include_in_schema=False)
CLIP_HALF_S = 5.0


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    service: SearchDep,
    q: Annotated[str, Query(max_length=500)] = "",
    camera: Annotated[str, Query(max_length=64)] = "",
    start: Annotated[str, Query(alias="from", max_length=64)] = "",
    end: Annotated[str, Query(alias="to", max_length=64)] = "",
    similar: Annotated[str, Query(max_length=128)] = "",
):
    """The query box with camera and time filters; results once something is asked."""
    result, error, example = None, None, None
    tz = ctx.settings.tz
    try:
        if similar:
            example = ctx.store.keyframes.get(similar)
            if example is None or not user.sees(example.camera):
                raise NotFoundError("no stored frame has that id")
            image = ctx.store.thumbnails.path_of(example.thumbnail)
            scope = camera_scope(request, [camera] if camera else None)
            result = service.search(image=image, cameras=scope, k=12)
        elif q.strip():
            result = service.search(
                query=q,
                cameras=camera_scope(request, [camera] if camera else None),
                start=parse_time(start or None, tz, "from"),
                end=parse_time(end or None, tz, "to", end_of_day=True),
                k=12,
            )
            relevant = [
                m
                for m in result.moments
                if close_enough(m.signals, ctx.settings.search_min_similarity)
            ]
            if result.moments and not relevant:
                result = result.model_copy(update={"moments": [], "nothing": "not_close"})
            else:
                result = result.model_copy(update={"moments": relevant})
        if result is not None:
            ctx.store.audit.record(
                actor(request),
                "search",
                "search",
                {
                    "q": q[:300],
                    "similar": similar or None,
                    "cameras": camera or None,
                    "moments": [m.best_keyframe for m in result.moments],
                    "via": "page",
                },
            )
    except VigilError as exc:
        error = str(exc)
    return render(
        request,
        "search.html",
        user,
        active="search",
        q=q,
        camera=camera,
        start=start,
        end=end,
        result=result,
        error=error,
        example=example,
        cameras=[c for c in ctx.store.videos.camera_names() if user.sees(c)],
    )


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    camera: Annotated[str, Query(max_length=64)] = "",
    day: Annotated[str, Query(max_length=10)] = "",
    hour: Annotated[int | None, Query(ge=0, le=23)] = None,
):
    """A camera's day as a bar of its people, vehicles and alarms and as 24 hours, each
    with how many keyframes it holds (click one); then that hour zoomed in, as a bar of
    its frames and marks, and its frames (click one)."""
    tz = ctx.settings.tz
    cameras = [c for c in ctx.store.videos.camera_names() if user.sees(c)]
    camera = camera if camera in cameras else (cameras[0] if cameras else "")
    frames, hours, error, marks, hour_marks = [], [0] * 24, None, [], []
    try:
        if camera:
            if not day:
                latest = ctx.store.keyframes.list(camera, limit=1, newest_first=True)
                last_seen = latest[0].utc if latest else datetime.now(tz)
                day = last_seen.astimezone(tz).date().isoformat()
            start, end = day_span(day, tz)
            for k in ctx.store.keyframes.list(camera, start, end, 100_000):
                hours[k.utc.astimezone(tz).hour] += 1
            marks = day_marks(ctx, camera, start, end)
            if hour is not None:
                begin = datetime.combine(date.fromisoformat(day), time(hour), tz)
                frames = ctx.store.keyframes.list(camera, begin, begin + timedelta(hours=1), 500)
                hour_marks = day_marks(ctx, camera, begin, begin + timedelta(hours=1))
    except InvalidInputError as exc:
        error = str(exc)
    return render(
        request,
        "timeline.html",
        user,
        active="search",
        camera=camera,
        day=day,
        hour=hour,
        hours=hours,
        frames=frames,
        cameras=cameras,
        error=error,
        marks=marks,
        hour_marks=hour_marks,
    )


def day_marks(ctx, camera: str, start: datetime, end: datetime) -> list[dict]:
    """A bar's marks (the day's, or an hour's): each track as a span and each alarm as a
    tick, placed as a share (%) of [start, end], with where a click leads."""
    span_s = (end - start).total_seconds()

    def at(moment: datetime) -> float:
        return round(100 * min(max((moment - start).total_seconds() / span_s, 0.0), 1.0), 3)

    marks = [
        {
            "kind": "track",
            "cls": t.cls,
            "left": at(t.first_utc),
            "width": max(0.15, at(t.last_utc) - at(t.first_utc)),
            "href": f"/frames/{t.keyframe_ids[0]}" if t.keyframe_ids else None,
            "when": t.first_utc,
        }
        for t in ctx.store.tracks.list([camera], start, end, limit=2000)
        if t.cls in SUBJECT_CLASSES
    ]
    marks += [
        {
            "kind": "alarm",
            "cls": a.kind,
            "left": at(a.time),
            "width": 0.3,
            "href": f"/alarms?selected={a.id}",
            "when": a.time,
        }
        for a in ctx.store.alarms.list(camera=camera, start=start, end=end, limit=500)
    ]
    return marks


@router.get("/frames/{frame_id}", response_class=HTMLResponse)
def frame_page(frame_id: str, request: Request, user: PageUser, ctx: ContextDep, live: LiveCameras):
    """One frame: camera, time, caption, what was detected, and the video around it."""
    frame = ctx.store.keyframes.get(frame_id)
    if frame is None or not user.sees(frame.camera):
        raise HTTPException(404, f"no stored frame {frame_id[:64]!r}")
    ctx.store.audit.record(actor(request), "frame.view", f"frame:{frame_id[:100]}")
    has_video = ctx.store.videos.file_of(frame.video_id) is not None
    return render(
        request, "frame.html", user, active="search", frame=frame, has_video=has_video, live=live
    )


@router.get("/frames/{frame_id}/clip.mp4")
def frame_clip(frame_id: str, request: Request, user: PageUser, ctx: ContextDep) -> Response:
    """The 10 s around a frame as H.264 MP4 a browser plays (made on request)."""
    frame = ctx.store.keyframes.get(frame_id)
    if frame is None or not user.sees(frame.camera):
        raise HTTPException(404, "the video of that frame is no longer kept")
    return mp4_clip(ctx, frame.video_id, frame.offset_s - CLIP_HALF_S, frame.offset_s + CLIP_HALF_S)


@router.get("/chat", response_class=HTMLResponse)
def chat_page(request: Request, user: PageUser):
    return render(request, "chat.html", user, active="chat")
