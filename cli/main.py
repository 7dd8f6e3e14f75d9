"""The whole `vigil` CLI, composed explicitly: every command and where it comes from."""

from __future__ import annotations

import typer

from cli import agent, alarms, core, live, policy, reports, search, web
from cli.common import run_app, take_handed_in

app = typer.Typer(
    help="Vigil: searchable, explainable video for security control rooms.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.callback()(take_handed_in)
eval_app = typer.Typer(help="Measure quality on the bundled sample data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
db_app = typer.Typer(help="The SQL schema: migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
alarms_app = typer.Typer(help="Alarms: list, show, review, send a test.", no_args_is_help=True)
app.add_typer(alarms_app, name="alarms")
policy_app = typer.Typer(
    help="Site policies: check, explain, schema, draft, what-if.", no_args_is_help=True
)
app.add_typer(policy_app, name="policy")
rules_app = typer.Typer(help="Vigil's own alarms from a policy's rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

users_app = typer.Typer(help="Users and roles: add, passwd, list, remove.", no_args_is_help=True)
app.add_typer(users_app, name="users")
keys_app = typer.Typer(help="The site's key that signs evidence packages.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
report_app = typer.Typer(
    help="Incident reports: draft, edit, submit, approve, export, package.", no_args_is_help=True
)
app.add_typer(report_app, name="report")
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")

app.command("ingest")(core.ingest)
app.command("status")(core.status)
app.command("frames")(core.frames)
app.command("tracks")(core.tracks)
app.command("doctor")(core.doctor)
app.command("backup")(core.backup_command)
app.command("restore")(core.restore_command)
app.command("models")(core.models)
app.command("search")(search.search_command)
app.command("ask")(agent.ask_command)
app.command("serve")(web.serve_command)
app.command("mcp")(web.mcp_command)
app.command("watch")(live.watch_command)
app.command("summary")(alarms.summary_command)
eval_app.command("retrieval")(search.eval_retrieval_command)
eval_app.command("moments")(search.eval_moments_command)
eval_app.command("qa")(agent.eval_qa_command)
eval_app.command("alarms")(alarms.eval_alarms_command)
db_app.command("upgrade")(core.db_upgrade)
alarms_app.command("list")(alarms.list_command)
alarms_app.command("show")(alarms.show_command)
alarms_app.command("review")(alarms.review_command)
alarms_app.command("send-test")(alarms.send_test_command)
alarms_app.command("stats")(alarms.stats_command)
alarms_app.command("replay")(alarms.replay_command)
policy_app.command("check")(policy.check_command)
policy_app.command("explain")(policy.explain_command)
policy_app.command("schema")(policy.schema_command)
policy_app.command("draft")(policy.draft_command)
policy_app.command("whatif")(policy.whatif_command)
rules_app.command("test")(policy.rules_test_command)
users_app.command("add")(reports.users_add_command)
users_app.command("passwd")(reports.users_passwd_command)
users_app.command("list")(reports.users_list_command)
users_app.command("remove")(reports.users_remove_command)
users_app.command("token")(reports.users_token_command)
keys_app.command("init")(reports.keys_init_command)
report_app.command("draft")(reports.report_draft_command)
report_app.command("list")(reports.report_list_command)
report_app.command("show")(reports.report_show_command)
report_app.command("edit")(reports.report_edit_command)
report_app.command("submit")(reports.report_submit_command)
report_app.command("approve")(reports.report_approve_command)
report_app.command("return")(reports.report_return_command)
report_app.command("export")(reports.report_export_command)
report_app.command("package")(reports.report_package_command)
report_app.command("schema")(reports.report_schema_command)
app.command("verify")(reports.verify_command)
audit_app.command("verify")(reports.audit_verify_command)
audit_app.command("checkpoint")(reports.audit_checkpoint_command)
audit_app.command("list")(reports.audit_list_command)
audit_app.command("prune")(reports.audit_prune_command)


def main() -> None:
    """The `vigil` console script."""
    run_app(app)


if __name__ == "__main__":
    main()
