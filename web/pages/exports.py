"""Export a span of video from the timeline as a signed evidence package: the span
becomes an incident (its report, frames and audit trail), its package is made in the
background, and a page shows how far it is until the file can be downloaded."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from vigil.errors import InvalidInputError, StateError
from web.deps import ContextDep, ServicesDep
from web.pages.common import PageUser, render

router = APIRouter(include_in_schema=False)
CLOCK = "%H:%M"


def _at(day: str, clock: str, tz) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tz)
    except ValueError:
        raise InvalidInputError(f"'{day[:10]} {clock[:8]}' is no date and time") from None


@router.post("/timeline/export")
def export_span(
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    services: ServicesDep,
    day: Annotated[str, Form(max_length=10)],
    start: Annotated[str, Form(max_length=8)],
    end: Annotated[str, Form(max_length=8)],
    camera: Annotated[list[str] | None, Form(max_length=64)] = None,
    title: Annotated[str, Form(max_length=200)] = "",
):
    """The span's incident, and its package started; then the page that follows it. A
    camera the user may not see, or a role that may not make packages, is refused as any
    page refuses it."""
    tz = ctx.settings.tz
    try:
        begin, until = _at(day, start, tz), _at(day, end, tz)
        cameras = list(dict.fromkeys(camera or []))
        named = title.strip() or f"{', '.join(cameras)} {day} {start}–{end}"
        clips: dict[int, tuple[float, float]] = {}

        def draft() -> str:
            record, spans = services.export_span(user, cameras, begin, until, named)
            clips.update(spans)
            return record.id

        def make(incident_id, path, progress) -> None:
            services.exporter.package(
                incident_id, path, user.name, user.role, progress=progress, clip_spans=clips
            )

        job = request.app.state.packages.start(
            user, ctx.settings.data_dir / "tmp" / "packages", draft, make
        )
    except InvalidInputError as exc:  # what was asked cannot be: say so on the page
        status = 409 if isinstance(exc, StateError) else 400
        return render(
            request, "export.html", user, status_code=status, job=None, error=str(exc),
            back=f"/timeline?camera={(camera or [''])[0]}&day={day}",
        )  # fmt: skip
    return RedirectResponse(f"/exports/{job.id}", 303)


@router.get("/exports/{job_id}", response_class=HTMLResponse)
def export_page(job_id: str, request: Request, user: PageUser):
    job = request.app.state.packages.get(job_id, user)
    return render(request, "export.html", user, job=job, error=job.error, back=None)


@router.get("/exports/{job_id}/progress", response_class=HTMLResponse)
def export_progress(job_id: str, request: Request, user: PageUser):
    job = request.app.state.packages.get(job_id, user)
    return render(request, "_export_progress.html", user, job=job)


@router.get("/exports/{job_id}/package.zip")
def export_file(job_id: str, request: Request, user: PageUser):
    job = request.app.state.packages.get(job_id, user)
    if not job.ready or not job.path.is_file():
        raise HTTPException(404, "that package is not ready, or no longer kept")
    name = f"incident-{job.incident_id[:32]}-evidence.zip"
    return FileResponse(job.path, media_type="application/zip", filename=name)
