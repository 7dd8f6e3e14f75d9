"""What a question asks for, resolved in code before any search: its time window (time
words in the site zone), the camera it names, and a follow-up rewritten as a standalone
query. The model is only asked for the rewrite."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from vigil.domain import TurnRecord
from vigil.inputs import camera_named_in
from vigil.timewords import resolve_time_window

# "and after that?" in the four site languages: the follow-up's window starts where the
# previous answer's evidence ended
_AFTER_THAT = re.compile(
    r"\b(?:after that|afterwards|then|daarna|erna|toen|ensuite|après (?:ça|cela)|"
    r"puis|después|luego)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Understood:
    """The search a question asks for."""

    query: str
    camera: str | None
    window: dict  # start/end (ISO-8601, site zone, or None), phrases, camera


def understand(
    question: str,
    history: Sequence[TurnRecord],
    now: datetime,
    tz: ZoneInfo,
    cameras: list[str],
    rewrite: Callable[[str, TurnRecord], str],
    frame_time: Callable[[str], datetime],
) -> Understood:
    """Resolve time words and camera names; rewrite a follow-up (``rewrite``) as a query.

    ``frame_time`` gives a cited frame's time, where "and after that?" starts.
    """
    window = resolve_time_window(question, now, tz)
    start, end = window.start, window.end
    query = question
    if history:
        query = rewrite(question, history[-1])
        if _AFTER_THAT.search(question) and history[-1].citations:
            start = max(frame_time(fid) for fid in history[-1].citations) + timedelta(seconds=1)
            end = None
    for phrase in window.phrases:
        query = re.sub(re.escape(phrase), " ", query, flags=re.IGNORECASE)
    query = " ".join(query.split()) or question
    camera = camera_named_in(question, cameras)
    if camera is None and history:  # "and after that?" stays on the same camera
        camera = history[-1].window.get("camera")
    return Understood(
        query=query,
        camera=camera,
        window={
            "start": start.astimezone(tz).isoformat() if start else None,
            "end": end.astimezone(tz).isoformat() if end else None,
            "phrases": list(window.phrases),
            "camera": camera,
        },
    )


def window_text(window: dict) -> str:
    """A time window as the model and the operator read it."""
    start, end = window.get("start"), window.get("end")
    if not start and not end:
        return "any time"
    fmt = "%Y-%m-%d %H:%M"
    lo = datetime.fromisoformat(start).strftime(fmt) if start else "the beginning"
    hi = datetime.fromisoformat(end).strftime(fmt) if end else "now"
    return f"from {lo} to {hi}"
