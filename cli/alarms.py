"""`vigil alarms`: list alarms, show one with its verdict, confirm or overrule it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cli.common import (
    EVAL_TRUTH,
    SAMPLE_DATA,
    SAMPLE_VTEST,
    SharedDataOption,
    VtestOption,
    context,
    fail,
    services,
)
from cli.reports import AsOption, acting_user
from vigil.domain import AlarmRecord
from vigil.errors import VigilError
from vigil.inputs import parse_time, printable, show_time

console = Console()


def _desk():
    desk = services().desk
    if desk is None:
        raise VigilError("no site policy is configured (policy_file in vigil.toml)")
    return desk


def _line(a: AlarmRecord) -> str:
    verdict = a.verdict.verdict if a.verdict else a.status
    level = f" level {a.verdict.level}" if a.verdict else ""
    review = f"  reviewed: {a.review.verdict} ({a.review.by})" if a.review else ""
    return (
        f"{a.id}  {a.time:%Y-%m-%d %H:%M:%S}  {a.camera:<10} {escape(a.kind):<12} "
        f"{verdict}{level}{review}"
    )


def list_command(
    status: Annotated[str | None, typer.Option(help="queued, verifying or verified")] = None,
    camera: Annotated[str | None, typer.Option(help="Camera name or alias")] = None,
    verdict: Annotated[
        str | None, typer.Option(help="confirmed, false_alarm or needs_review")
    ] = None,
    from_: Annotated[str | None, typer.Option("--from", help="ISO-8601 start")] = None,
    to: Annotated[str | None, typer.Option(help="ISO-8601 end")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """Alarms, newest first, in the site's time zone."""
    try:
        desk = _desk()
        tz = desk.settings.tz
        rows = desk.list(
            status=status,
            camera=camera,
            verdict=verdict,
            start=parse_time(from_, tz, "--from"),
            end=parse_time(to, tz, "--to", end_of_day=True),
            limit=limit,
        )
    except VigilError as exc:
        fail(exc)
    for row in rows:
        console.print(_line(row), highlight=False, soft_wrap=True)


def show_command(
    alarm_id: Annotated[str, typer.Argument(help="The alarm id")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """One alarm: its verdict, the clauses weighed, the evidence frames and actions."""
    try:
        alarm = _desk().get(alarm_id)
    except VigilError as exc:
        fail(exc)
    if as_json:
        console.print_json(json.dumps(alarm.model_dump(mode="json")))
        return
    console.print(_line(alarm), highlight=False, soft_wrap=True)
    if alarm.text:
        console.print(f"  source says: {escape(alarm.text)}", highlight=False)
    if alarm.verdict is None:
        return
    v = alarm.verdict
    console.print(f"  {escape(v.rationale)}", highlight=False, soft_wrap=True)
    if not v.final:
        console.print("  provisional: video after the alarm is still arriving", highlight=False)
    for earlier in alarm.revisions:
        console.print(f"  revised from: {earlier.verdict} ({', '.join(earlier.decided_by)})")
    for clause in v.clauses:
        mark = {True: "holds", False: "no", None: "unsure"}[clause.holds]
        console.print(
            f"  {mark:<6} {clause.id}: {escape(clause.reason)}", highlight=False, soft_wrap=True
        )
    for frame in v.evidence:
        console.print(f"  frame {frame.frame_id} {frame.time:%H:%M:%S}  {escape(frame.caption)}")
    for action in v.actions:
        console.print(f"  -> {escape(action)}", highlight=False)


def review_command(
    alarm_id: Annotated[str, typer.Argument(help="The alarm id")],
    confirm: Annotated[str | None, typer.Option(help="Confirm the verdict, with a reason")] = None,
    overrule: Annotated[
        str | None, typer.Option(help="Overrule the verdict, with a reason")
    ] = None,
    verdict: Annotated[
        str | None, typer.Option(help="The verdict that stands when overruling")
    ] = None,
    by: Annotated[str, typer.Option(help="Who reviews")] = "operator",
) -> None:
    """Confirm or overrule an alarm's verdict, with the reason."""
    if (confirm is None) == (overrule is None):
        fail("give exactly one of --confirm REASON or --overrule REASON")
    try:
        desk = _desk()
        if confirm is not None:
            alarm = desk.review(alarm_id, "confirm", confirm, by)
        else:
            alarm = desk.review(alarm_id, "overrule", overrule or "", by, verdict)
    except VigilError as exc:
        fail(exc)
    console.print(_line(alarm), highlight=False, soft_wrap=True)


def eval_alarms_command(
    shared: SharedDataOption = SAMPLE_DATA,
    vtest: VtestOption = SAMPLE_VTEST,
    truth: Annotated[Path, typer.Option(help="Labelled alarm cases")] = (
        EVAL_TRUTH / "alarm_cases.json"
    ),
) -> None:
    """Verdicts on labelled alarm cases over the sample clips (and on reviewed alarms of
    this site): share right, precision and recall of real alarms, share closed unattended."""
    from agent.alarm_eval import eval_alarms, review_tally

    try:
        ctx = context()
        report = eval_alarms(shared, vtest, truth, ctx.models)
        reviewed = review_tally(ctx.store.alarms.list(status="verified", limit=100_000))
    except VigilError as exc:
        fail(exc)
    for case in report.cases:
        mark = "ok  " if case.right else "MISS"
        console.print(
            f"  {mark} {case.camera:<8} {escape(case.name):<42} expected {case.expected:<12} "
            f"got {case.got}",
            highlight=False,
            soft_wrap=True,
        )
        if not case.right:
            console.print(f"       {escape(case.rationale)}", highlight=False, soft_wrap=True)
    console.print("                     cases  right  precision  recall  closed unattended")
    rows = [("all labelled cases", report.overall)]
    rows += [(f"camera {name}", t) for name, t in sorted(report.by_camera.items())]
    rows += [(name, t) for name, t in sorted(report.by_clause.items())]
    if reviewed.cases:
        rows.append(("reviewed alarms", reviewed))
    for label, t in rows:
        console.print(
            f"  {escape(label):<33} {t.cases:>3} {t.right / max(1, t.cases):>6.2f} "
            f"{t.precision:>10.2f} {t.recall:>7.2f} {t.closed / max(1, t.cases):>12.2f}",
            highlight=False,
            soft_wrap=True,
        )
    missed = report.overall.false_neg
    console.print(f"real alarms called false alarms: {missed}", highlight=False)
    console.print(
        f"verdicts decided again from what they were decided on (replay): "
        f"{report.replayed}/{len(report.cases)} the same",
        highlight=False,
    )
    if report.raised:
        console.print("alarms Vigil raised itself (night policy, whole clip)")
        console.print("  camera    alarms  subjects  precision  recall  most on one subject")
        for r in report.raised:
            console.print(
                f"  {r.camera:<9} {r.alarms:>6} {r.subjects:>9} {r.precision:>10.2f} "
                f"{r.recall:>7.2f} {r.most_on_one:>20}",
                highlight=False,
            )
    if missed:
        raise typer.Exit(1)


def send_test_command(
    camera: Annotated[str, typer.Option(help="The camera (name or alias) the alarm is of")],
    at: Annotated[
        str | None,
        typer.Option(
            help="When it triggered (ISO-8601, site zone without one); default: the last "
            "recorded moment of that camera that shows a person or a vehicle"
        ),
    ] = None,
    url: Annotated[str, typer.Option(help="The Vigil server")] = "http://127.0.0.1:8080",
    source: Annotated[
        str | None, typer.Option(help="The alarm source (default: the only one configured)")
    ] = None,
    kind: Annotated[str, typer.Option("--type", help="The alarm type")] = "test",
) -> None:
    """Send a signed test alarm to a running server, as an NVR would: it is verified and
    shows in the inbox."""
    import time
    import uuid

    import httpx

    from vigil.signing import signed_headers

    ctx = context()
    sources = ctx.settings.alarm_sources
    try:
        if source is None:
            if len(sources) != 1:
                known = ", ".join(sorted(sources)) or "none"
                raise VigilError(
                    f"say which alarm source sends it with --source (configured: {known}; "
                    "sources and their secrets are the alarm_sources setting)"
                )
            source = next(iter(sources))
        if source not in sources:
            raise VigilError(f"no alarm source {source!r} is configured (alarm_sources)")
        when = parse_time(at, ctx.settings.tz, "--at")
        if when is None:
            recent = ctx.store.keyframes.list(camera, limit=500, newest_first=True)
            seen = next((k for k in recent if k.people or k.vehicles), None)
            if seen is None:
                raise VigilError(
                    f"nothing recorded on {camera!r} shows a person or a vehicle: give --at"
                )
            when = seen.utc
    except VigilError as exc:
        fail(exc)
    body = {
        "source_event_id": f"test-{uuid.uuid4().hex[:12]}",
        "camera": camera,
        "time": when.isoformat(),
        "type": kind,
        "text": "a test alarm sent by `vigil alarms send-test`",
    }
    data = json.dumps(body).encode()
    headers = {**signed_headers(source, sources[source], time.time(), data),
               "Content-Type": "application/json"}  # fmt: skip
    try:
        answer = httpx.post(
            f"{url.rstrip('/')}/api/alarms", content=data, headers=headers, timeout=15
        )
    except httpx.HTTPError as exc:
        fail(f"no Vigil server answers at {url} ({exc}): start it with `vigil serve`")
    if answer.status_code != 202:
        fail(f"the server refused the alarm ({answer.status_code}): {answer.text[:300]}")
    alarm_id = answer.json()["id"]
    shown = when.astimezone(ctx.settings.tz)
    console.print(
        f"alarm {alarm_id} ({camera}, {shown:%Y-%m-%d %H:%M:%S}) taken in from {source}; "
        f"its verdict: {url.rstrip('/')}/alarms?selected={alarm_id}",
        highlight=False,
    )


def stats_command(
    since: Annotated[str, typer.Option(help="How far back: 30d, 12h")] = "30d",
) -> None:
    """Per policy clause: the alarms its verdicts rested on, the share Vigil closed with
    nobody looking, and how often people overruled it (the most overruled first)."""
    from agent.hindsight import rule_stats

    try:
        desk = _desk()
        alarms = desk.store.alarms.list(
            status="verified", start=datetime.now(UTC) - _span(since), limit=100_000
        )
    except VigilError as exc:
        fail(exc)
    console.print(
        "  clause                                 alarms  closed unattended  reviewed  overruled"
    )
    for row in rule_stats(alarms):
        console.print(
            f"  {escape(row.rule or '(no clause was armed)'):<38} {row.alarms:>6} "
            f"{row.closed_share:>18.2f} {row.reviewed:>9} {row.overrule_rate:>10.2f}",
            highlight=False,
            soft_wrap=True,
        )


def _span(text: str) -> timedelta:
    """'30d', '12h' as a span of time."""
    found = re.fullmatch(r"\s*(\d{1,4})\s*([dh])\s*", text)
    if not found:
        raise typer.BadParameter(f"'{printable(text)[:20]}' is not like 30d or 12h")
    amount, unit = int(found[1]), found[2]
    return timedelta(days=amount) if unit == "d" else timedelta(hours=amount)


def replay_command(
    alarm_id: Annotated[str, typer.Argument(help="The alarm id")],
) -> None:
    """Decide an alarm again from what its verdict was decided on (the policy kept by its
    hash, the video stored for it): the same verdict, or what differs and why."""
    from agent.hindsight import replay

    try:
        desk = _desk()
        alarm = desk.get(alarm_id)
        again = replay(
            desk.settings, desk.store, alarm.camera, alarm.time, alarm.verdict, datetime.now(UTC)
        )
    except VigilError as exc:
        fail(exc)
    if again.same:
        console.print(f"the same verdict: {escape(again.again.rationale)}", highlight=False)
        return
    for line in again.differences:
        console.print(f"differs: {escape(line)}", highlight=False, soft_wrap=True)
    for line in again.why or ["the policy and the video it read are as they were"]:
        console.print(f"why: {escape(line)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def summary_command(
    from_: Annotated[
        str | None, typer.Option("--from", help='Shift start: "19:00" or ISO-8601 (site zone)')
    ] = None,
    to: Annotated[
        str | None, typer.Option(help='Shift end: "07:00" or ISO-8601 (default now)')
    ] = None,
    lang: Annotated[str, typer.Option(help="en, nl, fr or es")] = "en",
    camera: Annotated[list[str] | None, typer.Option(help="Only these cameras")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    report: Annotated[
        bool,
        typer.Option(help="Draft it as a report in the site's language, to export (vigil report)"),
    ] = False,
    as_user: AsOption = None,
) -> None:
    """What happened in a shift, per camera: alarms with verdicts and reviews, activity
    by hour, the longest stays and every vehicle; each line cites its frames. --report
    drafts it as an incident report: `vigil report export ID --format pdf|html|json`."""
    from dataclasses import asdict

    from vigil.policies import parse_at
    from vigil.summary import shift_summary

    if report and (to is None or as_json or lang != "en"):
        fail(
            "--report drafts the report of a shift that has ended (give --to), in the site's "
            "language; --lang and --json are for the printed summary"
        )
    try:
        ctx = context()
        tz, now = ctx.settings.tz, datetime.now(UTC)
        end = parse_at(to, tz, now) if to else now
        if end > now:
            end -= timedelta(days=1)
        start = parse_at(from_, tz, now) if from_ else end - timedelta(hours=12)
        while start >= end:
            start -= timedelta(days=1)
        if lang not in ("en", "nl", "fr", "es"):
            raise typer.BadParameter("--lang is en, nl, fr or es")
        if report:
            user = acting_user(as_user)
            record, new = services().shift_report(user, start, end, camera or None)
        else:
            summary = shift_summary(ctx.settings, ctx.store, start, end, lang, camera or None)
    except VigilError as exc:
        fail(exc)
    if report:
        said = "drafted" if new else "exists"
        console.print(f"{said} {record.id}: {escape(record.report.title)}", highlight=False)
        console.print(f"export: vigil report export {record.id} --format pdf", highlight=False)
        return
    if as_json:
        console.print_json(json.dumps(asdict(summary), default=str))
        return
    console.print(f"{show_time(start, tz)} - {show_time(end, tz)}", highlight=False, soft_wrap=True)
    for shift in summary.cameras:
        console.print(f"\n[bold]{escape(shift.camera)}[/]")
        for line in shift.alarms:
            cited = f" [{', '.join(line.frames)}]" if line.frames else ""
            console.print(f"  {escape(line.text)}{escape(cited)}", highlight=False, soft_wrap=True)
        hours = [
            f"{h} {p}/{shift.vehicles_by_hour[h]}"
            for h, p in shift.people_by_hour.items()
            if p or shift.vehicles_by_hour[h]
        ]
        console.print(f"  people/vehicles by hour: {', '.join(hours) or '-'}", highlight=False)
        for line in shift.notable:
            cited = f" [{', '.join(line.frames)}]" if line.frames else ""
            console.print(f"  {escape(line.text)}{escape(cited)}", highlight=False, soft_wrap=True)
