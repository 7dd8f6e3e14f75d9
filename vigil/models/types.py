"""Small typed values passed between models and the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ObjectClass = Literal["person", "vehicle", "object"]


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in pixel coordinates of the full frame."""

    x1: int
    y1: int
    x2: int
    y2: int

    @property
    def width(self) -> int:
        return self.x2 - self.x1

    @property
    def height(self) -> int:
        return self.y2 - self.y1

    @property
    def area(self) -> int:
        return max(0, self.width) * max(0, self.height)

    def scaled(self, factor: float) -> Box:
        return Box(*(round(v * factor) for v in (self.x1, self.y1, self.x2, self.y2)))

    def as_list(self) -> list[int]:
        return [self.x1, self.y1, self.x2, self.y2]


@dataclass(frozen=True)
class Detection:
    """One person, vehicle or other object found in a frame."""

    cls: ObjectClass
    box: Box
    score: float
    label: str | None = None  # finer label, e.g. "cardigan" or "sports car"
    colours: dict[str, str] = field(default_factory=dict)  # e.g. {"upper": "grey"}
    carrying: tuple[str, ...] = ()  # objects a person carries, e.g. ("backpack",)
    source: str = "motion"  # motion (a moving region) or objects (NanoDet alone: may be still)
    track: int | None = None  # the track (numbered within its video) this detection is on
    motion: str | None = None  # its track's heading: still, left, right, up, down
    seen_as: str | None = None  # this frame's own class, where its track's vote overruled it
    posture: str | None = None  # from keypoints: standing, sitting, lying, bending, arms raised
    wearing: tuple[str, ...] = ()  # safety wear seen on a person: ("hi-vis vest",)

    @classmethod
    def from_dict(cls, data: dict) -> Detection:
        """A detection as `to_dict` stored it (older rows lack the later fields)."""
        return cls(
            cls=data["cls"],
            box=Box(*data["box"]),
            score=float(data.get("score") or 0.0),
            label=data.get("label"),
            colours=dict(data.get("colours") or {}),
            carrying=tuple(data.get("carrying") or ()),
            source=data.get("source", "motion"),
            track=data.get("track"),
            motion=data.get("motion"),
            seen_as=data.get("seen_as"),
            posture=data.get("posture"),
            wearing=tuple(data.get("wearing") or ()),
        )

    def to_dict(self) -> dict:
        return {
            "cls": self.cls,
            "box": self.box.as_list(),
            "score": round(self.score, 3),
            "label": self.label,
            "colours": dict(self.colours),
            "carrying": list(self.carrying),
            "source": self.source,
            "track": self.track,
            "motion": self.motion,
            "seen_as": self.seen_as,
            "posture": self.posture,
            "wearing": list(self.wearing),
        }


@dataclass(frozen=True)
class ModelInfo:
    """What `vigil models` prints for one role."""

    role: str
    name: str
    source: str
    licence: str
    size_bytes: int | None
