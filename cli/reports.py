"""`vigil users`, `vigil keys`, `vigil report`, `vigil verify` and `vigil audit`: people,
the signing key, incident reports and their exports, and the tamper-evident log.

A command acts as ``--as USER`` (that user's role applies) or, without it, as the local
account at the server's shell with the admin role: whoever has that shell has the data dir.
"""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cli.common import context, fail, local_actor, services
from vigil.domain import IncidentRecord, IncidentReport, UserRecord
from vigil.errors import InvalidInputError, NotFoundError, VigilError

console = Console()
AsOption = Annotated[
    str | None, typer.Option("--as", help="Act as this Vigil user (default: the local admin)")
]


def acting_user(as_user: str | None) -> UserRecord:
    """Who acts: the user named, or the local account at the server's shell as an admin
    who sees every camera."""
    if as_user is None:
        now = datetime.now(UTC)
        return UserRecord(name=local_actor(), role="admin", created=now, password_changed=now)
    user = context().store.users.get(as_user)
    if user is None:
        raise NotFoundError(f"no user {as_user!r} (vigil users list)")
    return user


def _actor(as_user: str | None) -> tuple[str, str]:
    """(name, role) of who acts."""
    user = acting_user(as_user)
    return user.name, user.role


def _password(prompt: str) -> str:
    first = getpass.getpass(f"{prompt}: ")
    if getpass.getpass("again: ") != first:
        raise InvalidInputError("the two passwords differ")
    return first


# -- users ---------------------------------------------------------------------------------
def users_add_command(
    name: Annotated[str, typer.Argument(help="Sign-in name (lower case)")],
    role: Annotated[str, typer.Option(help="operator, supervisor or admin")] = "operator",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin")
    ] = False,
    camera: Annotated[
        list[str] | None, typer.Option(help="Limit the user to this camera (repeatable)")
    ] = None,
    if_missing: Annotated[
        bool, typer.Option("--if-missing", help="Do nothing if the user exists (scripts)")
    ] = False,
) -> None:
    """Add a user with a role; the password is asked for (or read from stdin)."""
    if if_missing and context().store.users.get(name) is not None:
        console.print(f"{name} exists already", highlight=False)
        return
    try:
        by, _ = _actor(None)
        password = input() if password_stdin else _password("password")
        if camera:
            context().store.videos.check_cameras(camera)
        user = context().store.users.add(name, role, password, by, camera or None)
    except VigilError as exc:
        fail(exc)
    console.print(f"added {user.name} ({user.role})", highlight=False)


def users_passwd_command(
    name: Annotated[str, typer.Argument(help="Sign-in name")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Set a user's password."""
    try:
        by, _ = _actor(None)
        password = input() if password_stdin else _password("new password")
        context().store.users.set_password(name, password, by)
    except VigilError as exc:
        fail(exc)
    console.print(f"password of {name} changed", highlight=False)


def users_remove_command(name: Annotated[str, typer.Argument(help="Sign-in name")]) -> None:
    """Remove a user (their sign-ins stop working; their audit entries stay)."""
    try:
        context().store.users.remove(name, _actor(None)[0])
    except VigilError as exc:
        fail(exc)
    console.print(f"removed {name}", highlight=False)


def users_list_command() -> None:
    """Users, their roles and cameras."""
    tz = context().settings.tz
    for user in context().store.users.list():
        cameras = ", ".join(user.cameras) if user.cameras is not None else "every camera"
        console.print(
            f"{user.name:<20} {user.role:<11} since {user.created.astimezone(tz):%Y-%m-%d}  "
            f"{cameras}",
            highlight=False,
        )


def users_token_command(
    name: Annotated[str, typer.Argument(help="The user an integration acts as")],
    days: Annotated[int, typer.Option(min=1, max=730, help="Days the token is valid")] = 90,
) -> None:
    """An API token for an integration (Authorization: Bearer ...), valid for --days; it
    acts with the user's role and cameras, and stops working when the user is removed."""
    from vigil.sessions import issue_token

    ctx = context()
    user = ctx.store.users.get(name)
    if user is None:
        fail(f"no user {name!r}")
    token, _ = issue_token(
        ctx.settings, ctx.store, user, days * 86400, local_actor(), "user.token", {"days": days}
    )
    print(token)


# -- keys ----------------------------------------------------------------------------------
def keys_init_command(
    replace: Annotated[bool, typer.Option(help="Replace an existing key pair")] = False,
    if_missing: Annotated[
        bool, typer.Option("--if-missing", help="Do nothing if the site has a key (scripts)")
    ] = False,
) -> None:
    """Make the site's Ed25519 key pair that signs evidence packages."""
    from vigil.keys import PRIVATE, PUBLIC, fingerprint, init_keys

    ctx = context()
    if if_missing and (ctx.settings.keys_dir / PRIVATE).is_file():
        console.print(f"the site has a signing key: {ctx.settings.keys_dir / PUBLIC}")
        return
    try:
        public = init_keys(ctx.settings.keys_dir, replace)
    except VigilError as exc:
        fail(exc)
    ctx.store.audit.record(
        _actor(None)[0], "keys.init", "keys", {"fingerprint": fingerprint(public)}
    )
    console.print(f"public key: {ctx.settings.keys_dir / PUBLIC}", highlight=False)
    console.print(f"fingerprint: {fingerprint(public)}", highlight=False)


# -- reports -------------------------------------------------------------------------------
def _line(r: IncidentRecord, tz) -> str:
    flags = f"  {len(r.report.flags)} flag(s)" if r.report.flags else ""
    return (
        f"{r.id}  {r.created.astimezone(tz):%Y-%m-%d %H:%M}  {r.status:<9} v{r.version:<3} "
        f"{escape(r.report.title)}{flags}"
    )


def report_draft_command(
    alarm: Annotated[str | None, typer.Option(help="From a verified alarm's id")] = None,
    conversation: Annotated[str | None, typer.Option(help="From a chat answer")] = None,
    turn: Annotated[int, typer.Option(help="The answer's turn in the conversation")] = 1,
    frames: Annotated[
        list[str] | None, typer.Option("--frame", help="From search moments (frame ids)")
    ] = None,
    title: Annotated[str, typer.Option(help="Title, for moments")] = "Incident",
    narrate: Annotated[bool, typer.Option(help="Let the local LLM write the description")] = False,
    as_user: AsOption = None,
) -> None:
    """Draft an incident report from a verdict, a chat answer or search moments."""
    if sum(x is not None for x in (alarm, conversation, frames)) != 1:
        fail("give exactly one of --alarm, --conversation or --frame")
    try:
        user = acting_user(as_user)
        record, new = services().draft_incident(
            user, alarm_id=alarm, conversation_id=conversation, turn=turn, frame_ids=frames,
            title=title,
        )  # fmt: skip
        if narrate:
            llm = context().models.llm
            record = services().drafter.narrate(llm, record.id, user.name, user.role)
    except VigilError as exc:
        fail(exc)
    console.print(("drafted " if new else "exists ") + _line(record, context().settings.tz))
    for flag in record.report.flags:
        console.print(f"  check: {escape(flag)}", highlight=False)


def report_list_command(
    status: Annotated[str | None, typer.Option(help="draft, edited, submitted, approved")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """Incidents, newest first."""
    ctx = context()
    for record in ctx.store.reports.list(status, limit):
        console.print(_line(record, ctx.settings.tz), highlight=False, soft_wrap=True)


def report_show_command(
    incident_id: Annotated[str, typer.Argument(help="The incident id")],
    version: Annotated[int | None, typer.Option(help="An earlier version")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON, to edit")] = False,
) -> None:
    """One report: as Markdown, or its JSON (which `report edit --file` takes back)."""
    try:
        ctx = context()
        record = ctx.store.reports.get(incident_id, version)
        if as_json:
            print(record.report.model_dump_json(indent=2))
            return
        for entry in record.history:
            console.print(
                f"v{entry.version} {entry.status:<9} {entry.author:<16} "
                f"{entry.at.astimezone(ctx.settings.tz):%Y-%m-%d %H:%M}  {escape(entry.note)}",
                highlight=False,
            )
        print(
            services()
            .exporter.export(incident_id, "md", *_actor(None), version=version)
            .data.decode()
        )
    except VigilError as exc:
        fail(exc)


def _step(action: str, help_text: str):
    def command(
        incident_id: Annotated[str, typer.Argument(help="The incident id")],
        note: Annotated[str, typer.Option(help="Why (kept with the version)")] = "",
        as_user: AsOption = None,
    ) -> None:
        try:
            by, role = _actor(as_user)
            record = context().store.reports.change(incident_id, action, by, role, note=note)
        except VigilError as exc:
            fail(exc)
        console.print(_line(record, context().settings.tz), highlight=False)

    command.__doc__ = help_text
    return command


report_submit_command = _step("submit", "Submit a report for a supervisor's approval.")
report_approve_command = _step("approve", "Approve a submitted report (supervisor).")
report_return_command = _step("return", "Return a submitted report for more work (supervisor).")


def report_edit_command(
    incident_id: Annotated[str, typer.Argument(help="The incident id")],
    file: Annotated[
        Path | None, typer.Option(help="The whole report as JSON (from `report show --json`)")
    ] = None,
    title: Annotated[str | None, typer.Option(help="A new title")] = None,
    action: Annotated[
        list[str] | None, typer.Option("--action", help="Add an action taken (repeatable)")
    ] = None,
    note: Annotated[str, typer.Option(help="Why (kept with the version)")] = "",
    as_user: AsOption = None,
) -> None:
    """Edit a report (a new version); an approved report is amended as a new version."""
    try:
        user = acting_user(as_user)
        current = context().store.reports.get(incident_id)
        report = current.report
        if file is not None:
            report = IncidentReport.model_validate_json(file.read_text())
        if title:
            report = report.model_copy(update={"title": title})
        if action:
            report = report.with_actions_taken(action, user.name)
        record = services().drafter.edit(incident_id, report, user, note, current.version)
    except ValueError as exc:
        fail(f"{file}: not a report ({exc.__class__.__name__}: {str(exc)[:300]})")
    except VigilError as exc:
        fail(exc)
    console.print(_line(record, context().settings.tz), highlight=False)


def report_export_command(
    incident_id: Annotated[str, typer.Argument(help="The incident id")],
    format_: Annotated[str, typer.Option("--format", help="pdf, html, json or md")] = "pdf",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write")] = None,
    version: Annotated[int | None, typer.Option(help="An earlier version")] = None,
    internal: Annotated[
        bool, typer.Option(help="No blurring: for internal recipients (supervisor)")
    ] = False,
    as_user: AsOption = None,
) -> None:
    """Export a report; faces and plates are blurred unless --internal."""
    try:
        by, role = _actor(as_user)
        made = services().exporter.export(incident_id, format_, by, role, not internal, version)
        target = output or Path(made.filename)
        target.write_bytes(made.data)
    except VigilError as exc:
        fail(exc)
    console.print(f"wrote {target} ({len(made.data):,} bytes)", highlight=False)


def report_package_command(
    incident_id: Annotated[str, typer.Argument(help="The incident id")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="The .zip to write")] = None,
    version: Annotated[int | None, typer.Option(help="An earlier version")] = None,
    internal: Annotated[bool, typer.Option(help="No blurring (internal recipients)")] = False,
    as_user: AsOption = None,
) -> None:
    """The signed evidence package: report, frames, clips, audit entries, manifest."""
    try:
        by, role = _actor(as_user)
        target = output or Path(f"incident-{incident_id}-evidence.zip")
        manifest = services().exporter.package(incident_id, target, by, role, not internal, version)
    except VigilError as exc:
        fail(exc)
    console.print(
        f"wrote {target}: {len(manifest.files)} files, signed by {manifest.key.fingerprint}",
        highlight=False,
    )


def report_schema_command(
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """The JSON schema of the report export (vigil/reports/incident-report.schema.json)."""
    from vigil.reports.export import report_schema

    text = json.dumps(report_schema(), indent=2) + "\n"
    if output:
        output.write_text(text)
    else:
        print(text, end="")


def verify_command(
    package: Annotated[Path, typer.Argument(help="An evidence package (.zip)")],
    key: Annotated[
        Path | None, typer.Option(help="The site's public key (PEM) to trust; default: this site's")
    ] = None,
) -> None:
    """Check an evidence package offline: signature and every file; exit 1 if tampered."""
    from vigil.keys import PUBLIC, load_public
    from vigil.reports.package import verify_package

    try:
        if key is None:
            from vigil.settings import get_settings

            site_key = get_settings().keys_dir / PUBLIC
            key = site_key if site_key.is_file() else None
        trusted = load_public(key.read_bytes()) if key else None
        check = verify_package(package, trusted)
    except OSError as exc:
        fail(f"{exc.filename}: {exc.strerror}")
    except VigilError as exc:
        fail(exc)
    if check.files:
        console.print(
            f"incident {check.incident}: {check.files} files, key {check.fingerprint}",
            highlight=False,
        )
    if trusted is None:
        console.print(
            "no trusted key given: the signature proves the files match the manifest, not who "
            "signed it; compare the fingerprint with the site's",
            highlight=False,
        )
    for problem in check.problems:
        console.print(f"[bold red]TAMPERED[/] {escape(problem)}", highlight=False)
    if not check.intact:
        raise typer.Exit(1)
    console.print("[green]intact[/]: every file matches the signed manifest")


# -- audit ---------------------------------------------------------------------------------
def audit_verify_command() -> None:
    """Walk the audit chain and hold it against its signed checkpoints; name every changed,
    removed or reordered entry, and a rewrite or a cut-off tail since a checkpoint (exit 1)."""
    ctx = context()
    report = ctx.store.audit.verify()
    for problem in report.problems:
        console.print(f"[bold red]BROKEN[/] {escape(problem)}", highlight=False)
    if not report.intact:
        raise typer.Exit(1)
    console.print(
        f"[green]intact[/]: entries {report.first_seq}-{report.last_seq} ({report.checked} "
        f"checked, against {report.checkpoints} signed checkpoints)"
    )
    if not report.checkpoints:
        console.print(
            f"no signed checkpoints in {ctx.settings.audit_checkpoint_path}: only the chain "
            "itself vouches for the log, and a database writer could rewrite it whole "
            "(`vigil audit checkpoint`, or run the server)",
            highlight=False,
        )


def audit_checkpoint_command() -> None:
    """Sign the audit chain's head into the checkpoint file (from cron, say): a later
    rewrite or cut of the log up to here is found by `vigil audit verify`."""
    ctx = context()
    try:
        point = ctx.store.audit.checkpoint()
    except VigilError as exc:
        fail(exc)
    console.print(
        f"checkpoint: entry {point.seq} ({point.at}) in {ctx.settings.audit_checkpoint_path}",
        highlight=False,
    )


def audit_list_command(
    subject: Annotated[str | None, typer.Option(help="e.g. incident:ID, alarm:ID")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 100,
) -> None:
    """Audit entries in order, in the site's time zone."""
    ctx = context()
    for e in ctx.store.audit.entries(subject=subject, limit=limit):
        console.print(
            f"{e.seq:>7}  {e.at.astimezone(ctx.settings.tz):%Y-%m-%d %H:%M:%S}  "
            f"{escape(e.actor):<20} {e.action:<16} {escape(e.subject)}  "
            f"{escape(json.dumps(e.detail, ensure_ascii=False))[:160]}",
            highlight=False,
            soft_wrap=True,
        )


def audit_prune_command() -> None:
    """Remove entries older than VIGIL_AUDIT_KEEP_DAYS (at least 183); the rest still verifies."""
    ctx = context()
    removed = ctx.store.audit.prune(timedelta(days=ctx.settings.audit_keep_days), _actor(None)[0])
    console.print(f"removed {removed} entries older than {ctx.settings.audit_keep_days} days")
