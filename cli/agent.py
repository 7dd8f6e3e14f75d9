"""`vigil ask` and `vigil eval qa`."""

from __future__ import annotations

import json
import logging
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
    local_actor,
    services,
)
from vigil.domain import ChatAnswer
from vigil.inputs import show_time

console = Console()


def ask_command(
    question: Annotated[str, typer.Argument(help="A question about recorded video")],
    conversation: Annotated[
        str | None, typer.Option(help="Continue this conversation (id printed by earlier asks)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the final answer as JSON")] = False,
) -> None:
    """Ask the local assistant: its steps show as they happen, then the checked answer
    and the frames it rests on."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ask = services()
    subject = f"conversation:{conversation or 'new'}"
    ask.store.audit.record(local_actor(), "chat.question", subject, {"q": question[:500]})
    for event in ask.chat.ask(question, conversation):
        if event.kind == "error":
            fail(event.data["message"])
        if as_json:
            if event.kind == "answer":
                console.print_json(json.dumps(event.json_data()))
            continue
        if event.kind == "tool":
            args = ", ".join(f"{k}={v!r}" for k, v in event.data["arguments"].items() if v)
            console.print(f"[dim]→ {event.data['name']}({escape(args)})[/]", highlight=False)
        elif event.kind == "progress" and event.data.get("chars") == 0:
            console.print("[dim]… writing the answer[/]", highlight=False)
        elif event.kind == "answer":
            _print_answer(event.data, ask.settings.tz)


def _print_answer(result: ChatAnswer, tz) -> None:
    """The checked answer, its citations by label, then each cited frame."""
    labels = {fid: label for label, fid in result.labels.items()}
    shown = result.text
    for frame_id, label in labels.items():
        shown = shown.replace(f"[{frame_id}]", f"[{label}]")
    console.print(escape(shown), highlight=False, soft_wrap=True)
    for frame in result.citations:
        console.print(
            escape(
                f"  [{labels.get(frame.frame_id, '?')}] {frame.camera} "
                f"{show_time(frame.time, tz)}  frame {frame.frame_id}  {frame.caption}"
            ),
            highlight=False,
            soft_wrap=True,
        )
    console.print(f"[dim]conversation {result.conversation_id}[/]")


def eval_qa_command(
    shared: SharedDataOption = SAMPLE_DATA,
    vtest: VtestOption = SAMPLE_VTEST,
    questions: Annotated[Path, typer.Option(help="Questions with their truth")] = (
        EVAL_TRUTH / "qa.json"
    ),
    limit: Annotated[int | None, typer.Option(help="Only the first N questions")] = None,
) -> None:
    """Share of questions about the sample clips answered correctly with valid citations."""
    from agent.evaluate import eval_qa
    from vigil.errors import VigilError

    try:
        report = eval_qa(shared, vtest, questions, context().models, limit)
    except VigilError as exc:
        fail(exc)
    for outcome in report.outcomes:
        mark = "[red]MISS[/]"
        if outcome.correct:
            mark = "[green]ok[/]  " if outcome.precise else "[yellow]ok~[/] "
        mark += f" [dim]{outcome.answered_by:<8}[/]"
        console.print(f"{mark} {escape(outcome.question)}", highlight=False)
        console.print(f"      {escape(outcome.answer)}", highlight=False, soft_wrap=True)
        if outcome.why:
            console.print(f"      [dim]{escape(outcome.why)}[/]", highlight=False)
    for key, title in (("language", "by language"), ("answered_by", "by who wrote the answer")):
        rows = ", ".join(
            f"{name} {right}/{asked} right, {precise} precise"
            for name, (right, precise, asked) in report.by(key).items()
        )
        console.print(f"{title}: {rows}", highlight=False)
    model = report.by("answered_by").get("model", (0, 0, 0))
    console.print(
        f"written by the model: {model[2]} of {len(report.outcomes)}; of those, right "
        f"{model[0]}, right with every citation in a true moment {model[1]}"
    )
    console.print(
        f"correct with valid citations: {report.correct}/{len(report.outcomes)} = "
        f"{report.share:.2f} (target 0.8); median answer {report.median_s:.1f} s"
    )
