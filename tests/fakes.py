"""Test doubles: a scripted chat model for driving the agent without weights."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from vigil.errors import Cancelled


class ScriptedModel:
    """A fake chat model: replies from a script, in order; records every prompt it got."""

    name = "scripted"

    def __init__(self, replies: list[str | Exception]) -> None:
        self.replies = list(replies)
        self.prompts: list[list[dict]] = []
        self.schemas: list[dict | None] = []

    def stream(
        self,
        messages: list[dict],
        schema: dict | None = None,
        max_tokens: int = 256,
        cancel: threading.Event | None = None,
    ) -> Iterator[str]:
        self.prompts.append(messages)
        self.schemas.append(schema)
        if not self.replies:
            raise AssertionError("the model was asked more often than scripted")
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        for i in range(0, len(reply), 5):
            if cancel is not None and cancel.is_set():
                raise Cancelled("the model was stopped")
            yield reply[i : i + 5]
