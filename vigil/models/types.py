"""What `vigil models` says of each model role."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelInfo:
    """What `vigil models` prints for one role."""

    role: str
    name: str
    source: str
    licence: str
    size_bytes: int | None
