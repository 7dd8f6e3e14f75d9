"""Person/vehicle candidate regions for the packaged pipeline.

No packaged object-detector weights that load offline here recognise people and vehicles
well (the packaged SSDLite graph is person-only and scored 0.01 on a plainly visible person),
so regions come from a MOG2 background model fed every decoded frame of a fixed camera.
The describer then labels each region's crop with EfficientNet-Lite0.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy import ndimage

from vigil.domain import Box


@dataclass(frozen=True)
class Region:
    """A foreground region: its box in full-frame pixels and its silhouette mask."""

    box: Box
    mask: np.ndarray  # bool, box-sized, True where the pixel is foreground
    fill: float  # share of the box that is foreground


def silhouette(box: Box) -> Region:
    """A person-shaped region for a box that motion did not outline."""
    h, w = max(1, box.height), max(1, box.width)
    mask = np.zeros((h, w), np.uint8)
    cv2.ellipse(mask, (w // 2, h // 2), (max(1, w * 3 // 8), max(1, h // 2)), 0, 0, 360, 1, -1)
    return Region(box=box, mask=mask.astype(bool), fill=float(mask.mean()))


def whole_region(box: Box) -> Region:
    """A region filling its box: a parked vehicle, which motion did not outline."""
    mask = np.ones((max(1, box.height), max(1, box.width)), bool)
    return Region(box=box, mask=mask, fill=1.0)


@dataclass
class _Held:
    """A person who was there, still, when the recording began: the first frames taught
    the background model them, so motion does not see them until they move."""

    box: Box  # full-frame pixels
    small: Box  # the same in the analysed frame
    looked: np.ndarray  # the analysed frame's pixels in ``small`` when they were found
    frames: int = 0  # observed since
    alive: bool = False  # has stirred: a person, not a poster or a coat on a hook


HELD_SAME = 0.8  # share of a held person's pixels unchanged while they are still there
# a person standing still still stirs (breath, hands, head): measured on the person clip,
# 1.5-5 % of their pixels change within 1-3 s, where a wall or a pillar stays at 0 %
HELD_STIR = 0.01
HELD_PROOF_S = 5.0  # a held "person" who has not stirred by then is let go
HELD_SEEN = 0.5  # share of a held person's box the object detector must see them on
HELD_CHECK_S = 1.0  # seconds between the object detector's looks at the held people
HELD_TAKEN = 0.3  # share of a held person's box a moving region covers once they move off
UNCHANGED_DISTANCE = 40  # colour distance under which a ghost pixel still shows background
GHOST_MIN_PIXELS = 60  # smaller blobs are left to the background model
GHOST_EDGE_RATIO = 0.35  # a ghost's outline is this much weaker in the frame than behind it
GHOST_CHECK_S = 0.4  # seconds between looks for ghosts
GHOST_SAME_PLACE = 0.8  # share of a ghost found again where the last check found one
_EDGE_RING = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))


def exposure_undone(bgr: np.ndarray, exposure: np.ndarray | None) -> np.ndarray:
    """A frame as the camera would have shown it before its automatic exposure moved
    (pure): a white car filling the picture darkens it all, and reads grey."""
    if exposure is None:
        return bgr
    return np.clip(bgr - exposure, 0, 255).astype(np.uint8)


def edge_strength(bgr: np.ndarray) -> np.ndarray:
    """Gradient magnitude of a picture's brightness (Sobel)."""
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)
    return cv2.magnitude(cv2.Sobel(grey, cv2.CV_32F, 1, 0), cv2.Sobel(grey, cv2.CV_32F, 0, 1))


def looks_alike(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pixel, whether two BGR pictures show the same colour, up to noise (pure)."""
    diff = a.astype(np.int32) - b.astype(np.int32)
    return (diff * diff).sum(axis=2) < UNCHANGED_DISTANCE**2


def is_ghost(blob: np.ndarray, frame_edges: np.ndarray, background_edges: np.ndarray) -> bool:
    """Whether a foreground blob is a ghost (pure): a real object's outline is an edge in
    the frame; a ghost's outline is an edge only in the background model, where the object
    that left still stands, while the frame there shows the plain scene."""
    ring = blob.astype(np.uint8)
    ring = (cv2.dilate(ring, _EDGE_RING) - cv2.erode(ring, _EDGE_RING)).astype(bool)
    behind = float(background_edges[ring].mean())
    return float(frame_edges[ring].mean()) < GHOST_EDGE_RATIO * behind


class MotionDetector:
    """Foreground regions from OpenCV's MOG2 background subtractor.

    Feed it every frame (downscaled) in order with ``observe``; ``regions`` returns the
    current foreground blobs. Objects that stay still are absorbed into the background only
    after about ``absorb_s`` seconds, so a person standing at a desk stays detected.

    The price of that slowness is ghosts: what was in the first frames (a person already
    standing when the recording starts) or stood long enough to be learned, once it leaves,
    leaves its outline as "foreground" for up to ``absorb_s``; that ghost then merges with
    whoever comes near it. A ghost is told by its outline (`is_ghost`) and, once seen twice
    in the same place, its pixels are taken as background as they look now.
    """

    name = "motion regions (OpenCV MOG2)"

    def __init__(self, fps: float, absorb_s: float = 60.0, warmup_s: float = 1.0) -> None:
        self._subtractor = cv2.createBackgroundSubtractorMOG2(
            history=500, varThreshold=24, detectShadows=True
        )
        # a floor on per-pixel variance (std 8 levels): compression noise and small
        # exposure residuals on a perfectly static scene must not count as movement
        self._subtractor.setVarMin(64)
        # MOG2 takes a new colour into the background once its weight passes about 0.1.
        self._rate = 0.1 / max(1.0, fps * absorb_s)
        self._warmup_frames = max(1, round(fps * warmup_s))
        self._seen = 0
        self._mask: np.ndarray | None = None
        self._background: np.ndarray | None = None
        self._background_every = max(1, round(fps))  # once a second: exposure drifts slowly
        self._kernel_open = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
        self._kernel_close = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
        # joins the head, torso and legs of one person that the mask splits apart
        self._kernel_group = cv2.getStructuringElement(cv2.MORPH_RECT, (7, 21))
        # often enough that a ghost is gone before the tracker takes it for someone
        self._ghost_every = max(1, round(fps * GHOST_CHECK_S))
        self._ghost: np.ndarray | None = None  # bool: pixels whose background is ``_seen_empty``
        self._seen_empty: np.ndarray | None = None  # the frame where a ghost was found
        self._ghost_candidates: np.ndarray | None = None  # ghost-like at the last check
        self._held: list[_Held] = []
        self._held_proof_frames = max(1, round(fps * HELD_PROOF_S))
        self._frame: np.ndarray | None = None  # the last frame observed
        # how far the camera's own exposure has moved the last frame from the background,
        # per BGR channel (None: not measurably)
        self.exposure: np.ndarray | None = None

    def observe(self, small_bgr: np.ndarray) -> None:
        """Update the background model with the next frame."""
        rate = -1 if self._seen < self._warmup_frames else self._rate
        if self._seen >= self._warmup_frames:
            small_bgr = self._match_exposure(small_bgr)
        raw = self._subtractor.apply(small_bgr, learningRate=rate)
        self._frame = small_bgr
        if self._held:
            self._follow_held()
        self._seen += 1
        mask = (raw > 200).astype(np.uint8)  # 127 marks shadows: not foreground
        if self._ghost is not None:
            mask = self._without_ghosts(small_bgr, mask)
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, self._kernel_open)
        self._mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, self._kernel_close)
        if self._seen > self._warmup_frames and self._seen % self._ghost_every == 0:
            self._find_ghosts(small_bgr)

    def hold(self, people: list[Box], full_width: int) -> None:
        """People another detector sees in the frame just observed (the first): they are
        regions for as long as they stay as they are, since motion cannot see them."""
        if self._frame is None:
            return
        scale = self._frame.shape[1] / full_width
        for box in people:
            small = box.scaled(scale)
            if small.width > 1 and small.height > 1:
                looked = self._frame[small.y1 : small.y2, small.x1 : small.x2].copy()
                self._held.append(_Held(box, small, looked))

    @property
    def holding(self) -> bool:
        """Whether anyone is held (`hold`)."""
        return bool(self._held)

    def still_seen(self, people: list[Box]) -> None:
        """Let go of the held people the object detector no longer sees where they were
        (a car it took for a person at the first frame, gone by now)."""
        self._held = [
            held
            for held in self._held
            if any(box.overlap_area(held.box) >= HELD_SEEN * held.box.area for box in people)
        ]

    def _follow_held(self) -> None:
        """Keep the held people still as they were; one who changed (moved off) is let go
        for good, since motion sees them from then on, and so is one who never stirs."""
        kept = []
        for held in self._held:
            b = held.small
            same = looks_alike(self._frame[b.y1 : b.y2, b.x1 : b.x2], held.looked).mean()
            held.frames += 1
            held.alive = held.alive or same <= 1 - HELD_STIR
            if same >= HELD_SAME and (held.alive or held.frames < self._held_proof_frames):
                kept.append(held)
        self._held = kept

    def _held_regions(self, moving: list[Region]) -> list[Region]:
        """The held people's regions; one that motion now outlines (they started to move
        off: a moving region covers `HELD_TAKEN` of their box) is let go, so their track
        goes on with that region."""
        self._held = [
            held
            for held in self._held
            if not any(r.box.overlap_area(held.box) >= HELD_TAKEN * held.box.area for r in moving)
        ]
        return [silhouette(held.box) for held in self._held if held.alive]

    def _without_ghosts(self, small_bgr: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Clear ghost pixels that still look as they did when the ghost was found."""
        mask = mask.copy()
        mask[self._ghost & looks_alike(small_bgr, self._seen_empty)] = 0
        return mask

    def _find_ghosts(self, small_bgr: np.ndarray) -> None:
        """Blobs that are ghosts twice running, in the same place, become background."""
        background = self._subtractor.getBackgroundImage()
        if background is None:
            return
        if self._ghost is not None:  # a ghost pixel ends once the model has learned it
            self._ghost &= ~looks_alike(background, self._seen_empty)
            if not self._ghost.any():
                self._ghost = self._seen_empty = None
        count, labels = cv2.connectedComponents(self._mask, connectivity=8)
        frame_edges, background_edges = edge_strength(small_bgr), edge_strength(background)
        ghosts = [
            blob
            for i in range(1, count)
            if (blob := labels == i).sum() >= GHOST_MIN_PIXELS
            and is_ghost(blob, frame_edges, background_edges)
        ]
        previous = self._ghost_candidates
        self._ghost_candidates = np.any(ghosts, axis=0) if ghosts else None
        if previous is None:
            return
        for blob in ghosts:
            if previous[blob].mean() < GHOST_SAME_PLACE:
                continue
            blob = cv2.dilate(blob.astype(np.uint8), self._kernel_close).astype(bool)
            if self._ghost is None:
                self._ghost = np.zeros(blob.shape, bool)
                self._seen_empty = small_bgr.copy()
            self._ghost |= blob
            self._seen_empty[blob] = small_bgr[blob]

    def _match_exposure(self, small_bgr: np.ndarray) -> np.ndarray:
        """Undo automatic exposure / white balance: remove each channel's median offset
        from the background model.

        Cameras re-expose the whole picture when something large or dark enters; without
        this the whole frame turns to foreground. The median ignores the object itself as
        long as it covers less than half the frame.
        """
        if self._background is None or self._seen % self._background_every == 0:
            self._background = self._subtractor.getBackgroundImage()
        if self._background is None:
            return small_bgr
        diff = small_bgr[::4, ::4].astype(np.int16) - self._background[::4, ::4].astype(np.int16)
        offset = np.median(diff.reshape(-1, 3), axis=0)
        self.exposure = offset if np.any(np.abs(offset) >= 2) else None
        return exposure_undone(small_bgr, self.exposure)

    def regions(
        self, full_width: int, min_area: float = 0.0015, max_regions: int = 12
    ) -> list[Region]:
        """Foreground blobs in full-frame coordinates, largest first.

        ``min_area`` is the smallest blob kept, as a share of the frame.
        """
        if self._mask is None:
            return []
        mask = self._mask
        if self._ghost_candidates is not None:  # a ghost is nobody, even before it is sure
            mask = mask & ~self._ghost_candidates
        h, w = mask.shape
        scale = full_width / w
        grouped = cv2.dilate(mask, self._kernel_group)
        count, labels, _, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
        labels[mask == 0] = 0  # keep only real foreground pixels inside each group
        areas = np.bincount(labels.ravel(), minlength=count)
        found = []
        # one pass for every group's extent, not one whole-frame scan per group
        for i, extent in enumerate(ndimage.find_objects(labels), start=1):
            if extent is None or areas[i] < min_area * h * w:
                continue
            ys, xs = extent
            blob = labels[extent] == i
            box = Box(xs.start, ys.start, xs.stop, ys.stop).scaled(scale)
            found.append(Region(box=box, mask=blob, fill=float(areas[i]) / blob.size))
        found.extend(self._held_regions(found))
        found.sort(key=lambda r: r.box.area, reverse=True)
        return found[:max_regions]

    @property
    def foreground_share(self) -> float:
        """Share of the frame currently in the foreground."""
        return 0.0 if self._mask is None else float(self._mask.mean())
