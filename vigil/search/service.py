"""Hybrid search over recorded video: the one implementation behind the CLI, API and agent.

Signals: caption-embedding similarity (multilingual E5), the same over each track's one
description (a person or vehicle and what it did, its keyframes scoring as it does),
lexical BM25 on captions and labels, CLIP text-to-image where CLIP weights are configured,
and image-to-image for find-similar. They are fused (RRF or z-score,
`vigil.search.ranking`), optionally re-scored by the cross-encoder, and grouped into moments
(`vigil.search.moments`). Every hit says why it matched; its times are in the site time zone.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from vigil.domain import KeyframeRecord, MomentHit, SearchResult
from vigil.errors import InvalidInputError
from vigil.models import ModelRegistry
from vigil.search.lexical import BM25Index
from vigil.search.moments import Candidate, Moment, group_moments
from vigil.search.ranking import FUSERS
from vigil.settings import Settings
from vigil.store import Store
from vigil.store.keyframes import NO_FACTS, FactFilter
from vigil.store.vectors import IMAGE_SPACE, TEXT_SPACE, TRACK_SPACE
from vigil.words import looks_english

MAX_QUERY_CHARS = 500
MAX_MOMENTS = 100  # most moments one search returns
CANDIDATES_PER_SIGNAL = 50
TRACK_CANDIDATES = 10  # tracks whose keyframes the track signal scores
RERANK_TOP = 20
# Lexical matching is weaker evidence than caption similarity: measured on COCO captions
# (`vigil eval retrieval`), RRF with the words signal at half weight beats either alone.
SIGNAL_WEIGHTS = {"words": 0.5}
_POSITION = re.compile(
    r"\bat the (?:top |bottom |centre |left |right )*?(?:left |right )?"
    r"(?:top|bottom|centre|left|right) of the frame"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e]")


def clean_query(text: str) -> tuple[str, list[str]]:
    """Strip control characters and extra space, cap the length; say what was changed."""
    notes = []
    cleaned = " ".join(_CONTROL.sub(" ", text).split())
    if cleaned != text.strip():
        notes.append("control characters or extra spaces were removed from the query")
    if not cleaned:
        raise InvalidInputError("the query is empty")
    if len(cleaned) > MAX_QUERY_CHARS:
        cleaned = cleaned[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        notes.append(f"the query was shortened to its first {len(cleaned)} characters")
    return cleaned, notes


class SearchService:
    """Answers searches against one store; keeps a lexical index of captions in memory."""

    def __init__(self, settings: Settings, store: Store, models: ModelRegistry) -> None:
        self.settings = settings
        self.store = store
        self.models = models
        self._lexical = BM25Index()
        self._lexical_ids: dict[str, set[str]] = defaultdict(set)  # camera -> indexed ids
        self._texts_seen: datetime | None = None  # the newest text write indexed
        self._lock = threading.Lock()

    # -- lexical index ------------------------------------------------------------------
    def _refresh_lexical(self) -> None:
        """Bring the lexical index up to the store: keyframes added or re-captioned since
        the last search (by any process: `vigil watch` writes while the server searches),
        read by when their text was written, so a search after an unchanged store costs one
        count and one indexed query. Fewer rows than documents (deletions) builds the index
        again; more (a write that committed after a later one was read) reads them all."""
        stored = self.store.keyframes.count()
        if stored < len(self._lexical):
            self._lexical, self._lexical_ids, self._texts_seen = BM25Index(), defaultdict(set), None
        self._index_texts(self.store.keyframes.texts(self._texts_seen))
        if stored > len(self._lexical):
            self._index_texts(self.store.keyframes.texts())

    def _index_texts(self, rows: list) -> None:
        for row in rows:
            # where in the picture is not what: "top" must match a garment, not a place
            text = _POSITION.sub(" ", row.caption)
            self._lexical.add(row.id, f"{text} {' '.join(row.labels)}")
            self._lexical_ids[row.camera].add(row.id)
            if row.written is not None and (
                self._texts_seen is None or row.written > self._texts_seen
            ):
                self._texts_seen = row.written

    def _lexical_scores(self, query: str, scope: dict | None) -> dict[str, float]:
        allowed = None
        if scope is not None:
            allowed = set()
            for camera, ids in scope.items():
                allowed.update(ids if ids is not None else self._lexical_ids[camera])
        scores = self._lexical.score(query, allowed)
        best = sorted(scores, key=scores.get, reverse=True)[:CANDIDATES_PER_SIGNAL]
        return {kid: scores[kid] for kid in best}

    # -- search -------------------------------------------------------------------------
    def search(
        self,
        query: str | None = None,
        image: Path | None = None,
        cameras: list[str] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        k: int = 10,
        rerank: bool = False,
        fusion: str | None = None,
        facts: FactFilter = NO_FACTS,
    ) -> SearchResult:
        """Ranked moments for a free-text ``query`` or an example ``image``; ``facts``
        keeps only keyframes with at least so many people and the named objects."""
        if query is None and image is None:
            raise InvalidInputError("give a text query or an example image (--image) to search")
        if query is not None and image is not None:
            raise InvalidInputError("give either a text query or an image, not both")
        if not 1 <= k <= MAX_MOMENTS:
            raise InvalidInputError(f"k must be between 1 and {MAX_MOMENTS}")
        if start and end and start > end:
            raise InvalidInputError("the start of the time range is after its end")
        notes: list[str] = []
        if query is not None:
            query, notes = clean_query(query)
        cameras = self._check_cameras(cameras)
        label = query if query is not None else f"image:{image.name}"
        with self._lock:
            if self.store.keyframes.count() == 0:
                return SearchResult(
                    query=label,
                    moments=[],
                    notes=notes,
                    message="the store holds no keyframes yet: ingest video first",
                    nothing="empty_store",
                )
            timings: dict[str, float] = {}
            t = time.perf_counter()
            scope = self.store.keyframes.scope(cameras, start, end, facts)
            if scope == {} and not facts:
                where = ", ".join(cameras) if cameras else "any camera"
                return SearchResult(
                    query=label,
                    moments=[],
                    notes=notes,
                    message=f"no video from {where} in this period",
                    nothing="no_video",
                )
            signals = (
                self._text_signals(query, scope)
                if query is not None
                else self._image_signals(image, scope)
            )
            timings["retrieve"] = (time.perf_counter() - t) * 1000
            if query is not None and not self._relevant(signals):
                return SearchResult(
                    query=label,
                    moments=[],
                    notes=notes,
                    timings_ms=timings,
                    message="no keyframe matches this query closely enough",
                    nothing="not_close",
                )
            if rerank and query is not None and not looks_english(query):
                rerank = False
                notes.append("reranking skipped: the cross-encoder reads English only")
            t = time.perf_counter()
            fused = self._fuse(query, signals, fusion, rerank and query is not None)
            timings["fuse+rerank" if rerank else "fuse"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            hits = self._moments(fused, signals, query, k, cameras, start, end, facts)
            timings["moments"] = (time.perf_counter() - t) * 1000
        return SearchResult(
            query=label,
            moments=hits,
            notes=notes,
            timings_ms=timings,
            message=None if hits else "no keyframe matches this query",
        )

    def ranked_keyframes(
        self, query: str, rankings: dict[str, dict], k: int = 50
    ) -> dict[str, list[str]]:
        """Keyframe ids best first under each named ranking (for evaluation).

        A ranking is ``{"signal": name}`` for one signal alone, or ``{"fusion": "rrf" |
        "zscore", "rerank": bool}``; the query's signals are retrieved once for all of them.
        """
        query, _ = clean_query(query)
        ranked = {}
        with self._lock:
            signals = self._text_signals(query, None)
            for label, spec in rankings.items():
                if "signal" in spec:
                    scores = signals.get(spec["signal"], {})
                else:
                    rerank = spec.get("rerank", False) and looks_english(query)
                    scores = self._fuse(query, dict(signals), spec.get("fusion"), rerank)
                ranked[label] = sorted(scores, key=scores.get, reverse=True)[:k]
        return ranked

    def _fuse(
        self, query: str | None, signals: dict, fusion: str | None, rerank: bool
    ) -> dict[str, float]:
        """Fused scores; with ``rerank``, the cross-encoder joins the fusion as one more
        signal over the fused shortlist, and only that shortlist remains."""
        fuse = FUSERS[fusion or self.settings.search_fusion]
        weights = {**SIGNAL_WEIGHTS, "track": self.settings.search_track_weight}
        fused = fuse(signals, weights)
        if not rerank:
            return fused
        signals["rerank"] = self._rerank_scores(query, fused)
        refused = fuse(signals, weights)
        return {kid: refused[kid] for kid in signals["rerank"]}

    # -- signals ------------------------------------------------------------------------
    def _text_signals(self, query: str, scope: dict | None) -> dict[str, dict[str, float]]:
        models = self.models
        qvec = models.text_embedder.embed_queries([query])[0]
        signals = {"caption": self._similar(TEXT_SPACE, models.text_embedder.name, qvec, scope)}
        if self.settings.search_track_weight > 0:
            tracks = self._track_scores(qvec, scope)
            if tracks:
                signals["track"] = tracks
        if looks_english(query):
            self._refresh_lexical()
            words = self._lexical_scores(query, scope)
            if words:
                signals["words"] = words
        if models.clip is not None:
            cvec = models.clip.embed_texts([query])[0]
            signals["clip"] = self._similar(IMAGE_SPACE, models.clip.name, cvec, scope)
        return signals

    def _similar(
        self, space: str, model_name: str, vector: np.ndarray, scope: dict | None
    ) -> dict[str, float]:
        """Cosine similarity of the nearest keyframes in one vector space and scope."""
        hits = self.store.vectors.query(
            space, model_name, vector, CANDIDATES_PER_SIGNAL, within=scope
        )
        return {h.id: 1.0 - h.distance for h in hits}

    def _track_scores(self, vector: np.ndarray, scope: dict | None) -> dict[str, float]:
        """The keyframes of the tracks whose one description is nearest the query, each
        scoring its track's similarity (within the scope's cameras and ids)."""
        within = None if scope is None else dict.fromkeys(scope)
        name = self.models.text_embedder.name
        hits = self.store.vectors.query(TRACK_SPACE, name, vector, TRACK_CANDIDATES, within=within)
        keys = [(int(h.metadata["video_id"]), int(h.metadata["number"])) for h in hits]
        tracks = self.store.tracks.by_keys(keys)
        scores: dict[str, float] = {}
        for hit, key in zip(hits, keys, strict=True):
            track = tracks.get(key)
            if track is None:
                continue
            allowed = None if scope is None else scope.get(track.camera)
            allowed = None if allowed is None else set(allowed)
            for kid in track.keyframe_ids:
                if allowed is None or kid in allowed:
                    scores.setdefault(kid, 1.0 - hit.distance)
        best = sorted(scores, key=scores.get, reverse=True)[:CANDIDATES_PER_SIGNAL]
        return {kid: scores[kid] for kid in best}

    def _image_signals(self, image: Path, scope: dict | None) -> dict:
        frame = cv2.imread(str(image)) if image.is_file() else None
        if frame is None:
            raise InvalidInputError(f"{image}: not a readable image file")
        embedder = self.models.image_embedder
        vec = embedder.embed_images([frame])[0]
        return {"image": self._similar(IMAGE_SPACE, embedder.name, vec, scope)}

    def _relevant(self, signals: dict[str, dict[str, float]]) -> bool:
        best_caption = max(signals.get("caption", {}).values(), default=0.0)
        return bool(signals.get("words")) or best_caption >= self.settings.search_min_similarity

    def _rerank_scores(self, query: str, fused: dict[str, float]) -> dict[str, float]:
        top = sorted(fused, key=fused.get, reverse=True)[:RERANK_TOP]
        captions = self.store.keyframes.captions(top)
        scores = self.models.reranker.score(query, [captions[kid] for kid in top])
        return {kid: float(s) for kid, s in zip(top, scores, strict=True)}

    # -- results ------------------------------------------------------------------------
    def _moments(self, fused, signals, query, k, cameras, start, end, facts) -> list[MomentHit]:
        """Group fused hits into moments; only keyframes that SQL holds inside the filter
        count, whatever a vector collection returned (a stale vector never leaks)."""
        rows = self.store.keyframes.matching(fused, cameras, start, end, facts)
        candidates = [
            Candidate(kid, kf.camera, kf.utc.timestamp(), kf.offset_s) for kid, kf in rows.items()
        ]
        previous = self.store.keyframes.previous_in_video({kf.video_id for kf in rows.values()})
        state = {kid: kf.caption.split(":")[0] for kid, kf in rows.items()}
        moments = group_moments(
            candidates, fused, signals, self.settings.moment_gap_s, previous, state
        )[:k]
        return [self._hit(m, rows[m.best_id], query) for m in moments]

    def _hit(self, m: Moment, kf: KeyframeRecord, query: str | None) -> MomentHit:
        tz = self.settings.tz
        return MomentHit(
            camera=kf.camera,
            start=datetime.fromtimestamp(m.start_ts, tz),
            end=datetime.fromtimestamp(m.end_ts, tz),
            best_keyframe=m.best_id,
            best_time=kf.utc.astimezone(tz),
            keyframes=list(m.keyframe_ids),
            offset_s=kf.offset_s,
            source=Path(kf.source).name,
            thumbnail=kf.thumbnail,
            caption=kf.caption,
            score=round(m.score, 5),
            signals={name: round(v, 4) for name, v in m.signals.items()},
            matched_words=(
                self._lexical.matched_terms(query, m.best_id) if "words" in m.signals else []
            ),
        )

    def _check_cameras(self, cameras: list[str] | None) -> list[str] | None:
        if not cameras:
            return None
        self.store.videos.check_cameras(cameras)
        return cameras
