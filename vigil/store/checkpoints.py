"""The audit chain's signed checkpoints, one JSON line each, in a file outside the
database (`audit_checkpoint_file`). Writers append under a file lock, so checkpoints
written by the server, the CLI and cron follow each other."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

from vigil.audit import Checkpoint


class CheckpointFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> tuple[list[Checkpoint], list[str]]:
        """The checkpoints, oldest first, and a problem for each line that is no checkpoint."""
        if not self.path.is_file():
            return [], []
        points, problems = [], []
        for n, line in enumerate(self.path.read_text().splitlines(), 1):
            if not line.strip():
                continue
            try:
                points.append(Checkpoint.from_line(line))
            except (ValueError, KeyError, TypeError):
                problems.append(f"{self.path.name} line {n} is no checkpoint: it was changed")
        return points, problems

    def append(
        self, make: Callable[[Checkpoint | None], Checkpoint | None]
    ) -> tuple[Checkpoint | None, bool]:
        """Append the checkpoint ``make`` returns given the last one (None: nothing new to
        vouch for), holding the file's lock; written and synced before this returns. The
        newest checkpoint after it, and whether it is new."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o640)
        with os.fdopen(descriptor, "r+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            lines = [line for line in handle.read().splitlines() if line.strip()]
            try:
                last = Checkpoint.from_line(lines[-1]) if lines else None
            except (ValueError, KeyError, TypeError):
                last = None  # a damaged last line: verify names it; the next one starts anew
            point = make(last)
            if point is None:
                return last, False
            handle.write(point.line() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
            return point, True
