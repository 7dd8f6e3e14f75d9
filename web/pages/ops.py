"""Operations pages: the status page and the audit view (supervisors)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from vigil.workflow import require_role
from web.api.health import site_status
from web.deps import ContextDep
from web.pages.common import PageUser, render

router = APIRouter(include_in_schema=False)


@router.get("/status", response_class=HTMLResponse)
def status_page(request: Request, user: PageUser, ctx: ContextDep):
    """The site's state; a user limited to some cameras sees those cameras' rows and
    ingests only, and none of the site-wide figures (as on /metrics)."""
    status = site_status(ctx)
    status["cameras"] = [c for c in status["cameras"] if user.sees(c.name)]
    status["unfinished"] = [u for u in status["unfinished"] if user.sees(u.camera)]
    if user.cameras is not None:
        for site_wide in ("alarms_waiting", "incidents", "store_bytes", "audit_entries"):
            status[site_wide] = None
    return render(request, "status.html", user, active="status", status=status)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: PageUser, ctx: ContextDep, check: bool = False):
    require_role(user.role, "supervisor", "the audit log")
    report = ctx.store.audit.verify() if check else None
    entries = ctx.store.audit.entries(newest_first=True, limit=300)
    return render(request, "audit.html", user, active="audit", entries=entries, report=report)
