"""`vigil watch`: the site's live streams, recorded and analysed as they arrive."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta
from typing import Annotated

import typer

from cli.common import context, err_console, fail
from vigil.errors import VigilError


def _streams(given: list[str] | None, policy_file) -> list:
    """CAMERA=URL options, else the policy's cameras that have a ``stream``."""
    from vigil.inputs import validate_camera_name
    from vigil.live import LiveStream
    from vigil.policies import load_policy

    if given:
        streams = []
        for item in given:
            camera, sep, url = item.partition("=")
            if not sep or not url:
                raise VigilError(f"--stream takes CAMERA=URL, not {item!r}")
            validate_camera_name(camera)
            streams.append(LiveStream(camera, url))
        return streams
    if policy_file is None:
        raise VigilError("name streams with --stream CAMERA=URL or set VIGIL_POLICY_FILE")
    policy = load_policy(policy_file)
    return [LiveStream(name, c.stream) for name, c in policy.cameras.items() if c.stream]


def watch_command(
    stream: Annotated[
        list[str] | None,
        typer.Option(help="CAMERA=URL (rtsp://, http://, ...); default: the policy's streams"),
    ] = None,
    segment_s: Annotated[
        float | None, typer.Option(help="seconds per segment (default: settings)")
    ] = None,
    keep_hours: Annotated[
        float | None, typer.Option(help="hours of segments kept (default: settings)")
    ] = None,
    ray_address: Annotated[
        str | None,
        typer.Option("--ray", help="One actor per camera on this Ray cluster ('auto')"),
    ] = None,
) -> None:
    """Watch live cameras: record each stream in segments and analyse every segment as it
    closes (keyframes, detections, tracks, captions), until Ctrl-C. A dropped stream is
    reopened and each drop is reported."""
    from agent.raising import RuleWatch
    from agent.services import services_of
    from vigil.ingest import Ingestor
    from vigil.live import LiveWatcher
    from vigil.settings import get_settings

    try:
        settings = get_settings()
        streams = _streams(stream, settings.policy_file)  # checked before anything opens
        segment_s = segment_s or settings.live_segment_s
        keep = timedelta(hours=keep_hours or settings.live_keep_hours)
        if ray_address or settings.ray_address:
            _watch_on_ray(settings, ray_address or settings.ray_address, streams, segment_s, keep)
            return
        ctx = context()
        desk = services_of(ctx).desk  # None without a site policy
        rules = RuleWatch(desk) if desk is not None else None
        watcher = LiveWatcher(
            Ingestor(ctx.settings, ctx.store, ctx.models),
            streams,
            segment_s,
            keep,
            on_analysed=rules.after_segment if rules is not None else None,
        )
        watcher.catch_up()  # what a watch that stopped or died left behind
    except VigilError as exc:
        fail(exc)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    live_log = logging.getLogger("vigil.live")
    live_log.addHandler(handler)
    live_log.setLevel(logging.INFO)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    cameras = ", ".join(r.stream.camera for r in watcher.recorders)
    err_console.print(f"watching {cameras}; Ctrl-C stops (closed segments are analysed first)")
    try:
        watcher.run(stop)
    except KeyboardInterrupt:
        stop.set()
        watcher.run(stop)  # drain: the recorders stop, their last segments are analysed
    err_console.print(f"stopped: {watcher.analysed} segments analysed")


def _watch_on_ray(settings, address: str, streams, segment_s: float, keep: timedelta) -> None:
    """`watch` with one actor per camera on a Ray cluster, until Ctrl-C or SIGTERM."""
    import ray

    from vigil.distributed import camera_actor, check_shared, connect, portable

    check_shared(settings)
    connect(address)
    values = portable(settings)
    actors = {
        s.camera: camera_actor(values, s.camera, s.url, segment_s, keep.total_seconds())
        for s in streams
    }
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    err_console.print(f"watching {', '.join(actors)} on the Ray cluster at {address}; Ctrl-C stops")
    try:
        while not stop.wait(30):
            counts = ray.get([a.analysed.remote() for a in actors.values()])
            err_console.print(
                ", ".join(f"{c}: {n} segments" for c, n in zip(actors, counts, strict=True))
            )
    except KeyboardInterrupt:
        pass
    done = ray.get([a.stop.remote() for a in actors.values()])
    err_console.print(f"stopped: {sum(done)} segments analysed since the actors last started")
