"""Questions to the agent run in worker threads whose lifetime the web layer controls.

A streaming response over a generator that holds the model was the cause of a freeze: a
client that left mid-answer left the generator suspended, the model lock held, and every
later question waiting forever. Here each question runs in its own thread and hands its
events to the response through a queue; when the response ends for any reason (finished,
client gone, server stopping) the question is cancelled, and llama.cpp stops within a
graph node. The server's shutdown cancels and joins every question still running.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import closing

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from agent.chat import AgentEvent, ChatAgent
from vigil.errors import Cancelled, ModelBusyError, StateError

log = logging.getLogger(__name__)
_END = object()


def sse(event: AgentEvent) -> str:
    """One server-sent event."""
    return f"event: {event.kind}\ndata: {json.dumps(event.json_data(), ensure_ascii=False)}\n\n"


class QuestionRun:
    """One question answered in a worker thread; its events are read asynchronously."""

    def __init__(
        self,
        agent: ChatAgent,
        question: str,
        conversation_id: str | None,
        wait_s: float,
        asker: str | None,
    ) -> None:
        self.cancel = threading.Event()
        self.finished = threading.Event()
        self.asker = asker
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue = asyncio.Queue()
        self._args = (agent, question, conversation_id, wait_s)
        self.thread = threading.Thread(target=self._work, name="chat-question", daemon=True)

    def start(self) -> QuestionRun:
        self.thread.start()
        return self

    def _put(self, item: object) -> None:
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)
        except RuntimeError:  # the event loop is gone: nobody reads any more
            self.cancel.set()

    def _work(self) -> None:
        agent, question, conversation_id, wait_s = self._args
        events = agent.ask(
            question, conversation_id, cancel=self.cancel, wait_s=wait_s, asker=self.asker
        )
        try:
            with closing(events):  # leaving the loop early releases the model at once
                for event in events:
                    if self.cancel.is_set():
                        break
                    self._put(event)
        except Cancelled:
            log.info("question stopped: the client left or the server is stopping")
        except ModelBusyError as exc:
            self._put(exc)
        except Exception:  # a bug must end this answer, not the server
            log.exception("chat question failed")
            self._put(AgentEvent("error", {"message": "internal error; see the server log"}))
        finally:
            self.finished.set()
            self._put(_END)

    async def first(self) -> AgentEvent | ModelBusyError | None:
        """The first event (after the model was free), a busy error, or None if it ended."""
        item = await self._queue.get()
        return None if item is _END else item

    async def stream(self, first: AgentEvent) -> AsyncIterator[str]:
        """Server-sent events, ``first`` included; leaving early cancels the question."""
        try:
            yield sse(first)
            while (item := await self._queue.get()) is not _END:
                yield sse(item)
        finally:
            self.cancel.set()


class QuestionResponse(StreamingResponse):
    """The events of one run as server-sent events; however the response ends (done, the
    client gone, the server stopping), its question is cancelled."""

    def __init__(self, run: QuestionRun, first: AgentEvent) -> None:
        super().__init__(run.stream(first), media_type="text/event-stream")
        self.run = run

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.run.cancel.set()


class QuestionRuns:
    """Every question the server is answering, so that stopping the server stops them."""

    def __init__(self) -> None:
        self._runs: set[QuestionRun] = set()
        self._lock = threading.Lock()

    def start(
        self,
        agent: ChatAgent,
        question: str,
        conversation_id: str | None,
        wait_s: float,
        asker: str | None = None,
    ) -> QuestionRun:
        """Answer a question in a thread of its own; StateError while ``asker`` has one
        being answered still (one question at a time per person)."""
        run = QuestionRun(agent, question, conversation_id, wait_s, asker)
        with self._lock:
            self._runs = {r for r in self._runs if not r.finished.is_set()}
            answering = (r for r in self._runs if not r.cancel.is_set())
            if asker is not None and any(r.asker == asker for r in answering):
                raise StateError(
                    "your previous question is still being answered: wait for its answer"
                )
            self._runs.add(run)
        return run.start()

    def stop_all(self, timeout_s: float = 10.0) -> None:
        """Cancel every running question and wait (bounded) for its thread to end."""
        with self._lock:
            runs = list(self._runs)
        for run in runs:
            run.cancel.set()
        for run in runs:
            run.thread.join(timeout_s)
