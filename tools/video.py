"""The agent's tools over recorded video: plain typed methods whose docstrings the model sees.

Each returns pydantic data that names the frames it rests on, so an answer built on a tool's
output can cite them. `tools.binding` wraps these methods for LangChain.
"""

from __future__ import annotations

from datetime import datetime

import cv2
from pydantic import BaseModel

from vigil.domain import FrameEvidence
from vigil.errors import InvalidInputError, NotFoundError
from vigil.models import ModelRegistry
from vigil.prompts import render_prompt
from vigil.search.service import SearchService
from vigil.settings import Settings
from vigil.store import Store

TIMELINE_LIMIT = 40


class FrameAnswerResult(BaseModel):
    frame: FrameEvidence
    question: str | None
    answer: str
    model: str
    cached: bool


class SummaryResult(BaseModel):
    text: str
    frames: list[FrameEvidence]


class VideoTools:
    """Search, look at and summarise stored frames; shared by the agent and the API."""

    def __init__(
        self, settings: Settings, store: Store, models: ModelRegistry, search: SearchService
    ) -> None:
        self.settings = settings
        self.store = store
        self.models = models
        self._search = search

    # -- tools the model may call --------------------------------------------------------
    def search_video(
        self,
        query: str,
        camera: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        k: int = 5,
    ) -> list[FrameEvidence]:
        """Find moments in recorded video that match a description (any language).

        query: what to look for, e.g. "a person in a black coat"; camera: one camera name or
        null for all; start/end: ISO-8601 bounds or null; k: how many moments (1-10).
        Returns the best frame of each moment, best first.
        """
        result = self._search.search(
            query=query,
            cameras=[camera] if camera else None,
            start=start,
            end=end,
            k=max(1, min(k, 10)),
        )
        return [
            self._evidence(m.best_keyframe, m.camera, m.best_time, m.caption, m.thumbnail, m.score)
            for m in result.moments
        ]

    def describe_frame(self, frame_id: str, question: str | None = None) -> FrameAnswerResult:
        """Describe one stored frame, or answer a question about what it shows.

        frame_id: a frame id from an earlier tool result; question: null for a description.
        Uses the VLM where one is configured; otherwise the packaged describer's caption.
        """
        frame = self.frame(frame_id)
        vlm = self.models.vlm
        model = vlm.name if vlm is not None else self.models.describer.info().name
        key = (question or "").strip()
        cached = self.store.keyframes.cached_answer(frame_id, key, model)
        if cached is not None:
            return FrameAnswerResult(
                frame=frame, question=question, answer=cached, model=model, cached=True
            )
        if vlm is None:
            answer = frame.caption
            if key:
                answer = (
                    "No VLM is configured, so this frame can only be described, not questioned: "
                    + frame.caption
                )
        else:
            image = cv2.imread(str(self.store.thumbnails.path_of(frame.thumbnail)))
            if image is None:
                raise InvalidInputError(f"the thumbnail of frame {frame_id} cannot be read")
            answer = (
                vlm.ask(image, render_prompt("frame_question.j2", question=key).text)
                if key
                else vlm.caption([image])[0]
            )
        self.store.keyframes.cache_answer(frame_id, key, model, answer)
        return FrameAnswerResult(
            frame=frame, question=question, answer=answer, model=model, cached=False
        )

    def rerank(self, query: str, frame_ids: list[str]) -> list[FrameEvidence]:
        """Re-score candidate frames against a description with the cross-encoder.

        query: the description (English reads best); frame_ids: frames from earlier results.
        Returns the frames best first, each with its new score.
        """
        frames = [self.frame(fid) for fid in frame_ids]
        if not frames:
            return []
        scores = self.models.reranker.score(query, [f.caption for f in frames])
        ranked = sorted(zip(frames, scores, strict=True), key=lambda pair: -pair[1])
        return [f.model_copy(update={"score": round(float(s), 4)}) for f, s in ranked]

    def get_timeline(
        self, camera: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[FrameEvidence]:
        """The keyframes of one camera in a time window, in time order (at most 40).

        camera: the camera name; start/end: ISO-8601 bounds or null.
        """
        return [
            self._evidence(k.id, k.camera, k.utc, k.caption, k.thumbnail)
            for k in self.store.keyframes.list(camera, start, end, limit=TIMELINE_LIMIT)
        ]

    def draft_summary(self, frame_ids: list[str], title: str = "Incident") -> SummaryResult:
        """A short incident summary of the cited frames, in time order, each line citing one.

        frame_ids: the frames the summary rests on; title: a few words naming the incident.
        """
        frames = sorted((self.frame(fid) for fid in dict.fromkeys(frame_ids)), key=lambda f: f.time)
        if not frames:
            raise InvalidInputError("a summary needs at least one cited frame")
        text = render_prompt("incident_summary.j2", title=title, frames=frames).text
        return SummaryResult(text=text, frames=frames)

    # -- lookups ---------------------------------------------------------------------------
    def frame(self, frame_id: str) -> FrameEvidence:
        """One stored frame by id; an unknown id is a clear error."""
        kf = self.store.keyframes.get(frame_id)
        if kf is None:
            raise NotFoundError(f"no stored frame has the id {frame_id!r}")
        return self._evidence(kf.id, kf.camera, kf.utc, kf.caption, kf.thumbnail)

    def _evidence(
        self,
        frame_id: str,
        camera: str,
        when: datetime,
        caption: str,
        thumbnail: str,
        score: float | None = None,
    ) -> FrameEvidence:
        return FrameEvidence(
            frame_id=frame_id,
            camera=camera,
            time=when.astimezone(self.settings.tz),
            caption=caption,
            thumbnail=thumbnail,
            score=score,
        )
