"""Core commands: ingest, status, frames, doctor, models."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from cli.common import context, err_console, fail
from vigil.errors import VigilError
from vigil.inputs import display_name, parse_time, printable, show_time, validate_camera_name

console = Console()


def _context():
    ctx = context()
    return ctx.settings, ctx.store, ctx.models


def _human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Video files (mp4, avi, mkv, gif, ...)")],
    camera: Annotated[str, typer.Option("--camera", "-c", help="Camera name")],
    start: Annotated[
        str | None,
        typer.Option(help="ISO-8601 time of the first frame (site time zone if none given)"),
    ] = None,
    ray_address: Annotated[
        str | None,
        typer.Option("--ray", help="Fan the files out over this Ray cluster ('auto')"),
    ] = None,
) -> None:
    """Ingest video files: keyframes, detections, captions and embeddings into the store."""
    from vigil.ingest import Ingestor
    from vigil.media import probe_video

    results = []
    try:
        from vigil.settings import get_settings

        settings = get_settings()
        validate_camera_name(camera)
        start_utc = parse_time(start, settings.tz, "--start")
        for path in paths:  # every file is checked before any is ingested
            probe_video(path)
        if ray_address or settings.ray_address:
            _ingest_on_ray(settings, ray_address or settings.ray_address, paths, camera, start_utc)
            return
        _, store, models = _context()
        ingestor = Ingestor(settings, store, models)
        t0 = time.perf_counter()
        columns = [
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:>6.1f} frames/s"),
            TimeElapsedColumn(),
        ]
        with Progress(*columns, console=err_console, transient=not sys.stderr.isatty()) as bar:
            for path in paths:
                task = bar.add_task(escape(display_name(path)), total=None, rate=0.0)
                begun = time.perf_counter()

                def report(done: int, total: int, task=task, begun=begun) -> None:
                    rate = done / max(1e-6, time.perf_counter() - begun)
                    bar.update(task, completed=done, total=max(total, done), rate=rate)

                results.append(ingestor.ingest(path, camera, start_utc, progress=report))
    except VigilError as exc:
        for r in results:  # what finished before the error is kept and said
            _print_ingested(r)
        fail(exc)
    elapsed = time.perf_counter() - t0
    for r in results:
        _print_ingested(r)
    added = sum(r.keyframes_added for r in results)
    console.print(
        f"[bold]ingested {len(results)} clip(s) for camera {camera}: "
        f"{added} keyframes in {elapsed:.1f} s[/]"
    )


def _ingest_on_ray(settings, address: str, paths: list[Path], camera: str, start) -> None:
    """`ingest` with the files fanned out over a Ray cluster's CPUs."""
    from types import SimpleNamespace

    import ray

    from vigil.distributed import check_shared, connect, ingest_files

    check_shared(settings)
    connect(address)
    t0 = time.perf_counter()
    cpus = int(ray.cluster_resources().get("CPU", 1))
    done = ingest_files(settings, [(p, camera, start) for p in paths], analysers=cpus)
    results = [SimpleNamespace(**{**d, "path": Path(d["path"])}) for d in done]
    for r in results:
        _print_ingested(r)
    console.print(
        f"[bold]ingested {len(results)} clip(s) for camera {camera} on {cpus} cluster CPUs: "
        f"{sum(r.keyframes_added for r in results)} keyframes in "
        f"{time.perf_counter() - t0:.1f} s[/]"
    )


def _print_ingested(r) -> None:
    """One summary line per ingested file; the file name is escaped (it may hold newlines)."""
    name = display_name(r.path)
    if r.already_ingested:
        line = f"{name}: already ingested for camera {r.camera}, nothing added"
    else:
        resumed = f", {r.keyframes_skipped} kept from an earlier run" if r.keyframes_skipped else ""
        line = (
            f"{name}: {r.keyframes_added} keyframes added{resumed} "
            f"({r.video_seconds:.1f} s of video in {r.seconds:.1f} s, "
            f"{r.video_seconds / max(r.seconds, 1e-6):.1f}x real time)"
        )
    console.print(line, markup=False, highlight=False, soft_wrap=True)


def status() -> None:
    """Cameras, videos, keyframes and store size."""
    try:
        settings, store, _ = _context()
        summaries = store.videos.summaries()
        counts = store.vectors.counts()
        unfinished = store.videos.unfinished()
    except VigilError as exc:
        fail(exc)
    table = Table(title=f"Vigil store at {settings.data_dir}")
    for col in ("camera", "videos", "keyframes", "video time"):
        table.add_column(col, justify="left" if col == "camera" else "right")
    for c in summaries:
        table.add_row(c.name, str(c.videos), str(c.keyframes), f"{c.video_seconds:.1f} s")
    console.print(table)
    size = store.data_bytes(max_age_s=0)
    console.print(f"vectors: {', '.join(f'{k}={v}' for k, v in counts.items()) or 'none'}")
    console.print(
        f"thumbnails: {_human_bytes(store.thumbnails.size_bytes())}; "
        f"data dir total: {_human_bytes(size)}"
        + (f"; chroma server: {settings.chroma_url}" if settings.chroma_url else "")
    )
    for v in unfinished:
        console.print(
            f"[yellow]unfinished:[/] {escape(printable(Path(v.path).name))} (camera {v.camera}): "
            f"ingest {v.state}, {v.keyframes} keyframes kept; run `vigil ingest` on it again "
            "to resume",
            highlight=False,
            soft_wrap=True,
        )


def doctor(
    repair: Annotated[bool, typer.Option(help="Fix what is found (stop ingests first)")] = False,
) -> None:
    """Check that SQL rows, vectors and thumbnails agree; with --repair, fix them."""
    try:
        _, store, _ = _context()
        health = store.check(repair=repair)
    except VigilError as exc:
        fail(exc)
    if not health.problems:
        console.print("store is consistent: nothing to repair")
        return
    for problem in health.problems:
        console.print(f"- {escape(printable(problem))}", highlight=False, soft_wrap=True)
    if repair:
        console.print("repaired; unfinished videos that kept keyframes resume when ingested again")
    else:
        console.print("run `vigil doctor --repair` to fix these")
        raise typer.Exit(1)


def backup_command(
    folder: Annotated[Path, typer.Argument(help="A new or empty folder for the copy")],
) -> None:
    """A consistent copy of the store (SQL rows, vectors, thumbnails, recordings, keys,
    audit checkpoints), taken while Vigil runs."""
    from vigil.store.backup import backup

    try:
        _, store, _ = _context()
        done = backup(store, folder)
    except VigilError as exc:
        fail(exc)
    console.print(
        f"backed up schema {done.revision}: {sum(done.rows.values())} rows, {done.vectors} "
        f"vectors, {done.files} files into {escape(str(folder))}",
        highlight=False,
    )


def restore_command(
    folder: Annotated[Path, typer.Argument(help="A folder `vigil backup` wrote")],
) -> None:
    """Put a backup into this site's empty store (a new data dir, an empty database)."""
    from vigil.settings import get_settings
    from vigil.store.backup import restore

    try:
        done = restore(get_settings(), folder)
    except VigilError as exc:
        fail(exc)
    console.print(
        f"restored schema {done.revision}: {sum(done.rows.values())} rows, {done.vectors} "
        f"vectors, {done.files} files; `vigil audit verify` checks the chain",
        highlight=False,
    )


def frames(
    camera: Annotated[str | None, typer.Option(help="Camera name")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="ISO-8601 start (inclusive)")] = None,
    to: Annotated[str | None, typer.Option(help="ISO-8601 end (inclusive)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100000)] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines")] = False,
) -> None:
    """List stored keyframes with their captions."""

    try:
        settings, store, _ = _context()
        rows = store.keyframes.list(
            camera=camera,
            start=parse_time(from_, settings.tz, "--from"),
            end=parse_time(to, settings.tz, "--to", end_of_day=True),
            limit=limit,
        )
    except VigilError as exc:
        fail(exc)
    print_rows(
        rows,
        as_json,
        lambda r: f"{r.id}  {r.camera:<10} {show_time(r.utc, settings.tz)}  {r.caption}",
    )


def print_rows(rows: list, as_json: bool, line: Callable[[Any], str]) -> None:
    """Listed records: a JSON array, or one line each."""
    if as_json:
        console.print_json(json.dumps([r.model_dump(mode="json") for r in rows]))
        return
    for r in rows:
        console.print(line(r), highlight=False, soft_wrap=True)


def tracks(
    camera: Annotated[str | None, typer.Option(help="Camera name")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="ISO-8601 start (inclusive)")] = None,
    to: Annotated[str | None, typer.Option(help="ISO-8601 end (inclusive)")] = None,
    kind: Annotated[str | None, typer.Option(help="person, vehicle or object")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100000)] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List the people and vehicles tracked through view: when, which sides, how long
    they stood still."""
    try:
        settings, store, _ = _context()
        rows = store.tracks.list(
            cameras=None if camera is None else [camera],
            start=parse_time(from_, settings.tz, "--from"),
            end=parse_time(to, settings.tz, "--to", end_of_day=True),
            cls=kind,
            limit=limit,
        )
    except VigilError as exc:
        fail(exc)

    def line(r) -> str:
        still = f"; still {r.still_s:g} s" if r.still_s else ""
        heading = f", {r.direction}" if r.direction else ""
        return (
            f"{r.camera:<10} {r.cls:<8} #{r.number:<4} {show_time(r.first_utc, settings.tz)} "
            f"({r.seconds:g} s) in {r.entry_side}, out {r.exit_side}{heading}{still}"
        )

    print_rows(rows, as_json, line)
    if as_json:
        return
    console.print(f"{len(rows)} tracks", highlight=False)


def models(
    self_test: Annotated[bool, typer.Option("--self-test/--no-self-test")] = True,
) -> None:
    """Each model role: name, source, licence, size, and a one-line self-test."""
    from vigil.model_check import check_all

    try:
        from vigil.settings import get_settings

        reports = check_all(get_settings(), run_self_test=self_test)
    except VigilError as exc:
        fail(exc)
    table = Table(title="Vigil models")
    for col in ("role", "model", "source", "licence", "size", "self-test"):
        table.add_column(col, overflow="fold")
    for r in reports:
        size = _human_bytes(r.size_bytes) if r.size_bytes else "-"
        table.add_row(r.role, r.name, r.source, r.licence, size, r.result)
    console.print(table)
    if any(r.result.startswith("FAIL") for r in reports):
        raise typer.Exit(1)


def db_upgrade() -> None:
    """Upgrade the SQL schema to this version's newest migration (also done on every start)."""
    from vigil.settings import get_settings
    from vigil.store.sql import Database

    try:
        database = Database(get_settings().sql_url)
    except VigilError as exc:
        fail(exc)
    console.print(f"schema at revision {database.revision}", highlight=False)
