"""Operations pages: status, the shift, the site policy and its what-if, and the audit
view (the last two for supervisors)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from agent.hindsight import rule_stats, what_if
from agent.services import services_of
from vigil.errors import InvalidInputError, StateError
from vigil.inputs import day_span
from vigil.policies import PolicyError, armed_rules, parse_policy
from vigil.summary import shift_summary
from vigil.workflow import require_role
from web.api.health import site_status
from web.deps import ContextDep, ServicesDep
from web.pages.audit_view import ACTION_WORDS, grouped, readable_detail, subjects
from web.pages.common import PageUser, Speaker, language, render

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
    since = datetime.now(UTC) - RULE_STATS_SPAN
    verified = ctx.store.alarms.list(
        status="verified", start=since, limit=100_000, cameras=user.scope(None)
    )
    rules = rule_stats(verified)
    return render(request, "status.html", user, active="status", status=status, rules=rules)


RULE_STATS_SPAN = timedelta(days=30)  # the rules' verdicts /status weighs


def shift_window(tz, start: str, end: str, day: str | None) -> tuple[datetime, datetime]:
    """The shift from ``start`` to ``end`` (site clock) ending on ``day`` (default: the last
    such shift that has ended); a night shift begins the day before."""
    now = datetime.now(UTC)
    try:
        last_day = date.fromisoformat(day) if day else now.astimezone(tz).date()
        until = datetime.combine(last_day, time.fromisoformat(end), tz)
        if not day and until > now:  # the last such shift
            until -= timedelta(days=1)
        began = datetime.combine(until.date(), time.fromisoformat(start), tz)
    except (ValueError, OverflowError) as exc:
        raise HTTPException(422, f"no such day or time: {exc}") from exc
    if began >= until:
        began -= timedelta(days=1)
    return began, until


@router.get("/shift", response_class=HTMLResponse)
def shift_page(
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    start: Annotated[str, Query(alias="from", max_length=5, pattern=r"^\d\d:\d\d$")] = "19:00",
    end: Annotated[str, Query(alias="to", max_length=5, pattern=r"^\d\d:\d\d$")] = "07:00",
    day: Annotated[str | None, Query(max_length=10)] = None,
):
    """The shift from ``from`` to ``to`` (site clock) ending on ``day`` (default: the last
    such shift) on the user's cameras: alarms with verdicts and reviews, activity by hour,
    the longest stays and every vehicle."""
    began, until = shift_window(ctx.settings.tz, start, end, day)
    cameras = [c for c in ctx.store.videos.camera_names() if user.sees(c)]
    summary = shift_summary(ctx.settings, ctx.store, began, until, language(request), cameras)
    # a report is made of a shift that has ended and in which something was recorded
    reportable = until <= datetime.now(UTC) and bool(summary.ranked())
    return render(
        request, "shift.html", user, active="shift", summary=summary, start=start, end=end,
        day=f"{until:%Y-%m-%d}", reportable=reportable,
    )  # fmt: skip


@router.post("/shift/report")
def shift_report(
    user: PageUser,
    services: ServicesDep,
    start: Annotated[str, Form(alias="from", max_length=5, pattern=r"^\d\d:\d\d$")],
    end: Annotated[str, Form(alias="to", max_length=5, pattern=r"^\d\d:\d\d$")],
    day: Annotated[str, Form(max_length=10)],
):
    """The shift's report (drafted once), to edit, approve and export like an incident:
    a change, so a form sent with its CSRF token."""
    began, until = shift_window(services.settings.tz, start, end, day)
    record, _ = services.shift_report(user, began, until)
    return RedirectResponse(f"/incidents/{record.id}", 303)


AUDIT_ROWS = 100  # entries per page of the audit view
AUDIT_SCAN_BATCHES = 20  # at most this many x 500 entries read for one page


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    check: bool = False,
    who: Annotated[str | None, Query(max_length=128)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    camera: Annotated[str | None, Query(max_length=64)] = None,
    day: Annotated[str | None, Query(max_length=10)] = None,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
):
    """The log, newest first, a page at a time: filtered by who, what, camera and day;
    one person's run of the same step (a hundred thumbnails looked at) as one row."""
    require_role(user.role, "supervisor", "the audit log")
    report = ctx.store.audit.verify() if check else None
    error, since, until = None, None, None
    if day:
        try:
            since, until = day_span(day, ctx.settings.tz)
        except InvalidInputError as exc:
            error = str(exc)
    say = Speaker(ctx, language(request), ctx.settings.tz)
    shown, said, cursor = [], {}, before
    for _ in range(AUDIT_SCAN_BATCHES if not error else 0):  # a camera is known once
        batch = ctx.store.audit.entries(  # subjects are read: read on, a bounded way
            newest_first=True,
            limit=5 * AUDIT_ROWS,
            actor=who or None,
            action=action or None,
            since=since,
            until=until,
            before_seq=cursor,
        )
        if not batch:
            cursor = None
            break
        said.update(subjects(ctx.store, batch, say))
        for entry in batch:
            cursor = entry.seq
            about = said[entry.subject].camera
            if camera and about != camera:
                continue
            if user.cameras is not None and (about is None or not user.sees(about)):
                continue  # a supervisor of some cameras reads what concerns those
            shown.append(entry)
            if len(shown) == AUDIT_ROWS:
                break
        if len(shown) == AUDIT_ROWS:
            break
        if len(batch) < 5 * AUDIT_ROWS:  # the log's first entry was read
            cursor = None
            break
    return render(
        request,
        "audit.html",
        user,
        active="audit",
        rows=grouped(shown, said),
        report=report,
        error=error,
        words=ACTION_WORDS,
        actions=ctx.store.audit.actions(),
        cameras=[c for c in ctx.store.videos.camera_names() if user.sees(c)],
        chosen={"who": who or "", "action": action or "", "camera": camera or "", "day": day or ""},
        older=None if error else cursor,
        readable=readable_detail,
    )


POLICY_TEXT_MAX = 200_000  # characters of a changed policy pasted into the what-if
WHAT_IF_ALARMS = 500  # the newest verified alarms a what-if decides again on one request
WHAT_IF_RUNNING = threading.Lock()  # per server process


@router.get("/policy", response_class=HTMLResponse)
def policy_page(request: Request, user: PageUser, ctx: ContextDep):
    """The site policy's rules and whether each is armed now (supervisors), with a form to
    see what a changed policy would have decided on the alarms already verified."""
    return _policy(request, user, ctx)


@router.post("/policy/whatif", response_class=HTMLResponse)
def policy_whatif(
    request: Request,
    user: PageUser,
    ctx: ContextDep,
    text: Annotated[str, Form(max_length=POLICY_TEXT_MAX)],
    days: Annotated[int, Form(ge=1, le=90)] = 30,
):
    """Each verified alarm of the last ``days`` (of the user's cameras; the newest
    WHAT_IF_ALARMS) decided again under the pasted policy on its stored video: what
    would flip, before the change is armed. Nothing is changed or stored."""
    require_role(user.role, "supervisor", "a policy what-if")
    if not WHAT_IF_RUNNING.acquire(blocking=False):  # minutes of verifying: one at a time
        raise StateError("another what-if is running; try again in a minute")
    try:
        try:
            changed = parse_policy(text, "the changed policy")
        except PolicyError as exc:
            problems = [str(p) for p in exc.problems]
            return _policy(request, user, ctx, text, days, problems=problems)
        since = datetime.now(UTC) - timedelta(days=days)
        verified = ctx.store.alarms.list(
            status="verified", start=since, limit=WHAT_IF_ALARMS, cameras=user.scope(None)
        )
        found = what_if(ctx.settings, ctx.store, changed, verified)
    finally:
        WHAT_IF_RUNNING.release()
    return _policy(request, user, ctx, text, days, found=found)


def _policy(request, user, ctx, text: str = "", days: int = 30, problems=(), found=None):
    require_role(user.role, "supervisor", "the site policy")
    policy = services_of(ctx).policy
    now = datetime.now(UTC)
    armed = {a.rule.id for a in armed_rules(policy, now) if a.armed} if policy else set()
    rules = policy.seen_by(user.cameras).rules if policy else []  # naming no other camera
    return render(
        request, "policy.html", user, active="policy", policy=policy, rules=rules,
        armed=armed, text=text, days=days, problems=list(problems), found=found,
        limit=WHAT_IF_ALARMS,
    )  # fmt: skip
