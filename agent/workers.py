"""Alarm verification workers and their supervision: a worker is a process of its own
beside the server (or on another machine), claiming alarms from the SQL queue; the server
keeps one running, starting it again whenever it dies."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from multiprocessing.process import BaseProcess

from agent.mqtt import MqttLink
from agent.outcomes import InBackground, SignedCallbacks
from agent.services import services_of
from vigil.context import open_context
from vigil.settings import Settings

log = logging.getLogger(__name__)
PROCESSES = multiprocessing.get_context("spawn")  # no forked copies of threads and models
WORKER_NICENESS = 10
WORKER_POLL_S = 0.1


def start_worker(settings: Settings) -> BaseProcess:
    """Verify the site's queue in a worker process of its own: intake and verification
    then use a core each instead of sharing one interpreter, and the worker runs at a
    lower CPU priority, so a burst of alarms is taken in first and verified after. It
    stops on SIGTERM (after the alarm in hand) or when its parent is gone."""
    worker = PROCESSES.Process(
        target=work_queue, args=(settings, os.getpid()), name="alarm-worker", daemon=True
    )
    worker.start()
    return worker


def keep_worker(settings: Settings, stop: threading.Event, join_s: float) -> None:
    """Run the worker process until ``stop``, starting it again (and saying so) whenever
    it dies: a server that takes alarms nobody verifies would be worse than one that is
    down. Its claimed alarm is queued again by the next worker."""
    pause = 1.0
    worker = start_worker(settings)
    while not stop.wait(1.0):
        if worker.is_alive():
            continue
        log.error("the alarm worker died (exit code %s): starting another", worker.exitcode)
        if stop.wait(pause):
            break
        pause = min(pause * 2, 60.0)
        worker = start_worker(settings)
    worker.terminate()  # it finishes the alarm in hand, then stops
    worker.join(join_s)
    if worker.is_alive():
        worker.kill()


def work_queue(settings: Settings, parent: int) -> None:
    """The worker process: verify alarms until SIGTERM or until the parent is gone; it
    looks for new alarms every ``WORKER_POLL_S`` (the intake's wake-up is in another
    process)."""
    logging.basicConfig(format="%(asctime)s alarm-worker %(levelname)s %(message)s")
    log.setLevel(logging.INFO)
    os.nice(WORKER_NICENESS)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    desk = services_of(open_context(settings)).desk
    if desk is None:
        return
    if settings.alarm_callbacks:
        desk.senders.append(
            InBackground(SignedCallbacks(settings.alarm_callbacks, settings.alarm_sources))
        )
    if settings.mqtt_url:
        desk.senders.append(
            MqttLink(settings, f"vigil-verdicts-{os.getpid()}").start().publish_verdict
        )
    threading.Thread(target=_stop_when_orphaned, args=(parent, stop), daemon=True).start()
    desk.run(stop, WORKER_POLL_S)


def _stop_when_orphaned(parent: int, stop: threading.Event) -> None:
    """A parent killed with SIGKILL cannot stop its worker: the worker notices instead."""
    while not stop.wait(1.0):
        if os.getppid() != parent:
            log.warning("the server is gone: the alarm worker stops")
            stop.set()
            return
