"""Verdicts out: each stored verdict goes to whoever asked, as the API shows it.

A verdict message is the alarm record exactly as ``GET /api/alarms/{id}`` returns it (times
in the site's zone). Senders are called by the worker after the verdict is committed; a
sender that fails is logged and never undoes or delays another's delivery.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable

import httpx

from vigil.domain import AlarmRecord
from vigil.errors import ConfigError
from vigil.signing import signed_headers

log = logging.getLogger(__name__)
VerdictSender = Callable[[AlarmRecord], None]
CALLBACK_ATTEMPTS = 3
CALLBACK_TIMEOUT_S = 5.0


def verdict_message(record: AlarmRecord) -> bytes:
    """The alarm record as JSON bytes, as the API shows it."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False).encode()


class SignedCallbacks:
    """POSTs each verdict to the URL of the alarm's source, signed like intake requests
    (X-Vigil-Source, X-Vigil-Timestamp, X-Vigil-Signature with the source's secret), so the
    source can tell Vigil's answer from a forgery. Retried with backoff on errors and 5xx."""

    def __init__(
        self,
        urls: dict[str, str],
        secrets: dict[str, str],
        post: Callable[..., httpx.Response] = httpx.post,
        pause: Callable[[float], None] = time.sleep,
    ) -> None:
        unsigned = sorted(set(urls) - set(secrets))
        if unsigned:
            raise ConfigError(
                f"alarm callbacks for {', '.join(unsigned)} need a secret in alarm_sources"
            )
        self.urls = urls
        self.secrets = secrets
        self.post = post
        self.pause = pause

    def __call__(self, record: AlarmRecord) -> None:
        url = self.urls.get(record.source)
        if url is None:
            return
        body = verdict_message(record)
        for attempt in range(1, CALLBACK_ATTEMPTS + 1):
            headers = signed_headers(record.source, self.secrets[record.source], time.time(), body)
            try:
                answer = self.post(
                    url,
                    content=body,
                    headers={**headers, "Content-Type": "application/json"},
                    timeout=CALLBACK_TIMEOUT_S,
                )
                if answer.status_code < 500:
                    if answer.status_code >= 400:
                        log.warning(
                            "callback for alarm %s refused by %s: %d",
                            record.id,
                            url,
                            answer.status_code,
                        )
                    return
                why = f"HTTP {answer.status_code}"
            except httpx.HTTPError as exc:
                why = str(exc) or type(exc).__name__
            log.warning(
                "callback for alarm %s to %s failed (attempt %d): %s", record.id, url, attempt, why
            )
            if attempt < CALLBACK_ATTEMPTS:
                self.pause(2.0 ** (attempt - 1))


class InBackground:
    """A sender run on a thread of its own, so that a slow or absent receiver never holds
    up verification. Deliveries still pending when the process ends are lost (logged by
    nobody): the verdict itself is stored and can be fetched."""

    def __init__(self, send: VerdictSender, name: str = "verdict-sender") -> None:
        self.send = send
        self.pending: queue.Queue[AlarmRecord] = queue.Queue()
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def __call__(self, record: AlarmRecord) -> None:
        self.pending.put(record)

    def join(self) -> None:
        """Wait until everything handed over so far has been sent."""
        self.pending.join()

    def _run(self) -> None:
        while True:
            record = self.pending.get()
            try:
                self.send(record)
            except Exception:  # a bug in a sender: logged, the next verdict still goes out
                log.exception("sending the verdict of alarm %s failed", record.id)
            finally:
                self.pending.task_done()
