"""Incidents and their report versions. A version is written once and never changed;
every step is audited in the transaction that makes it."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from vigil.domain import IncidentRecord, IncidentReport, ReportVersionRecord
from vigil.errors import InvalidInputError, NotFoundError, StateError
from vigil.store.audit import append
from vigil.store.sql import Database, Incident, Keyframe, ReportVersion
from vigil.workflow import next_status


def _record(row: Incident, versions: list[ReportVersion], version: int | None = None):
    chosen = next(v for v in versions if v.version == (version or row.version))
    return IncidentRecord(
        id=row.id,
        created=row.created_utc,
        created_by=row.created_by,
        origin=row.origin,
        origin_ref=row.origin_ref,
        status=chosen.status,
        version=chosen.version,
        report=IncidentReport.model_validate(chosen.body),
        history=[
            ReportVersionRecord(
                version=v.version, status=v.status, author=v.author, at=v.at_utc, note=v.note
            )
            for v in versions
        ],
    )


def _check_frames(s, report: IncidentReport) -> None:
    """A report may only hold stored frames as evidence, and its statements cite only its
    evidence frames."""
    evidence = {e.frame_id for e in report.evidence}
    stored = set(s.scalars(select(Keyframe.id).where(Keyframe.id.in_(evidence))))
    for frame_id in evidence - stored:
        raise InvalidInputError(f"evidence frame {frame_id[:80]!r} is no stored frame")
    statements = [
        *report.description,
        *report.people,
        *report.vehicles,
        *report.actions_taken,
        *report.timeline,
    ]
    for statement in statements:
        for frame_id in statement.frames:
            if frame_id not in evidence:
                raise InvalidInputError(
                    f"{statement.text[:60]!r} cites {frame_id[:80]!r}, which is not among "
                    "the report's evidence frames"
                )


class ReportRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(
        self, origin: str, origin_ref: str, report: IncidentReport, by: str, author: str
    ) -> tuple[IncidentRecord, bool]:
        """A new incident whose first version (a draft by ``author``) is ``report``; or the
        incident already made from the same origin. (record, whether it is new)."""
        incident_id = uuid.uuid4().hex[:16]
        try:
            with self.db.session() as s:
                row = Incident(
                    id=incident_id,
                    created_by=by,
                    origin=origin,
                    origin_ref=origin_ref,
                    status="draft",
                    version=1,
                )
                s.add(row)
                s.flush()
                version = ReportVersion(
                    incident_id=incident_id,
                    version=1,
                    status="draft",
                    author=author,
                    note=f"drafted from {origin}",  # the ref is the incident's origin_ref
                    body=report.model_dump(mode="json"),
                )
                s.add(version)
                append(
                    s,
                    by,
                    "report.draft",
                    f"incident:{incident_id}",
                    {"origin": origin, "ref": origin_ref, "version": 1},
                )
                s.flush()
                return _record(row, [version]), True
        except IntegrityError:
            found = self.find(origin, origin_ref)
            if found is None:
                raise
            return found, False

    def find(self, origin: str, origin_ref: str) -> IncidentRecord | None:
        with self.db.session() as s:
            incident_id = s.scalar(
                select(Incident.id).where(
                    Incident.origin == origin, Incident.origin_ref == origin_ref
                )
            )
        return self.get(incident_id) if incident_id else None

    def get(self, incident_id: str, version: int | None = None) -> IncidentRecord:
        with self.db.session() as s:
            row = s.get(Incident, incident_id)
            if row is None:
                raise NotFoundError(f"no incident {incident_id[:40]!r}")
            versions = s.scalars(
                select(ReportVersion)
                .where(ReportVersion.incident_id == incident_id)
                .order_by(ReportVersion.version)
            ).all()
            if version is not None and not any(v.version == version for v in versions):
                raise NotFoundError(f"incident {incident_id} has no version {version}")
            return _record(row, list(versions), version)

    def list(self, status: str | None = None, limit: int = 100) -> list[IncidentRecord]:
        """Incidents, newest first, each with its versions: two queries in all."""
        query = select(Incident).order_by(Incident.created_utc.desc()).limit(limit)
        if status:
            query = query.where(Incident.status == status)
        with self.db.session() as s:
            rows = s.scalars(query).all()
            versions: dict[str, list[ReportVersion]] = {row.id: [] for row in rows}
            for v in s.scalars(
                select(ReportVersion)
                .where(ReportVersion.incident_id.in_(list(versions)))
                .order_by(ReportVersion.version)
            ):
                versions[v.incident_id].append(v)
            return [_record(row, versions[row.id]) for row in rows]

    def counts(self) -> dict[str, int]:
        """How many incidents each report status holds."""
        with self.db.session() as s:
            rows = s.execute(select(Incident.status, func.count()).group_by(Incident.status))
            return {status: n for status, n in rows}

    def change(
        self,
        incident_id: str,
        action: str,
        user: str,
        role: str,
        report: IncidentReport | None = None,
        note: str = "",
        expected_version: int | None = None,
    ) -> IncidentRecord:
        """Apply a workflow ``action`` (vigil.workflow) as ``user``: a new version
        holding ``report`` (or the current text). ``expected_version`` guards against
        overwriting an edit made meanwhile."""
        with self.db.session() as s:
            row = s.get(Incident, incident_id, with_for_update=True)
            if row is None:
                raise NotFoundError(f"no incident {incident_id[:40]!r}")
            if expected_version is not None and expected_version != row.version:
                raise StateError(
                    f"the report changed meanwhile (now version {row.version}, you edited "
                    f"{expected_version}): reload it"
                )
            status = next_status(action, row.status, role)
            current = s.get(ReportVersion, (incident_id, row.version))
            if report is not None:
                _check_frames(s, report)
            body = report.model_dump(mode="json") if report is not None else current.body
            row.version += 1
            row.status = status
            s.add(
                ReportVersion(
                    incident_id=incident_id,
                    version=row.version,
                    status=status,
                    author=user,
                    note=note[:2000],
                    body=body,
                )
            )
            append(
                s,
                user,
                f"report.{action}",
                f"incident:{incident_id}",
                {"version": row.version, "status": status, "note": note[:200]},
            )
        return self.get(incident_id)
