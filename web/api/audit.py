"""/api/audit: the tamper-evident log, for supervisors and admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from web.api.defs import AuditCheckOut, AuditEntryOut
from web.deps import ContextDep, SupervisorDep

router = APIRouter(prefix="/api/audit", tags=["audit"])


@router.get("", response_model=list[AuditEntryOut])
def entries(
    user: SupervisorDep,
    ctx: ContextDep,
    subject: Annotated[str | None, Query(max_length=128)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[AuditEntryOut]:
    """Entries in order (of one subject, e.g. incident:ID), times in the site zone."""
    tz = ctx.settings.tz
    return [
        AuditEntryOut(
            seq=e.seq,
            at=e.at.astimezone(tz),
            actor=e.actor,
            action=e.action,
            subject=e.subject,
            detail=e.detail,
            hash=e.hash,
        )  # fmt: skip
        for e in ctx.store.audit.entries(subject=subject, limit=limit)
    ]


@router.get("/verify", response_model=AuditCheckOut)
def verify(user: SupervisorDep, ctx: ContextDep) -> AuditCheckOut:
    """Walk the chain: every changed, removed or reordered entry is named, and every
    signed checkpoint the chain no longer matches (a rewrite or a cut-off tail)."""
    report = ctx.store.audit.verify()
    ctx.store.audit.record(user.name, "audit.verify", "audit", {"intact": report.intact})
    return AuditCheckOut(
        intact=report.intact, checked=report.checked, first_seq=report.first_seq,
        last_seq=report.last_seq, problems=report.problems, checkpoints=report.checkpoints,
    )  # fmt: skip
