"""/health for load balancers (the one route, besides the signed alarm intake, with no
sign-in) and /metrics in Prometheus text format; what the status page shows."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from vigil.context import Context
from web.deps import ContextDep, alarm_desk, signed_in_user

router = APIRouter(tags=["health"])


def site_status(ctx: Context) -> dict:
    """What the status page and /metrics show: cameras, ingest, queue, models, store."""
    try:
        desk = alarm_desk(ctx)
    except Exception:  # a policy that does not load: said on the page, never a 500
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


@router.get("/health")
def health(ctx: ContextDep) -> dict:
    """Up, and the SQL store answers."""
    ctx.store.alarms.waiting()
    return {"status": "ok"}


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request, ctx: ContextDep) -> str:
    """Prometheus text format (needs a sign-in or an API token once the site has users)."""
    await signed_in_user(request, ctx)
    s = site_status(ctx)
    lines = [
        "# HELP vigil_alarms_waiting Alarms taken in and not yet verified.",
        "# TYPE vigil_alarms_waiting gauge",
        f"vigil_alarms_waiting {s['alarms_waiting']}",
        "# HELP vigil_keyframes Stored keyframes per camera.",
        "# TYPE vigil_keyframes gauge",
        *(f'vigil_keyframes{{camera="{c.name}"}} {c.keyframes}' for c in s["cameras"]),
        "# HELP vigil_video_seconds Seconds of ingested video per camera.",
        "# TYPE vigil_video_seconds gauge",
        *(f'vigil_video_seconds{{camera="{c.name}"}} {c.video_seconds:.1f}' for c in s["cameras"]),
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
