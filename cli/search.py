"""`vigil search`, `vigil eval retrieval` and `vigil eval moments`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

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
from vigil.errors import VigilError

console = Console()


def search_command(
    query: Annotated[str | None, typer.Argument(help="What to look for, in plain words")] = None,
    image: Annotated[Path | None, typer.Option(help="Find frames similar to this image")] = None,
    camera: Annotated[list[str] | None, typer.Option(help="Only these cameras")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="ISO-8601 start")] = None,
    to: Annotated[str | None, typer.Option(help="ISO-8601 end")] = None,
    k: Annotated[int, typer.Option(help="Number of moments")] = 10,
    rerank: Annotated[bool, typer.Option(help="Re-score the top hits (cross-encoder)")] = False,
    object_: Annotated[
        list[str] | None,
        typer.Option("--object", help="Only frames showing this object (COCO name, repeatable)"),
    ] = None,
    min_people: Annotated[int, typer.Option(min=0, help="Only frames with this many people")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Search recorded video by description (any of EN/NL/FR/ES) or by example image."""
    from vigil.inputs import parse_time, printable, show_time
    from vigil.store.keyframes import FactFilter

    try:
        ctx = services()
        tz = ctx.settings.tz
        result = ctx.search.search(
            query=query,
            image=image,
            cameras=camera,
            start=parse_time(from_, tz, "--from"),
            end=parse_time(to, tz, "--to", end_of_day=True),
            k=k,
            rerank=rerank,
            facts=FactFilter(tuple(object_ or ()), min_people),
        )
        ctx.store.audit.record(
            local_actor(),
            "search",
            "search",
            {
                "q": (query or f"image {image}")[:300],
                "cameras": camera,
                "moments": [m.best_keyframe for m in result.moments],
            },
        )
    except VigilError as exc:
        fail(exc)
    if as_json:
        console.print_json(json.dumps(result.model_dump(mode="json")))
        return
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}")
    if not result.moments:
        console.print(result.message or "no results")
        return
    console.print(f"[bold]{len(result.moments)} moments for {result.query!r}[/]")
    thumbs = ctx.store.thumbnails
    for rank, m in enumerate(result.moments, start=1):
        end = m.end.astimezone(tz)
        when = show_time(m.start, tz) + (f" to {end:%H:%M:%S}" if m.end > m.start else "")
        why = ", ".join(f"{name} {value:.2f}" for name, value in m.signals.items())
        if m.matched_words:
            why += f" (words: {' '.join(m.matched_words)})"
        console.print(
            f"{rank:>2}. [bold]{m.camera}[/] {when}  [dim]score {m.score:.4f}[/]", highlight=False
        )
        console.print(f"    {m.caption}", markup=False, highlight=False, soft_wrap=True)
        console.print(
            f"    why: {why}; frame {m.best_keyframe} at {m.offset_s:.1f} s of "
            f"{printable(m.source)}",
            highlight=False,
            soft_wrap=True,
        )
        console.print(
            f"    thumbnail: {thumbs.path_of(m.thumbnail)}", highlight=False, soft_wrap=True
        )


def eval_retrieval_command(
    coco: Annotated[Path, typer.Option(help="COCO captions folder")] = SAMPLE_DATA / "coco_mini",
    limit: Annotated[int | None, typer.Option(help="Use only the first N images")] = None,
) -> None:
    """Text-to-image recall@1/5/10 on COCO captions, per signal, fused, fused + rerank."""
    from vigil.search.evaluate import eval_retrieval

    try:
        report = eval_retrieval(coco, context().models, limit)
    except VigilError as exc:
        fail(exc)
    console.print(f"text-to-image retrieval: {report.queries} captions, {report.images} images")
    console.print(f"{'ranking':<22}{'R@1':>7}{'R@5':>7}{'R@10':>7}")
    for label, row in report.recall.items():
        console.print(f"{label:<22}{row[1]:>7.3f}{row[5]:>7.3f}{row[10]:>7.3f}")
    for signal, why in report.unavailable.items():
        console.print(f"{signal:<22}{'n/a':>7}  {why}")
    best_single = max(report.recall["caption"][1], report.recall["words"][1])
    verdict = "beats" if report.recall["fused rrf"][1] > best_single else "does NOT beat"
    console.print(f"fused (rrf) {verdict} the best single signal at R@1")


PLURALS = {"person": "people", "vehicle": "vehicles"}


def eval_moments_command(
    shared: SharedDataOption = SAMPLE_DATA,
    vtest: VtestOption = SAMPLE_VTEST,
    truth: Annotated[Path, typer.Option(help="Ground-truth moments")] = (
        EVAL_TRUTH / "moments.json"
    ),
) -> None:
    """Moment recall@1 and @5 on the sample clips in English, Dutch, French and Spanish,
    and people and vehicles counted from tracks."""
    from vigil.search.evaluate import eval_moments

    try:
        report = eval_moments(shared, vtest, truth, context().models)
    except VigilError as exc:
        fail(exc)
    console.print("moment recall (hit = overlap within 3 s)   R@1 en/nl/fr/es    R@5 en/nl/fr/es")
    for label, n, recall in (
        ("plain", report.queries, report.recall),
        ("scene-level", report.scene_queries, report.scene_recall),
    ):
        cells = "   ".join(" ".join(f"{recall[k][lang]:.2f}" for lang in recall[k]) for k in recall)
        console.print(f"  {label:<12} {n:>2} queries              {cells}")
    for lang, missed in report.misses.items():
        for query in missed:
            console.print(f"      missed ({lang}): {query}", highlight=False)
    exact = sum(c.counted == c.expected for c in report.counts)
    console.print(f"counts from tracks: {exact}/{len(report.counts)} exact")
    for c in report.counts:
        mark = "ok  " if c.counted == c.expected else "MISS"
        console.print(
            f"  {mark} {c.camera} {PLURALS[c.what]} {c.from_s:g}-{c.to_s:g} s: "
            f"counted {c.counted}, timeline {c.expected}"
        )
