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


_opened: list[Context] = []
_lock = threading.Lock()


def shared_context() -> Context:
    """The context of the process settings, shared by every command and request, opened
    once even when the first requests arrive together (and again only if the settings
    are read anew: a test that changes the environment gets the context it describes)."""
    settings = get_settings()
    with _lock:
        if not _opened or _opened[0].settings is not settings:
            _opened[:] = [open_context(settings)]
        return _opened[0]
