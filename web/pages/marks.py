"""What an evidence frame is shown with: the boxes of the people and vehicles it speaks of
and the outline of the rule's zone, drawn over its thumbnail as SVG in frame pixels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from vigil.domain import SUBJECT_CLASSES, AlarmRecord, IncidentReport
from vigil.policies import SitePolicy
from vigil.store import Store


@dataclass(frozen=True)
class FrameMarks:
    width: int
    height: int
    boxes: list[tuple[int, int, int, int]]  # x, y, width, height
    zones: list[str]  # SVG polygon points


def frame_marks(
    store: Store,
    frame_ids: Iterable[str],
    boxes: Mapping[str, Sequence[Sequence[int]]] | None = None,
    zones: Mapping[str, list[list[tuple[float, float]]]] | None = None,
) -> dict[str, FrameMarks]:
    """Frame id -> its marks. ``boxes`` per frame (a verdict's: what decided it), else the
    people and vehicles the frame's detector saw; ``zones`` per camera, as shares of the
    frame (a site policy's polygons)."""
    frames = store.keyframes.get_many(list(frame_ids))
    sizes = store.videos.frame_sizes({f.video_id for f in frames.values()})
    marks: dict[str, FrameMarks] = {}
    for frame_id, frame in frames.items():
        if frame.video_id not in sizes:
            continue
        width, height = sizes[frame.video_id]
        given = (boxes or {}).get(frame_id)
        corners = (
            [list(b) for b in given]
            if given is not None
            else [d.box.as_list() for d in frame.detections if d.cls in SUBJECT_CLASSES]
        )
        polygons = (zones or {}).get(frame.camera, [])
        marks[frame_id] = FrameMarks(
            width,
            height,
            [(x1, y1, max(1, x2 - x1), max(1, y2 - y1)) for x1, y1, x2, y2 in corners],
            [" ".join(f"{x * width:.0f},{y * height:.0f}" for x, y in p) for p in polygons],
        )
    return marks


def alarm_marks(store: Store, policy: SitePolicy | None, alarm: AlarmRecord) -> dict:
    """The marks of an alarm's evidence frames: the verdict's boxes and the zones of the
    rules it rests on (or the zone the alarm names)."""
    if alarm.verdict is None:
        return {}
    named = {alarm.camera: alarm.zone} if alarm.zone else None
    zones = policy.zones_of(alarm.verdict.decided_by, named) if policy is not None else {}
    return frame_marks(
        store, [e.frame_id for e in alarm.verdict.evidence], alarm.verdict.boxes, zones
    )


def report_marks(store: Store, policy: SitePolicy | None, report: IncidentReport) -> dict:
    """The marks of a report's evidence frames: the people and vehicles each shows and
    the zones of the clauses that hold (else of every clause it cites)."""
    cited = report.policy_clauses
    rules = [c.id for c in cited if c.holds] or [c.id for c in cited]
    zones = policy.zones_of(rules) if policy is not None else {}
    return frame_marks(store, [e.frame_id for e in report.evidence], zones=zones)
