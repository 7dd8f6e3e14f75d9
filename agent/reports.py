"""Report drafting: an incident's report pre-filled from a verdict, a chat answer or search
moments, every sentence about the video tied to its frames.

The draft is assembled in code from what is stored (evidence frames, their captions and
counts, the verdict's clauses and actions), so it is ready in well under a second and
claims nothing the store does not hold; fields nothing grounds stay empty and are flagged.
``narrate`` then lets the local LLM write the description as a new version: its reply is
JSON whose every sentence must name frames it was shown, and sentences that guess age,
gender, ethnicity or identity are dropped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from vigil.domain import (
    AlarmRecord,
    ClauseCited,
    EvidenceItem,
    IncidentRecord,
    IncidentReport,
    KeyframeRecord,
    Statement,
    TimelineEntry,
    UserRecord,
)
from vigil.errors import InvalidInputError, ModelFailureError, NotFoundError
from vigil.phrasing import caption_in, describe_track
from vigil.prompts import compact, render_prompt
from vigil.saying import alarm_kind, say, verdict_word
from vigil.settings import Settings
from vigil.store import Store
from vigil.summary import ShiftSummary
from vigil.workflow import editing

log = logging.getLogger(__name__)
MAX_FRAMES = 12
SHIFT_CUT = "shift: more happened than a report's 12 frames hold; the Shift page shows it all"
NARRATIVE_FRAMES = 6
NARRATIVE_TOKENS = 220
MODEL_AUTHOR = "vigil-model"
# words that describe who a person is rather than what they wear or do (EN, NL, FR, ES):
# a sentence holding one is dropped, never shown
_NOT_NEUTRAL = re.compile(
    r"\b(?:man|men|woman|women|boy|girl|male|female|lady|gentleman|guy|old|elderly|young|"
    r"teen(?:ager)?|child|kid|aged?|years? old|asian|african|arab|caucasian|"
    r"hispanic|latino|ethnic\w*|race|identity|named|"
    r"vrouw|jongen|meisje|oude?|jonge?|"
    r"homme|femme|garçon|fille|vieux|vieille|jeune|"
    r"hombre|mujer|chico|chica|niño|niña|viejo|vieja|joven)\b",
    re.IGNORECASE,
)
_ANSWER_CITATION = re.compile(r"\s*\[[^\[\]]{1,200}\]")
# what a draft says in each language the site may write its reports in
DRAFT_WORDS = {
    "en": {
        "title": "{kind} on {camera}, {when}: {verdict}",
        "raised": "Alarm '{kind}' raised by {source}",
        "described": "Alarm '{kind}' from {source} on camera {camera} at {time}{zone}.",
        "zone": ", zone {zone}",
        "confirm": "{by} confirmed the verdict ({verdict}): {reason}",
        "overrule": "{by} overruled the verdict ({verdict}): {reason}",
        "escalate": "Escalate to {who}",
        "on": "On {camera}: {said}",
        "at": "{time} on {camera}: {said}",
    },
    "nl": {
        "title": "{kind} op {camera}, {when}: {verdict}",
        "raised": "Alarm '{kind}' gemeld door {source}",
        "described": "Alarm '{kind}' van {source} op camera {camera} om {time}{zone}.",
        "zone": ", zone {zone}",
        "confirm": "{by} bevestigde het oordeel ({verdict}): {reason}",
        "overrule": "{by} verwierp het oordeel ({verdict}): {reason}",
        "escalate": "Escaleren naar {who}",
        "on": "Op {camera}: {said}",
        "at": "{time} op {camera}: {said}",
    },
    "fr": {
        "title": "{kind} sur {camera}, {when} : {verdict}",
        "raised": "Alarme « {kind} » signalée par {source}",
        "described": "Alarme « {kind} » de {source} sur la caméra {camera} à {time}{zone}.",
        "zone": ", zone {zone}",
        "confirm": "{by} a confirmé le verdict ({verdict}) : {reason}",
        "overrule": "{by} a rejeté le verdict ({verdict}) : {reason}",
        "escalate": "Escalader vers {who}",
        "on": "Sur {camera} : {said}",
        "at": "{time} sur {camera} : {said}",
    },
    "es": {
        "title": "{kind} en {camera}, {when}: {verdict}",
        "raised": "Alarma «{kind}» enviada por {source}",
        "described": "Alarma «{kind}» de {source} en la cámara {camera} a las {time}{zone}.",
        "zone": ", zona {zone}",
        "confirm": "{by} confirmó el veredicto ({verdict}): {reason}",
        "overrule": "{by} rechazó el veredicto ({verdict}): {reason}",
        "escalate": "Escalar a {who}",
        "on": "En {camera}: {said}",
        "at": "{time} en {camera}: {said}",
    },
}


def span_frames(keyframes: list[KeyframeRecord], most: int = MAX_FRAMES) -> list[str]:
    """The frames that stand for a span of video in an incident: at most ``most``, spread
    evenly over it in time order."""
    ordered = sorted(keyframes, key=lambda k: k.utc)
    if len(ordered) <= most:
        return [k.id for k in ordered]
    step = (len(ordered) - 1) / (most - 1)
    return [ordered[round(i * step)].id for i in range(most)]


def clip_spans(
    keyframes: list[KeyframeRecord], start: datetime, end: datetime
) -> dict[int, tuple[float, float]]:
    """Video id -> the seconds of [start, end] in it, for each video these keyframes are of
    (a video's start is its keyframe's time less its offset)."""
    spans = {}
    for k in keyframes:
        if k.video_id not in spans:
            began = k.utc - timedelta(seconds=k.offset_s)
            spans[k.video_id] = (
                max(0.0, (start - began).total_seconds()),
                (end - began).total_seconds(),
            )
    return spans


def neutral(text: str) -> bool:
    """Whether a sentence keeps to clothing, colour, posture, actions and direction."""
    return _NOT_NEUTRAL.search(text) is None


class ReportDrafter:
    """Drafts incident reports for one site from what the store holds."""

    def __init__(self, settings: Settings, store: Store, site: str) -> None:
        self.settings = settings
        self.store = store
        self.site = site

    # -- drafts ------------------------------------------------------------------------
    def from_alarm(self, alarm: AlarmRecord, by: str) -> tuple[IncidentRecord, bool]:
        """The incident of a verified alarm (the one already drafted, if any)."""
        verdict = alarm.verdict
        if verdict is None:
            raise InvalidInputError("the alarm has no verdict yet: nothing to report")
        existing = self.store.reports.find("alarm", alarm.id)
        standing = alarm.review.verdict if alarm.review else verdict.verdict
        if existing is not None and existing.status == "withdrawn" and standing == "confirmed":
            # a person confirmed the alarm again after overruling it: the report is back
            was = existing.report
            back = was.model_copy(
                update={
                    "title": was.title.rsplit(": ", 1)[0]
                    + f": {verdict_word('confirmed', was.language).lower()}",
                    "verdict": "confirmed",
                    "flags": [f for f in was.flags if not f.startswith("withdrawn: ")],
                }
            )
            note = f"the alarm was confirmed again by {by}"
            return self.store.reports.change(
                existing.id, "amend", by, "operator", back, note
            ), False
        if existing is not None:
            return existing, False
        evidence = self._evidence([e.frame_id for e in verdict.evidence])
        decided = [e.frame_id for e in evidence]
        when = alarm.time.astimezone(self.settings.tz)
        lang = self.settings.language
        words = DRAFT_WORDS[lang]
        kind = alarm_kind(alarm.kind, lang)
        title = words["title"].format(
            kind=kind,
            camera=alarm.camera,
            when=f"{when:%Y-%m-%d %H:%M}",
            verdict=verdict_word(standing, lang).lower(),
        )
        timeline = [
            TimelineEntry(
                time=when,
                camera=alarm.camera,
                text=words["raised"].format(kind=kind, source=alarm.source),
                frames=[],
            ),
            *self._timeline(evidence),
        ]
        zone = words["zone"].format(zone=alarm.zone) if alarm.zone else ""
        description = [
            Statement(
                text=words["described"].format(
                    kind=kind,
                    source=alarm.source,
                    camera=alarm.camera,
                    time=f"{when:%H:%M:%S}",
                    zone=zone,
                ),
                frames=[],
            ),
        ]
        if decided:
            rationale = " ".join(say(p, lang) for p in verdict.said) or verdict.rationale
            description.append(Statement(text=rationale, frames=decided))
        actions = []
        if alarm.review is not None:
            review = alarm.review
            said = words["confirm" if review.decision == "confirm" else "overrule"]
            actions.append(
                Statement(
                    text=said.format(
                        by=review.by,
                        verdict=verdict_word(review.verdict, lang).lower(),
                        reason=review.reason,
                    ),
                    by=review.by,
                )
            )
        clauses = [
            ClauseCited(
                id=c.id,
                title=c.title,
                holds=c.holds,
                reason=say(c.said, lang) if c.said else c.reason,
            )
            for c in verdict.clauses
            if c.armed or c.id in verdict.decided_by
        ]
        report = self._report(
            title,
            evidence,
            timeline,
            description,
            clauses,
            actions,
            [*verdict.actions, *(words["escalate"].format(who=who) for who in verdict.escalate_to)],
            standing,
        )
        return self.store.reports.create("alarm", alarm.id, report, by, "vigil")

    def from_answer(self, conversation_id: str, turn: int, by: str) -> tuple[IncidentRecord, bool]:
        """The incident of one chat answer (``turn`` counts from 1); only answers that cite
        frames can start one."""
        turns = self.store.conversations.turns(conversation_id)
        if not 1 <= turn <= len(turns):
            raise InvalidInputError(f"the conversation has no turn {turn} (1..{len(turns)})")
        ref = f"{conversation_id}:{turn}"
        existing = self.store.reports.find("chat", ref)
        if existing is not None:
            return existing, False
        chosen = turns[turn - 1]
        evidence = self._evidence(chosen.citations)
        if not evidence:
            raise InvalidInputError("that answer cites no frame: no evidence, no report")
        text = _ANSWER_CITATION.sub("", chosen.answer).strip()
        description = [Statement(text=text, frames=[e.frame_id for e in evidence])]
        title = f"Incident: {compact(chosen.question)[:100]}"
        report = self._report(title, evidence, self._timeline(evidence), description, [], [], [])
        return self.store.reports.create("chat", ref, report, by, "vigil")

    def from_moments(
        self, frame_ids: Sequence[str], title: str, by: str
    ) -> tuple[IncidentRecord, bool]:
        """The incident of frames an operator picked from search results (no more than a
        report holds: the set names the incident, so none may be left out unsaid)."""
        if len(set(frame_ids)) > MAX_FRAMES:
            raise InvalidInputError(
                f"an incident holds at most {MAX_FRAMES} evidence frames "
                f"({len(set(frame_ids))} picked)"
            )
        evidence = self._evidence(frame_ids)
        if not evidence:
            raise InvalidInputError("an incident from moments needs at least one stored frame")
        title = compact(title)[:120] or "Incident"
        # one incident per set of frames: the same frames, in any order, find it again
        ref = hashlib.sha256(",".join(sorted(e.frame_id for e in evidence)).encode()).hexdigest()
        report = self._report(title, evidence, self._timeline(evidence), [], [], [], [])
        return self.store.reports.create("moments", ref, report, by, "vigil")

    def from_shift(self, summary: ShiftSummary, by: str) -> tuple[IncidentRecord, bool]:
        """The report of a shift (`vigil.summary`): what it says of each camera, each line
        citing its frames, to be edited, approved and exported like any incident. A report
        holds MAX_FRAMES frames: each line cites its first, alarms first over all cameras;
        lines past that are left to the Shift page, and the report says so. An alarm no
        frame shows (its camera recorded nothing) is kept, citing none."""
        ranked = summary.ranked()
        if not ranked:
            raise InvalidInputError("nothing was recorded in that shift: nothing to report")
        firsts = dict.fromkeys(line.frames[0] for _, line in ranked if line.frames)
        evidence = self._evidence(list(firsts)[:MAX_FRAMES])
        kept = {e.frame_id for e in evidence}
        description = [
            Statement(text=f"{camera}: {line.text}", frames=[f for f in line.frames if f in kept])
            for camera, line in ranked
            if not line.frames or kept & set(line.frames)
        ]
        cameras = ",".join(sorted(c.camera for c in summary.cameras))
        shift = f"{summary.start.isoformat()}/{summary.end.isoformat()}/{cameras}"
        ref = hashlib.sha256(shift.encode()).hexdigest()  # one report per shift and cameras
        report = self._report(
            summary.title, evidence, self._timeline(evidence), description, [], [], []
        )
        if len(description) < len(ranked):
            report = report.model_copy(update={"flags": [*report.flags, SHIFT_CUT]})
        return self.store.reports.create("shift", ref, report, by, "vigil")

    def withdraw(self, alarm: AlarmRecord) -> IncidentRecord | None:
        """Withdraw the report drafted for ``alarm`` once a person overruled its verdict,
        while it is not yet approved: a new version says so in its title, verdict and flags.
        An approved report stays as its supervisor approved it. None without a report."""
        found = self.store.reports.find("alarm", alarm.id)
        review = alarm.review
        if found is None or review is None or found.status in ("approved", "withdrawn"):
            return found
        overruled = verdict_word(review.verdict).lower()
        why = f"{review.by} overruled the alarm ({overruled}): {review.reason}"
        said = verdict_word(review.verdict, found.report.language).lower()
        title = found.report.title.rsplit(": ", 1)[0] + f": {said}"
        report = found.report.model_copy(
            update={
                "title": title,
                "verdict": review.verdict,
                "flags": [f"withdrawn: {why}", *found.report.flags],
            }
        )
        return self.store.reports.change(found.id, "withdraw", review.by, "operator", report, why)

    # -- edits -------------------------------------------------------------------------
    def edit(
        self,
        incident_id: str,
        proposed: IncidentReport,
        user: UserRecord,
        note: str = "",
        expected_version: int | None = None,
    ) -> IncidentRecord:
        """Save ``proposed`` as a new version by ``user`` (an amendment once approved).

        A client names evidence frames by id only: every other evidence field, the cameras
        and the period are filled from the store, and a frame outside the user's cameras
        is refused exactly like one that does not exist. The site, the verdict, the clauses
        and the timeline stay the machine's. A statement the user changed or added is
        theirs, whatever its ``by`` says; one left as it was keeps its author; flags and
        recommended actions are the machine's. Text is kept on one line. A withdrawn report
        is not edited back to life: only confirming its alarm again brings it back.
        """
        current = self.store.reports.get(incident_id)
        wanted = list(dict.fromkeys(e.frame_id for e in proposed.evidence))
        stored = self.store.keyframes.get_many(wanted)
        for frame_id in wanted:  # another camera's frame: as if it did not exist
            frame = stored.get(frame_id)
            if frame is None or not user.sees(frame.camera):
                raise NotFoundError(f"evidence frame {frame_id[:80]!r} is no stored frame")
        evidence = sorted(self._items([stored[f] for f in wanted]), key=lambda e: e.time)
        was = current.report
        report = proposed.model_copy(
            update={
                "title": " ".join(proposed.title.split()) or was.title,
                "site": was.site,
                "verdict": was.verdict,
                "policy_clauses": was.policy_clauses,
                "flags": was.flags,  # what the machine found and noted: not an editor's
                "recommended_actions": was.recommended_actions,
                "timeline": was.timeline,  # what the video shows, when: the machine's
                "evidence": evidence,
                "cameras": sorted(set(was.cameras) | {e.camera for e in evidence}),
                "start": evidence[0].time if evidence else was.start,
                "end": evidence[-1].time if evidence else was.end,
                **{
                    part: _authored(getattr(proposed, part), getattr(was, part), user.name)
                    for part in ("description", "people", "vehicles", "actions_taken")
                },
            }
        )
        return self.store.reports.change(
            incident_id,
            editing(current.status),
            user.name,
            user.role,
            report,
            note,
            expected_version=expected_version,
        )

    # -- the model's description -------------------------------------------------------
    def narrate(self, llm, incident_id: str, by: str, role: str) -> IncidentRecord:
        """A new version whose description the local LLM wrote from the evidence frames:
        each sentence names the frames it rests on (by schema), and sentences that are not
        neutral about people are dropped. The earlier description stays in its version."""
        record = self.store.reports.get(incident_id)
        report = record.report
        shown = report.evidence[:NARRATIVE_FRAMES]
        if not shown:
            raise InvalidInputError("the report has no evidence frames to describe")
        labels = {f"F{i}": e.frame_id for i, e in enumerate(shown, 1)}
        prompt = render_prompt(
            "report_narrative.j2", report=report, frames=list(zip(labels, shown, strict=True))
        )
        messages = [
            {"role": "system", "content": prompt.text},
            {"role": "user", "content": "Write the description."},
        ]
        schema = _narrative_schema(list(labels))
        reply = "".join(llm.stream(messages, schema=schema, max_tokens=NARRATIVE_TOKENS))
        try:
            sentences = json.loads(reply)["sentences"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelFailureError(f"the model's description is not JSON ({exc})") from None
        kept, dropped = [], 0
        for sentence in sentences:
            text = " ".join(str(sentence.get("text", "")).split())
            frames = [labels[f] for f in dict.fromkeys(sentence.get("frames", [])) if f in labels]
            if text and frames and neutral(text):
                kept.append(Statement(text=text, frames=frames, by=MODEL_AUTHOR))
            else:
                dropped += 1
        flags = [f for f in report.flags if not f.startswith("description")]
        if not kept:
            flags.append("description: the model wrote nothing grounded; write it")
        updated = report.model_copy(
            update={"description": kept or report.description, "flags": flags}
        )
        note = f"description by {llm.name} from {len(shown)} frames"
        if dropped:
            note += f"; {dropped} sentence(s) dropped (uncited or not neutral)"
        log.info("incident %s: %s", incident_id, note)
        return self.store.reports.change(
            incident_id, "edit", by, role, updated, note, expected_version=record.version
        )

    # -- parts ---------------------------------------------------------------------------
    def _evidence(self, frame_ids: Sequence[str]) -> list[EvidenceItem]:
        """The stored frames among ``frame_ids`` in time order (at most MAX_FRAMES)."""
        stored = self.store.keyframes.get_many(list(dict.fromkeys(frame_ids))[: MAX_FRAMES * 2])
        return sorted(self._items(list(stored.values())), key=lambda e: e.time)[:MAX_FRAMES]

    def _items(self, frames: list[KeyframeRecord]) -> list[EvidenceItem]:
        """Stored frames as evidence, every field from the store (each caption in the
        report's language; the videos' frame sizes read once)."""
        sizes = self.store.videos.frame_sizes({kf.video_id for kf in frames})
        return [
            EvidenceItem(
                frame_id=kf.id,
                camera=kf.camera,
                time=kf.utc.astimezone(self.settings.tz),
                caption=caption_in(
                    kf.caption, kf.detections, sizes.get(kf.video_id), self.settings.language
                ),
                thumbnail=kf.thumbnail,
                video_id=kf.video_id,
                offset_s=kf.offset_s,
            )
            for kf in frames
        ]

    @staticmethod
    def _timeline(evidence: list[EvidenceItem]) -> list[TimelineEntry]:
        return [
            TimelineEntry(time=e.time, camera=e.camera, text=e.caption, frames=[e.frame_id])
            for e in evidence
        ]

    def _report(
        self,
        title: str,
        evidence: list[EvidenceItem],
        timeline: list[TimelineEntry],
        description: list[Statement],
        clauses: list[ClauseCited],
        actions: list[Statement],
        recommended: list[str],
        verdict: str | None = None,
    ) -> IncidentReport:
        people, vehicles = self._seen(evidence)
        flags = []
        if not evidence:
            flags.append("evidence: no stored frame backs this incident; add frames or close it")
        if not any(s.frames for s in description):
            flags.append(
                "description: nothing in the video was described yet; write it or "
                "let the model draft it"
            )
        if not people and not vehicles:
            flags.append("people and vehicles: none seen in the evidence frames; check")
        if not actions:
            flags.append("actions taken: record what was done (called, dispatched, closed)")
        return IncidentReport(
            title=title,
            language=self.settings.language,
            site=self.site,
            cameras=sorted({e.camera for e in evidence} | {t.camera for t in timeline}),
            start=evidence[0].time if evidence else None,
            end=evidence[-1].time if evidence else None,
            verdict=verdict,
            timeline=sorted(timeline, key=lambda t: t.time),
            description=description,
            people=people,
            vehicles=vehicles,
            policy_clauses=clauses,
            actions_taken=actions,
            recommended_actions=recommended,
            evidence=evidence,
            flags=flags,
        )

    def _seen(self, evidence: list[EvidenceItem]) -> tuple[list[Statement], list[Statement]]:
        """Who and what the evidence frames show, in the describer's neutral words (clothing
        colours, posture, direction): one statement per person or vehicle tracked through
        them (its one description, when it was in view; citing every evidence frame that
        shows it), one per frame for what no track follows (a still image)."""
        people: list[Statement] = []
        vehicles: list[Statement] = []
        lang = self.settings.language
        words = DRAFT_WORDS[lang]
        stored = self.store.keyframes.get_many(e.frame_id for e in evidence)
        for track, frames in self.store.tracks_shown([e.frame_id for e in evidence]):
            said = words["on"].format(
                camera=track.camera, said=describe_track(track, self.settings.tz, lang)
            )
            (people if track.cls == "person" else vehicles).append(
                Statement(text=said, frames=frames)
            )
        for e in evidence:  # what no track follows
            kf = stored[e.frame_id]
            untracked = [d for d in kf.detections if d.track is None]
            seen = Statement(
                text=words["at"].format(
                    time=f"{e.time:%H:%M:%S}", camera=e.camera, said=compact(e.caption)
                ),
                frames=[kf.id],
            )
            if any(d.cls == "person" for d in untracked):
                people.append(seen)
            if any(d.cls == "vehicle" for d in untracked):
                vehicles.append(seen)
        return people, vehicles


def _authored(proposed: list[Statement], current: list[Statement], user: str) -> list[Statement]:
    """``proposed`` on one line each, with its authors set by the server: a statement as
    it stood keeps its author, any other is ``user``'s; an empty one is dropped."""
    authors = {(s.text, tuple(s.frames)): s.by for s in current}
    kept = []
    for s in proposed:
        text = " ".join(s.text.split())
        if text:
            by = authors.get((text, tuple(s.frames)), user)
            kept.append(s.model_copy(update={"text": text, "by": by}))
    return kept


def _narrative_schema(labels: list[str]) -> dict:
    """At most four sentences, each naming one or more of the frames shown."""
    return {
        "type": "object",
        "properties": {
            "sentences": {
                "type": "array",
                "minItems": 1,
                "maxItems": 4,
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "maxLength": 240},
                        "frames": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": 3,
                            "items": {"enum": labels},
                        },
                    },
                    "required": ["text", "frames"],
                },
            }
        },
        "required": ["sentences"],
    }
