"""Operations pages: the status page and the audit view (supervisors)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from vigil.reports.workflow import require_role
from web.api.health import site_status
from web.deps import ContextDep
from web.pages.common import PageUser, render

router = APIRouter(include_in_schema=False)


@router.get("/status", response_class=HTMLResponse)
def status_page(request: Request, user: PageUser, ctx: ContextDep):
    status = site_status(ctx)
    status["cameras"] = [c for c in status["cameras"] if user.sees(c.name)]
    return render(request, "status.html", user, active="status", status=status)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: PageUser, ctx: ContextDep, check: bool = False):
    require_role(user.role, "supervisor", "the audit log")
    report = ctx.store.audit.verify() if check else None
    entries = ctx.store.audit.entries(newest_first=True, limit=300)
    return render(request, "audit.html", user, active="audit", entries=entries, report=report)
