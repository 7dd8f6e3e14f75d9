"""Report exports: Markdown, HTML, JSON (against a published schema), PDF (WeasyPrint),
and the signed evidence package. Every export is role-checked and audited; faces and
plates are blurred unless a supervisor exports for an internal recipient.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from vigil.audit import canonical
from vigil.domain import (
    SUBJECT_CLASSES,
    IncidentRecord,
    IncidentReport,
    KeyframeRecord,
    ReportVersionRecord,
)
from vigil.errors import CorruptVideoError, InvalidInputError
from vigil.keys import load_private
from vigil.media.clips import copy_clip, frame_at, reencoded_clip
from vigil.models import ModelRegistry
from vigil.models.vision import blur_faces
from vigil.once import Once
from vigil.policies import SitePolicy
from vigil.prompts import render_document
from vigil.reports.package import Manifest, PackageAbout, PackagedIncident, write_package
from vigil.reports.redact import Redaction, Redactor
from vigil.saying import document_words, report_flag, verdict_word
from vigil.settings import Settings
from vigil.store import Store
from vigil.workflow import require_role

log = logging.getLogger(__name__)
FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}
DOCUMENT_FORMAT = "vigil-incident-report/1"
SCHEMA_FILE = Path(__file__).with_name("incident-report.schema.json")
CLIP_PAD_S = 5.0
Progress = Callable[[str, float], None]  # (stage, share done 0..1)
PAGE_IMAGE_WIDTH = 640
REDACT_EVERY = 3  # clips: regions found on every 3rd frame, hidden on it and its neighbours


class Exported(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    at: datetime = Field(description="in the site time zone")
    by: str
    redacted: bool
    redaction: dict[str, dict[str, int]] = Field(description="per image or clip: what was blurred")


class IncidentMeta(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    status: str
    version: int
    created: datetime
    created_by: str
    origin: str
    origin_ref: str
    history: list[ReportVersionRecord]


class ReportDocument(BaseModel):
    """The JSON export, as incident-report.schema.json publishes it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["vigil-incident-report/1"]
    incident: IncidentMeta
    report: IncidentReport
    report_hash: str = Field(description="SHA-256 of the canonical JSON of id, version, report")
    exported: Exported


def report_schema() -> dict[str, Any]:
    return ReportDocument.model_json_schema()


def report_hash(record: IncidentRecord) -> str:
    body = {
        "id": record.id,
        "version": record.version,
        "report": record.report.model_dump(mode="json"),
    }
    return hashlib.sha256(canonical(body)).hexdigest()


@dataclass
class _Images:
    """Evidence frames as JPEG bytes, with what was blurred in each."""

    jpeg: dict[str, bytes] = field(default_factory=dict)
    redaction: dict[str, dict[str, int]] = field(default_factory=dict)
    marked: dict[str, bytes] = field(default_factory=dict)  # for pages: boxes drawn in


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    data: bytes


class ReportExporter:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        models: ModelRegistry,
        policy: SitePolicy | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.policy = policy  # its zones are outlined on the pages' frames
        self._redactor = Once(lambda: Redactor(models.faces, models.poses))

    # -- permissions -------------------------------------------------------------------
    @staticmethod
    def check_may_export(role: str, redact: bool, package: bool = False) -> None:
        """Any user may export a report with faces and plates blurred; an unblurred export
        or an evidence package needs a supervisor."""
        if not redact:
            require_role(role, "supervisor", "an export without blurring")
        if package:
            require_role(role, "supervisor", "an evidence package")

    # -- documents ---------------------------------------------------------------------
    def export(
        self,
        incident_id: str,
        fmt: str,
        by: str,
        role: str,
        redact: bool = True,
        version: int | None = None,
    ) -> Export:
        """One report version as ``fmt`` (md, html, json, pdf); audited."""
        if fmt not in FORMATS:
            raise InvalidInputError(f"an export format is one of {', '.join(FORMATS)}")
        self.check_may_export(role, redact)
        record = self.store.reports.get(incident_id, version)
        # Markdown and JSON on their own carry no images: none to find, blur or encode
        images = self._images(record.report, redact) if fmt in ("html", "pdf") else _Images()
        data = self._render(record, fmt, images, by, redact)
        name = f"incident-{record.id}-v{record.version}.{fmt}"
        self.store.audit.record(
            by,
            "report.export",
            f"incident:{record.id}",
            {
                "format": fmt,
                "version": record.version,
                "redacted": redact,
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        )
        return Export(name, FORMATS[fmt], data)

    def _render(
        self,
        record: IncidentRecord,
        fmt: str,
        images: _Images,
        by: str,
        redact: bool,
        names: dict[str, str] | None = None,
    ) -> bytes:
        exported = Exported(
            at=datetime.now(UTC).astimezone(self.settings.tz),
            by=by,
            redacted=redact,
            redaction=images.redaction,
        )
        if fmt == "json":
            return self._document(record, exported).model_dump_json(indent=2).encode()
        if fmt == "md":
            shown = names or {}
        else:
            page = {**images.jpeg, **images.marked}  # the pages show the boxes
            shown = {fid: _data_uri(jpeg) for fid, jpeg in page.items()}
        template = "report.md.j2" if fmt == "md" else "report.html.j2"
        text = render_document(
            template,
            self.settings.report_templates_dir,
            incident=record,
            report=record.report,
            images=shown,
            report_hash=report_hash(record),
            exported=exported,
            t=document_words(record.report.language),
            verdict_word=verdict_word,
            flag_words=report_flag,
        )
        return _pdf(text) if fmt == "pdf" else text.encode()

    def _document(self, record: IncidentRecord, exported: Exported) -> ReportDocument:
        return ReportDocument(
            format=DOCUMENT_FORMAT,
            incident=IncidentMeta(
                id=record.id,
                status=record.status,
                version=record.version,
                created=record.created.astimezone(self.settings.tz),
                created_by=record.created_by,
                origin=record.origin,
                origin_ref=record.origin_ref,
                history=record.history,
            ),
            report=record.report,
            report_hash=report_hash(record),
            exported=exported,
        )

    # -- evidence package --------------------------------------------------------------
    def package(
        self,
        incident_id: str,
        out: Path,
        by: str,
        role: str,
        redact: bool = True,
        version: int | None = None,
        progress: Progress | None = None,
        clip_spans: dict[int, tuple[float, float]] | None = None,
    ) -> Manifest:
        """Write the signed evidence package of a report version to ``out``; its manifest.
        ``progress(stage, share done)`` is told as it goes (clips take most of the time).
        ``clip_spans`` (video id -> seconds) are the clips of an exported span; by default a
        clip runs around each video's evidence frames."""
        self.check_may_export(role, redact, package=True)
        tell = progress or (lambda stage, done: None)
        key = load_private(self.settings.keys_dir)
        record = self.store.reports.get(incident_id, version)
        tell("frames", 0.0)
        images = self._images(record.report, redact)
        names = {fid: f"{fid}.jpg" for fid in images.jpeg}
        files: dict[str, bytes] = {
            f"frames/{names[fid]}": jpeg for fid, jpeg in images.jpeg.items()
        }
        clips, clip_notes = self._clips(
            clip_spans or self._evidence_spans(record.report),
            redact,
            lambda done: tell("clips", 0.1 + 0.75 * done),
        )
        files.update(clips)
        tell("report", 0.85)
        files["report.json"] = self._render(record, "json", images, by, redact)
        files["report.html"] = self._render(record, "html", images, by, redact)
        files["report.pdf"] = _pdf(files["report.html"].decode())  # the same page, printed
        files["report.md"] = self._render(record, "md", images, by, redact, names)
        subjects = [f"incident:{record.id}"]
        if record.origin == "alarm":
            subjects.append(f"alarm:{record.origin_ref}")
        entries = sorted(
            (
                e
                for subject in subjects
                for e in self.store.audit.entries(subject=subject, limit=5000)
            ),
            key=lambda e: e.seq,
        )
        files["audit.jsonl"] = b"".join(
            canonical(
                {
                    "seq": e.seq,
                    "at": e.at.isoformat(timespec="microseconds"),
                    "actor": e.actor,
                    "action": e.action,
                    "subject": e.subject,
                    "detail": e.detail,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
            )
            + b"\n"
            for e in entries
        )
        about = PackageAbout(
            incident=PackagedIncident(
                id=record.id,
                version=record.version,
                status=record.status,
                title=record.report.title,
                report_hash=report_hash(record),
            ),
            site=record.report.site,
            created=datetime.now(UTC).astimezone(self.settings.tz).isoformat(),
            created_by=by,
            redaction={"applied": redact, "images": images.redaction, "clips": clip_notes},
            # the audit chain's head, signed: a copy of the checkpoint outside the site
            audit_checkpoint=asdict(self.store.audit.checkpoint()),
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        tell("signing", 0.95)
        manifest = write_package(out, files, about, key)
        self.store.audit.record(
            by,
            "report.package",
            f"incident:{record.id}",
            {
                "version": record.version,
                "redacted": redact,
                "files": len(files),
                "manifest_sha256": hashlib.sha256(
                    canonical(manifest.model_dump(mode="json", exclude_none=True))
                ).hexdigest(),
            },
        )
        return manifest

    # -- parts ---------------------------------------------------------------------------
    def _frames(self, report: IncidentReport) -> dict[str, KeyframeRecord]:
        """The report's evidence frames as the store holds them: a frame's video, offset
        and thumbnail come from the store by its id, never from the report's copy."""
        return self.store.keyframes.get_many(e.frame_id for e in report.evidence)

    def _images(self, report: IncidentReport, redact: bool) -> _Images:
        """Each evidence frame at full resolution from its video where the file is still
        kept, else its stored thumbnail; blurred when ``redact``."""
        images = _Images()
        frames = self._frames(report)
        sizes = self.store.videos.frame_sizes({kf.video_id for kf in frames.values()})
        held = [c.id for c in report.policy_clauses if c.holds] or [
            c.id for c in report.policy_clauses
        ]
        zones = self.policy.zones_of(held) if self.policy is not None else {}
        for frame_id, kf in frames.items():
            source = self.store.videos.file_of(kf.video_id)
            bgr = frame_at(source, kf.offset_s) if source else None
            if bgr is None:
                thumb = self.store.thumbnails.path_of(kf.thumbnail)
                bgr = cv2.imread(str(thumb)) if thumb.is_file() else None
            if bgr is None:
                log.warning("evidence frame %s has no image left", frame_id)
                continue
            if redact:
                bgr, counts = self._redactor.get().redact(bgr)
                images.redaction[frame_id] = counts.as_dict()
            images.jpeg[frame_id] = _jpeg(bgr)  # the frame as recorded, for the package
            size = sizes.get(kf.video_id)
            if size is not None:
                marked = _with_boxes(bgr, kf, size, zones.get(kf.camera, []))
                images.marked[frame_id] = _jpeg(marked)
        return images

    def _evidence_spans(self, report: IncidentReport) -> dict[int, tuple[float, float]]:
        """Video id -> the seconds around its evidence frames."""
        offsets: dict[int, list[float]] = {}
        for kf in self._frames(report).values():
            offsets.setdefault(kf.video_id, []).append(kf.offset_s)
        return {
            video_id: (max(0.0, min(seen) - CLIP_PAD_S), max(seen) + CLIP_PAD_S)
            for video_id, seen in offsets.items()
        }

    def _clips(
        self, spans: dict[int, tuple[float, float]], redact: bool, done: Callable[[float], None]
    ) -> tuple[dict[str, bytes], dict]:
        """A clip per source video of its span (seconds): packets copied as recorded, or
        re-encoded with faces and plates blurred when ``redact``; ``done(share)`` after
        each."""
        clips, notes = {}, {}
        for made, (video_id, (start, end)) in enumerate(spans.items(), start=1):
            name = f"clips/video-{video_id}.mkv"
            source = self.store.videos.file_of(video_id)
            if source is None:
                notes[name] = {"missing": "the source video is no longer kept"}
                continue
            # a name of its own: two exports of the same video may run at the same time
            target = self.settings.data_dir / "tmp" / f"clip-{video_id}-{uuid.uuid4().hex}.mkv"
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                if redact:
                    totals = _ClipRedaction(self._redactor.get())
                    first, last = reencoded_clip(source, target, start, end, totals.change)
                    notes[name] = {"re_encoded": True, **totals.counts}
                else:
                    first, last = copy_clip(source, target, start, end)
                    notes[name] = {"re_encoded": False}
                notes[name].update(
                    source=source.name, start_s=round(first, 2), end_s=round(last, 2)
                )
                clips[name] = target.read_bytes()
            except CorruptVideoError as exc:
                notes[name] = {"missing": str(exc)}
            finally:
                target.unlink(missing_ok=True)
                done(made / len(spans))
        return clips, notes


class _ClipRedaction:
    """Per-frame blurring of a clip: regions found every REDACT_EVERY frames and hidden on
    those frames and the ones between (people move little in 0.1 s)."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self.regions: list = []
        self.counts = {"faces": 0, "heads": 0, "plates": 0, "frames": 0}

    def change(self, bgr: np.ndarray, index: int) -> np.ndarray:
        if index % REDACT_EVERY == 0:
            found, counts = self.redactor.regions(bgr)
            self.regions = found
            self._add(counts)
        self.counts["frames"] += 1
        return blur_faces(bgr, self.regions, margin=0.3) if self.regions else bgr

    def _add(self, counts: Redaction) -> None:
        for key, value in counts.as_dict().items():
            self.counts[key] += value


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango (~1 s)

    return HTML(string=html).write_pdf()


BOX_COLOUR = (0, 212, 255)  # BGR of the pages' box yellow
ZONE_COLOUR = (0, 110, 255)  # BGR of the pages' zone orange


def _with_boxes(
    bgr: np.ndarray, frame: KeyframeRecord, size: tuple[int, int], zones: list
) -> np.ndarray:
    """A copy of an evidence image with the outline of the rule's zones (shares of the
    frame) and the boxes of the people and vehicles its frame shows (detections are in the
    video's pixels; the image may be a smaller thumbnail)."""
    marked = bgr.copy()
    sx, sy = bgr.shape[1] / size[0], bgr.shape[0] / size[1]
    thick = max(2, round(bgr.shape[1] / 400))
    for polygon in zones:
        points = np.array(
            [(round(x * bgr.shape[1]), round(y * bgr.shape[0])) for x, y in polygon], np.int32
        )
        cv2.polylines(marked, [points], True, ZONE_COLOUR, thick)
    for d in frame.detections:
        if d.cls in SUBJECT_CLASSES:
            x1, y1, x2, y2 = d.box.as_list()
            top_left = (round(x1 * sx), round(y1 * sy))
            bottom_right = (round(x2 * sx), round(y2 * sy))
            cv2.rectangle(marked, top_left, bottom_right, BOX_COLOUR, thick)
    return marked


def _jpeg(bgr: np.ndarray, quality: int = 90) -> bytes:
    ok, buffer = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise InvalidInputError("an evidence image could not be encoded")
    return buffer.tobytes()


def _data_uri(jpeg: bytes) -> str:
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    if image.shape[1] > PAGE_IMAGE_WIDTH:
        height = round(image.shape[0] * PAGE_IMAGE_WIDTH / image.shape[1])
        jpeg = _jpeg(
            cv2.resize(image, (PAGE_IMAGE_WIDTH, height), interpolation=cv2.INTER_AREA), 85
        )
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()
