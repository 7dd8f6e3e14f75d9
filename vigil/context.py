"""The process-wide settings, store and models, opened once on first use."""

from __future__ import annotations

from dataclasses import dataclass

from vigil.models import ModelRegistry
from vigil.once import Once
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


_shared: Once[Context] = Once(open_context)


def shared_context() -> Context:
    """The context shared by every command and request of this process, opened once even
    when the first requests arrive together."""
    return _shared.get()
