"""`vigil policy`: check a site policy file, explain what is armed when, print its schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cli.common import context, err_console, fail
from vigil.errors import VigilError
from vigil.inputs import printable, show_time
from vigil.policies import PolicyError, armed_rules, load_policy, parse_at, policy_schema

console = Console()
PolicyFile = Annotated[Path, typer.Argument(help="A site policy (YAML)")]


def check_command(path: PolicyFile) -> None:
    """Validate a policy file: every problem with its line, or a summary of what it holds."""
    try:
        policy = load_policy(path)
    except PolicyError as exc:
        for problem in exc.problems:
            err_console.print(f"[bold red]error:[/] {escape(problem.show(str(path)))}")
        raise typer.Exit(2) from None
    except VigilError as exc:
        fail(exc)
    zones = sum(len(c.zones) for c in policy.cameras.values())
    console.print(
        f"{escape(str(path))}: site '{policy.site}' ({escape(policy.name)}), "
        f"{len(policy.cameras)} cameras, {zones} zones, {len(policy.schedules)} schedules, "
        f"{len(policy.rules)} rules: valid",
        highlight=False,
    )


def explain_command(
    path: PolicyFile,
    at: Annotated[
        str, typer.Option(help='When: "Sat 02:00", "14:30" or an ISO-8601 time (site zone)')
    ],
    camera: Annotated[str | None, typer.Option(help="Only this camera's rules")] = None,
) -> None:
    """Say which clauses are armed at a time, and why."""
    try:
        policy = load_policy(path)
        moment = parse_at(at, policy.zone, datetime.now(UTC))
    except VigilError as exc:
        fail(exc)
    name = policy.camera_called(camera) if camera is not None else None
    if camera is not None and name is None:
        fail(f"{path} has no camera called '{printable(camera)}'")
    rows = armed_rules(policy, moment, name)
    console.print(f"at {show_time(moment, policy.zone, seconds=False)} ({moment:%A}):")
    for row in rows:
        mark = "[green]armed[/]   " if row.armed else "[dim]disarmed[/]"
        console.print(
            f"  {mark} {row.rule.id}  {escape(row.rule.title)}  ({escape(row.reason)})",
            highlight=False,
            soft_wrap=True,
        )


def schema_command() -> None:
    """Print the JSON schema of policy files (also published as policies/schema.json)."""
    print(json.dumps(policy_schema(), indent=2))


def draft_command(
    words: Annotated[Path, typer.Argument(help="The site's policy in plain words (a text file)")],
    base: Annotated[
        Path, typer.Option(help="A policy file with the site's cameras, zones and contacts")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the draft (YAML)")],
    force: Annotated[bool, typer.Option(help="Overwrite --out if it exists")] = False,
) -> None:
    """Let the local LLM draft schedules and rules from a policy in plain words. The draft
    is checked like any policy and written for a person to review: it is never armed."""
    from agent.policy_draft import draft_policy

    if out.exists() and not force:
        fail(f"{out} exists: choose another --out or add --force")
    if out.resolve() == base.resolve():
        fail("--out must not be the base policy: a draft never replaces a policy unread")
    try:
        site = load_policy(base)
        text = words.read_text(encoding="utf-8")
        err_console.print(
            f"drafting from {escape(str(words))} with the local model (a minute or two)...",
            soft_wrap=True,
        )
        draft = draft_policy(context().models.llm, site, text, words.name, datetime.now(site.zone))
    except PolicyError as exc:
        fail(f"the base policy is not valid: {exc}")
    except (VigilError, OSError) as exc:
        fail(exc)
    out.write_text(draft.yaml, encoding="utf-8")
    console.print(
        f"{escape(str(out))}: {draft.rules} rules drafted; review every clause before arming it",
        soft_wrap=True,
        highlight=False,
    )
    for problem in draft.problems:
        err_console.print(f"[bold red]error:[/] {escape(problem)}", soft_wrap=True)
    if draft.problems:
        raise typer.Exit(1)


def rules_test_command(
    path: PolicyFile,
    recording: Annotated[Path, typer.Argument(help="A recording of the camera (video file)")],
    camera: Annotated[str, typer.Option(help="The policy's camera the recording is of")],
    start: Annotated[
        str | None,
        typer.Option(help='When it starts: "Sat 02:00" or ISO-8601 (default: the file\'s time)'),
    ] = None,
) -> None:
    """Print the alarms a policy would raise on a recording, with times and clauses: tune a
    policy on recorded footage before arming it (the recording is analysed apart from the
    site's store)."""
    from agent.raising import recording_alarms

    try:
        policy = load_policy(path)
        name = policy.camera_called(camera)
        if name is None:
            fail(f"{path} has no camera called '{printable(camera)}'")
        if not recording.is_file():
            fail(f"no recording at {printable(str(recording))}")
        began = (
            parse_at(start, policy.zone, datetime.now(UTC))
            if start
            else datetime.fromtimestamp(recording.stat().st_mtime, UTC)
        )
        alarms = recording_alarms(policy, name, recording, began, context().models)
    except VigilError as exc:
        fail(exc)
    titles = {r.id: r.title for r in policy.rules}
    console.print(
        f"{escape(recording.name)} as camera {name}, from "
        f"{show_time(began, policy.zone)}: {len(alarms)} alarm(s)",
        highlight=False,
    )
    for alarm in alarms:
        into = (alarm.at - began).total_seconds()
        clauses = "; ".join(f"{i} ({escape(titles[i])})" for i in alarm.rule_ids)
        console.print(
            f"  {show_time(alarm.at, policy.zone)}  +{into:6.1f} s  {alarm.verdict:<12} "
            f"{clauses}  [{len(alarm.tracks)} track(s)]",
            highlight=False,
            soft_wrap=True,
        )


def whatif_command(
    path: PolicyFile,
    since: Annotated[str, typer.Option(help="How far back: 30d, 12h")] = "30d",
) -> None:
    """What a changed policy would have decided on the alarms already verified: each
    verdict that would flip, and how many, before the change is armed."""
    from agent.hindsight import what_if
    from cli.alarms import _span

    try:
        policy = load_policy(path)
        ctx = context()
        alarms = ctx.store.alarms.list(
            status="verified", start=datetime.now(UTC) - _span(since), limit=100_000
        )
        found = what_if(ctx.settings, ctx.store, policy, alarms)
    except VigilError as exc:
        fail(exc)
    console.print(
        f"{found.weighed} verified alarm(s) decided again under {escape(path.name)}: "
        f"{len(found.flips)} would change",
        highlight=False,
    )
    for (was, would), n in sorted(found.by_change().items()):
        console.print(f"  {was} -> {would}: {n}", highlight=False)
    for flip in found.flips:
        console.print(
            f"  {show_time(flip.time, policy.zone)}  {flip.camera:<10} {flip.was} "
            f"({', '.join(flip.was_rules) or '-'}) -> {flip.would_be} "
            f"({', '.join(flip.would_rules) or '-'})  {flip.alarm_id}",
            highlight=False,
            soft_wrap=True,
        )
    for why, n in found.skipped.items():
        console.print(f"  not weighed, {why}: {n}", highlight=False)
