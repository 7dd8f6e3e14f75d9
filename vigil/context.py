"""The process-wide settings, store and models, opened once on first use."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from vigil.models import ModelRegistry
from vigil.settings import Settings, get_settings
from vigil.store import Store


@dataclass(frozen=True, eq=False)  # one object per process: identity is its equality
class Context:
    settings: Settings
    store: Store
    models: ModelRegistry


def open_context(settings: Settings | None = None) -> Context:
    """A new context for ``settings`` (default: the process settings)."""
    settings = settings or get_settings()
    return Context(settings, Store(settings), ModelRegistry(settings))


_opening = threading.Lock()
_shared: list[Context] = []


def shared_context() -> Context:
    """The context shared by every command and request of this process, opened once even
    when the first requests arrive together (Chroma's embedded client must not be opened
    twice at the same time)."""
    if not _shared:
        with _opening:
            if not _shared:
                _shared.append(open_context())
    return _shared[0]
