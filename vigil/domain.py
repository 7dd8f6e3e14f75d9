"""Domain objects shared by the CLI, the tools and the web API (frozen: they are facts)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class KeyframeRecord(BaseModel):
    """A stored keyframe with where and when it was seen and what is in it."""

    model_config = ConfigDict(frozen=True)

    id: str
    camera: str
    video_id: int
    source: str
    source_sha256: str
    frame_index: int
    offset_s: float
    utc: datetime
    reason: str
    thumbnail: str
    caption: str
    detections: list[dict]
    labels: list[str]
