"""Group commit: items from concurrent callers written by one thread, many per transaction.

Each caller blocks until the transaction holding its item has committed, so nothing is
acknowledged before it is durable; under load, one commit (one fsync, one SQLite write
lock) serves everything that arrived while the previous one was being written.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

from vigil.once import Once

Item = TypeVar("Item")
Result = TypeVar("Result")
MAX_BATCH = 256


class GroupCommit(Generic[Item, Result]):
    """Runs ``write(batch) -> results`` (one result per item, same order; an exception as
    an item's result is raised to its caller alone) on a writer thread started on first
    use. ``submit`` gives a future of the item's result."""

    def __init__(
        self,
        write: Callable[[list[Item]], list[Result | BaseException]],
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._write = write
        self._max_batch = max_batch
        self._pending: queue.SimpleQueue[tuple[Item, Future[Result]]] = queue.SimpleQueue()
        self._writer = Once(self._start_writer)

    def submit(self, item: Item) -> Future[Result]:
        done: Future[Result] = Future()
        self._pending.put((item, done))
        self._writer.get()
        return done

    def _start_writer(self) -> threading.Thread:
        writer = threading.Thread(target=self._run, name="group-commit", daemon=True)
        writer.start()
        return writer

    def _run(self) -> None:
        while True:
            batch = [self._pending.get()]
            while len(batch) < self._max_batch:
                try:
                    batch.append(self._pending.get_nowait())
                except queue.Empty:
                    break
            try:
                results = self._write([item for item, _ in batch])
            except BaseException as exc:  # every waiting caller hears it; the writer lives on
                for _, done in batch:
                    done.set_exception(exc)
                continue
            for (_, done), result in zip(batch, results, strict=True):
                if isinstance(result, BaseException):
                    done.set_exception(result)
                else:
                    done.set_result(result)
