"""/health for load balancers (the one route, besides the signed alarm intake, with no
sign-in) and /metrics in Prometheus text format; what the status page shows."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from vigil.context import Context
from vigil.errors import VigilError
from vigil.store.health import data_dir_problems
from web.deps import ContextDep, alarm_desk, signed_in_user

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


def site_status(ctx: Context) -> dict:
    """What the status page and /metrics show: cameras, ingest, queue, models, store."""
    try:
        desk = alarm_desk(ctx)
    except VigilError as exc:  # a policy that does not load: said on the page, never a 500
        log.warning("the site policy is not armed: %s", exc)
        desk = None
    return {
        "cameras": ctx.store.videos.summaries(),
        "unfinished": ctx.store.videos.unfinished(),
        "alarms_waiting": ctx.store.alarms.waiting(),
        "alarms_armed": desk is not None,
        "incidents": ctx.store.reports.counts(),
        "models": ctx.models.versions(),
        "store_bytes": ctx.store.data_bytes(),
        "audit_entries": ctx.store.audit.head()[0],
    }


@router.get("/health", responses={503: {"description": "not ok, and why"}})
def health(ctx: ContextDep) -> JSONResponse:
    """Up, the SQL store answers, and the data dir can take writes (it can be written, and
    has at least ``data_dir_min_free_mb`` free); 503 with the problems otherwise."""
    settings = ctx.settings
    problems = data_dir_problems(settings.data_dir, settings.data_dir_min_free_mb * 1_000_000)
    try:
        ctx.store.alarms.waiting()
    except Exception as exc:  # whatever the driver raises: the answer is "not ok", and why
        log.warning("health: the SQL store does not answer: %s", exc)
        problems.append(f"the SQL store does not answer ({type(exc).__name__})")
    if problems:
        return JSONResponse({"status": "not ok", "problems": problems}, 503)
    return JSONResponse({"status": "ok"})


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request, ctx: ContextDep) -> str:
    """Prometheus text format (needs a sign-in or an API token). A user limited to some
    cameras sees those cameras' series only, and no site-wide totals."""
    user = await signed_in_user(request, ctx)
    s = site_status(ctx)
    cameras = [c for c in s["cameras"] if user.sees(c.name)]
    per_camera = [
        "# HELP vigil_keyframes Stored keyframes per camera.",
        "# TYPE vigil_keyframes gauge",
        *(f'vigil_keyframes{{camera="{c.name}"}} {c.keyframes}' for c in cameras),
        "# HELP vigil_video_seconds Seconds of ingested video per camera.",
        "# TYPE vigil_video_seconds gauge",
        *(f'vigil_video_seconds{{camera="{c.name}"}} {c.video_seconds:.1f}' for c in cameras),
    ]
    if user.cameras is not None:
        return "\n".join(per_camera) + "\n"
    lines = [
        "# HELP vigil_alarms_waiting Alarms taken in and not yet verified.",
        "# TYPE vigil_alarms_waiting gauge",
        f"vigil_alarms_waiting {s['alarms_waiting']}",
        *per_camera,
        "# HELP vigil_videos_unfinished Videos whose ingest has not finished.",
        "# TYPE vigil_videos_unfinished gauge",
        f"vigil_videos_unfinished {len(s['unfinished'])}",
        "# HELP vigil_incidents Incidents per report status.",
        "# TYPE vigil_incidents gauge",
        *(f'vigil_incidents{{status="{k}"}} {v}' for k, v in sorted(s["incidents"].items())),
        "# HELP vigil_audit_entries The audit chain's last sequence number.",
        "# TYPE vigil_audit_entries counter",
        f"vigil_audit_entries {s['audit_entries']}",
        "# HELP vigil_store_bytes Bytes under the data dir.",
        "# TYPE vigil_store_bytes gauge",
        f"vigil_store_bytes {s['store_bytes']}",
    ]
    return "\n".join(lines) + "\n"
