"""Incident reports end to end on the sample site: a confirmed alarm drafts its report, an
operator edits it, a supervisor approves it, every export format is made and checked, and
the verifiers name a changed package byte and a changed audit row (real store, models)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import timedelta

import jsonschema
import pypdfium2
import pytest
from PIL import Image

from agent.reports import ReportDrafter, neutral
from tests.conftest import LOBBY_START, verified_lobby_alarm
from tests.fakes import ScriptedModel
from vigil.adapters import SourceAlarm
from vigil.errors import InvalidInputError, NotAllowedError, NotFoundError, StateError
from vigil.keys import init_keys, load_public
from vigil.once import Once
from vigil.reports.export import SCHEMA_FILE, ReportExporter, report_schema
from vigil.reports.package import verify_package
from web.deps import alarm_desk

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def confirmed(alarm_site):
    """A confirmed after-hours lobby alarm and the incident drafted from it."""
    desk = alarm_desk(alarm_site)
    while desk.verify_next() is not None:
        pass
    alarm = SourceAlarm(
        source_event_id="report-test-1",
        camera="lobby",
        time=LOBBY_START + timedelta(seconds=12),
        kind="intrusion",
    )
    record, _ = desk.take_in("nvr", alarm)
    verified = desk.verify_next()
    assert verified.id == record.id and verified.verdict.verdict == "confirmed"
    desk.drafts_settled()
    incident = alarm_site.store.reports.find("alarm", record.id)
    assert incident is not None, "a confirmed verdict drafts its report"
    return verified, incident


@pytest.fixture(scope="module")
def exporter(alarm_site):
    init_keys(alarm_site.settings.keys_dir, replace=True)
    return ReportExporter(alarm_site.settings, alarm_site.store, alarm_site.models)


def test_a_draft_lost_with_a_stopped_worker_is_made_when_the_next_one_starts(alarm_site, confirmed):
    desk = alarm_desk(alarm_site)
    assert desk.draft_missing() == 0  # every confirmed alarm so far has its report
    queued_when_stopped = desk._drafts
    desk._drafts = Once(lambda: lambda record: None)  # drafts handed over now are lost
    when = LOBBY_START + timedelta(seconds=14)
    record, _ = desk.take_in("nvr", SourceAlarm("report-lost-1", "lobby", when, "intrusion"))
    assert desk.verify_next().verdict.verdict == "confirmed"
    assert alarm_site.store.reports.find("alarm", record.id) is None
    desk._drafts = queued_when_stopped  # a worker starts again
    assert desk.draft_missing() == 1
    desk.drafts_settled()
    assert alarm_site.store.reports.find("alarm", record.id) is not None
    assert desk.draft_missing() == 0


def test_the_draft_is_prefilled_and_every_sentence_about_the_video_cites_frames(confirmed):
    alarm, incident = confirmed
    report = incident.report
    assert incident.status == "draft" and incident.version == 1
    assert report.verdict == "confirmed" and report.cameras == ["lobby"]
    evidence = {e.frame_id for e in report.evidence}
    assert evidence == {e.frame_id for e in alarm.verdict.evidence}
    assert report.start.utcoffset() == timedelta(hours=1)  # Amsterdam in November
    assert any(c.id == "sample/lobby/after-hours" and c.holds for c in report.policy_clauses)
    assert report.people and report.recommended_actions
    for statement in [*report.description[1:], *report.people]:
        assert statement.frames and set(statement.frames) <= evidence
    # people are listed by track: one description each, when in view (site zone)
    tracked = [s for s in report.people if s.text.startswith("On lobby: a person in a")]
    assert tracked and all(" in view " in s.text and "(" in s.text for s in tracked)
    assert len({s.text for s in report.people}) == len(report.people)
    assert all(t.frames for t in report.timeline if t.text != f"Alarm '{alarm.kind}' raised by nvr")
    # nothing grounds what was done yet: left empty and flagged, never invented
    assert not report.actions_taken
    assert any(f.startswith("actions taken") for f in report.flags)


def test_operator_edits_supervisor_approves_and_approved_reports_are_read_only(
    alarm_site, confirmed
):
    reports = alarm_site.store.reports
    _, incident = confirmed
    edited_text = incident.report.model_copy(update={"title": "Intruder in the lobby after hours"})
    edited = reports.change(incident.id, "edit", "olivia", "operator", edited_text, "title")
    assert (edited.status, edited.version) == ("edited", 2)
    with pytest.raises(StateError, match="changed meanwhile"):
        reports.change(incident.id, "edit", "olivia", "operator", edited_text, expected_version=1)
    reports.change(incident.id, "submit", "olivia", "operator")
    with pytest.raises(NotAllowedError, match="supervisor"):
        reports.change(incident.id, "approve", "olivia", "operator")
    approved = reports.change(incident.id, "approve", "sam", "supervisor", note="checked")
    assert (approved.status, approved.version) == ("approved", 4)
    with pytest.raises(StateError, match="read-only"):
        reports.change(incident.id, "edit", "olivia", "operator", edited_text)
    amended = reports.change(incident.id, "amend", "olivia", "operator", edited_text, "typo")
    assert (amended.status, amended.version) == ("edited", 5)
    assert reports.get(incident.id, 4).status == "approved"  # the approved version stays
    assert [(h.author, h.status) for h in amended.history] == [
        ("vigil", "draft"),
        ("olivia", "edited"),
        ("olivia", "submitted"),
        ("sam", "approved"),
        ("olivia", "edited"),
    ]
    actions = [e.action for e in alarm_site.store.audit.entries(subject=f"incident:{incident.id}")]
    assert actions == [
        "report.draft",
        "report.edit",
        "report.submit",
        "report.approve",
        "report.amend",
    ]


def test_every_export_format_and_the_pdf_shows_title_and_an_evidence_image(
    alarm_site, confirmed, exporter, tmp_path
):
    _, incident = confirmed
    approved = 4
    document = json.loads(
        exporter.export(incident.id, "json", "sam", "supervisor", version=approved).data
    )
    jsonschema.validate(document, json.loads(SCHEMA_FILE.read_text()))
    assert json.loads(SCHEMA_FILE.read_text()) == report_schema(), "run `vigil report schema`"
    assert document["incident"]["status"] == "approved"
    md = exporter.export(incident.id, "md", "sam", "supervisor", version=approved).data.decode()
    assert "# Intruder in the lobby after hours" in md and document["report_hash"] in md
    html = exporter.export(incident.id, "html", "sam", "supervisor", version=approved).data.decode()
    assert html.count("data:image/jpeg;base64,") >= len(incident.report.evidence)
    pdf = exporter.export(incident.id, "pdf", "sam", "supervisor", version=approved).data
    document_pdf = pypdfium2.PdfDocument(pdf)
    page = document_pdf[0]
    assert "Intruder in the lobby after hours" in page.get_textpage().get_text_range()
    images = [o for o in page.get_objects() if o.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
    assert images, "an evidence image on the first page"
    png = tmp_path / "page1.png"
    page.render(scale=1.5).to_pil().save(png)
    left, bottom, right, top = images[0].get_bounds()  # PDF points, origin bottom left
    shown = Image.open(png).convert("L")
    scale, height = 1.5, shown.size[1]
    region = shown.crop(
        (
            round(left * scale),
            round(height - top * scale),
            round(right * scale),
            round(height - bottom * scale),
        )
    )
    assert region.size[0] > 100 and len(set(region.getdata())) > 50, "a photo, not a blank"


def test_a_package_verifies_and_a_changed_byte_a_removed_file_or_a_wrong_key_is_named(
    alarm_site, confirmed, exporter, tmp_path
):
    _, incident = confirmed
    package = tmp_path / "evidence.zip"
    manifest = exporter.package(incident.id, package, "sam", "supervisor")
    names = set(manifest.files)
    evidence = {e.frame_id for e in incident.report.evidence}
    assert manifest.redaction["applied"] and set(manifest.redaction["images"]) == evidence
    assert {"report.json", "report.pdf", "report.html", "report.md", "audit.jsonl"} <= names
    assert any(n.startswith("frames/") for n in names) and any(
        n.startswith("clips/") for n in names
    )
    site_key = load_public((alarm_site.settings.keys_dir / "site-signing.pub").read_bytes())
    check = verify_package(package, site_key)
    assert check.intact and check.signed_by_trusted_key, check.problems
    audit_lines = zipfile.ZipFile(package).read("audit.jsonl").decode().splitlines()
    assert any(json.loads(line)["action"] == "alarm.verdict" for line in audit_lines)

    frame = sorted(n for n in names if n.startswith("frames/"))[0]
    changed = _rewritten(
        package,
        tmp_path / "changed.zip",
        lambda n, d: d[:100] + bytes([d[100] ^ 1]) + d[101:] if n == frame else d,
    )
    assert verify_package(changed, site_key).problems == [f"{frame}: changed"]
    removed = _rewritten(
        package, tmp_path / "removed.zip", lambda n, d: None if n == "report.pdf" else d
    )
    assert verify_package(removed, site_key).problems == ["report.pdf: removed"]
    other = init_keys(tmp_path / "other-key")
    wrong = verify_package(package, other)
    assert not wrong.intact and not wrong.signed_by_trusted_key
    assert any("another key" in p for p in wrong.problems)


def test_a_package_with_a_second_copy_of_a_file_or_a_broken_zip_is_tampered(
    alarm_site, confirmed, exporter, tmp_path
):
    _, incident = confirmed
    package = tmp_path / "evidence.zip"
    exporter.package(incident.id, package, "sam", "supervisor")
    site_key = load_public((alarm_site.settings.keys_dir / "site-signing.pub").read_bytes())
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(forged, "w") as dst:
        dst.writestr("report.md", b"# Nothing happened\n")  # what `unzip` shows first
        with pytest.warns(UserWarning, match="Duplicate name"):
            for name in src.namelist():
                dst.writestr(name, src.read(name))
    check = verify_package(forged, site_key)
    assert not check.intact
    assert any(p.startswith("report.md: stored 2 times") for p in check.problems)
    assert "report.md: changed" in check.problems

    data = package.read_bytes()
    for where in (len(data) // 2, len(data) - 30):  # in a file's bytes, in the directory
        flipped = tmp_path / f"flipped-{where}.zip"
        flipped.write_bytes(data[:where] + bytes([data[where] ^ 0xFF]) + data[where + 1 :])
        broken = verify_package(flipped, site_key)
        assert not broken.intact, where


def test_a_changed_audit_row_is_named(alarm_site, confirmed):
    audit = alarm_site.store.audit
    assert audit.verify().intact
    entry = audit.entries(subject=f"incident:{confirmed[1].id}")[1]
    db = sqlite3.connect(alarm_site.settings.data_dir / "vigil.db")
    original = db.execute("select actor from audit_entries where seq=?", (entry.seq,)).fetchone()
    db.execute("update audit_entries set actor='mallory' where seq=?", (entry.seq,))
    db.commit()
    try:
        assert audit.verify().problems == [
            f"entry {entry.seq} (report.edit incident:{confirmed[1].id}) was changed"
        ]
    finally:
        db.execute("update audit_entries set actor=? where seq=?", (original[0], entry.seq))
        db.commit()
    assert audit.verify().intact


def test_bad_requests_are_clear_errors_and_lose_nothing(alarm_site, confirmed, exporter, tmp_path):
    _, incident = confirmed
    with pytest.raises(NotFoundError):
        exporter.export("no-such-report", "pdf", "sam", "supervisor")
    with pytest.raises(NotAllowedError, match="supervisor"):
        exporter.export(incident.id, "pdf", "olivia", "operator", redact=False)
    with pytest.raises(NotAllowedError, match="supervisor"):
        exporter.package(incident.id, tmp_path / "p.zip", "olivia", "operator")
    with pytest.raises(InvalidInputError, match="format"):
        exporter.export(incident.id, "docx", "sam", "supervisor")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.md.j2").write_text("# {{ report.title }} for {{ report.customer }}\n")
    site = exporter.settings.model_copy(update={"report_templates_dir": templates})
    custom = ReportExporter(site, alarm_site.store, alarm_site.models)
    with pytest.raises(InvalidInputError, match="customer"):
        custom.export(incident.id, "md", "sam", "supervisor")
    assert exporter.export(incident.id, "md", "sam", "supervisor").data  # nothing broke
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    [problem] = verify_package(tmp_path / "junk.zip").problems
    assert problem.startswith("the package does not open as a zip")


def test_the_model_description_keeps_only_cited_neutral_sentences(alarm_site, confirmed):
    drafter = ReportDrafter(alarm_site.settings, alarm_site.store, "Sample site")
    _, incident = confirmed
    frames = json.dumps(
        {
            "sentences": [
                {"text": "A person in dark clothes walks into the lobby.", "frames": ["F1"]},
                {"text": "A young man, probably a student, waits by the table.", "frames": ["F1"]},
                {"text": "The person then stands near the table.", "frames": ["F9"]},
            ]
        }
    )
    model = ScriptedModel([frames])
    current = alarm_site.store.reports.get(incident.id)
    narrated = drafter.narrate(model, incident.id, "olivia", "operator")
    assert narrated.version == current.version + 1
    assert [s.text for s in narrated.report.description] == [
        "A person in dark clothes walks into the lobby."
    ]
    assert narrated.report.description[0].frames == [current.report.evidence[0].frame_id]
    assert "2 sentence(s) dropped" in narrated.history[-1].note
    assert "F1" in model.prompts[0][0]["content"]
    assert not neutral("an elderly woman") and neutral("a person in a black jacket")


def _rewritten(package, out, change):
    """A copy of a zip with each member passed through change(name, data) (None: left out)."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                target.writestr(name, data)
    return out


def test_incidents_from_a_chat_answer_and_from_moments_rest_on_their_frames(alarm_site):
    store = alarm_site.store
    drafter = ReportDrafter(alarm_site.settings, store, "Sample site")
    frames = [k.id for k in store.keyframes.list("lobby", limit=40) if k.people][:2]
    conversation = store.conversations.start("who was in the lobby")
    store.conversations.add_turn(
        conversation,
        question="Who was in the lobby?",
        answer=f"A person walked in [{frames[0]}].",
        citations=[frames[0]],
        tool_calls=[],
        window={},
        model="scripted",
        prompt_versions={},
    )
    store.conversations.add_turn(
        conversation,
        question="And a dog?",
        answer="No evidence found.",
        citations=[],
        tool_calls=[],
        window={},
        model="scripted",
        prompt_versions={},
    )
    from_chat, new = drafter.from_answer(conversation, 1, "olivia")
    assert new and from_chat.origin == "chat"
    assert from_chat.report.description[0].text == "A person walked in."
    assert from_chat.report.description[0].frames == [frames[0]]
    assert drafter.from_answer(conversation, 1, "olivia") == (from_chat, False)
    with pytest.raises(InvalidInputError, match="no evidence, no report"):
        drafter.from_answer(conversation, 2, "olivia")
    with pytest.raises(InvalidInputError, match="no turn 3"):
        drafter.from_answer(conversation, 3, "olivia")

    from_moments, _ = drafter.from_moments([*frames, "not-a-frame"], "Visitor", "olivia")
    assert [e.frame_id for e in from_moments.report.evidence] == sorted(
        frames, key=lambda f: store.keyframes.get(f).utc
    )
    assert from_moments.report.people and not from_moments.report.description
    assert any(f.startswith("description") for f in from_moments.report.flags)
    with pytest.raises(InvalidInputError, match="at least one stored frame"):
        drafter.from_moments(["not-a-frame"], "Nothing", "olivia")


def test_the_real_model_describes_the_evidence_citing_frames_in_neutral_words(alarm_site, models):
    record = verified_lobby_alarm(alarm_site, "report-real-model", 20)
    incident = alarm_site.store.reports.find("alarm", record.id)
    drafter = ReportDrafter(alarm_site.settings, alarm_site.store, "Sample site")
    narrated = drafter.narrate(models.llm, incident.id, "olivia", "operator")
    evidence = {e.frame_id for e in narrated.report.evidence}
    written = [s for s in narrated.report.description if s.by == "vigil-model"]
    assert written, narrated.history[-1].note
    for sentence in written:
        assert sentence.frames and set(sentence.frames) <= evidence
        assert neutral(sentence.text)


def test_report_pages_draw_the_boxes_on_a_copy_of_the_evidence_image(alarm_site, confirmed):
    """The evidence images of the HTML and PDF carry the boxes of the people and vehicles
    the frame shows, scaled to the image; the image itself (the package's frame file) is
    left as recorded."""
    import numpy as np

    from vigil.reports.export import BOX_COLOUR, _with_boxes

    _, incident = confirmed
    frames = alarm_site.store.keyframes.get_many(e.frame_id for e in incident.report.evidence)
    frame = next(f for f in frames.values() if any(d.cls == "person" for d in f.detections))
    width, height = alarm_site.store.videos.frame_sizes({frame.video_id})[frame.video_id]
    recorded = np.zeros((height // 2, width // 2, 3), np.uint8)  # a half-size thumbnail
    marked = _with_boxes(recorded, frame, (width, height), [])
    x1, y1, x2, _ = next(d.box.as_list() for d in frame.detections if d.cls == "person")
    assert tuple(marked[y1 // 2, (x1 + x2) // 4]) == BOX_COLOUR  # the top edge, scaled
    assert not recorded.any()  # drawn on a copy


def test_report_pages_outline_the_zone_of_the_clause_that_holds(alarm_site, confirmed):
    """A report resting on a zone's clause has that zone drawn on its pages' images and
    over its frames on the incident page; the site's other zones are not."""
    import numpy as np

    from vigil.domain import ClauseCited
    from vigil.policies import load_policy
    from vigil.reports.export import ZONE_COLOUR, _with_boxes
    from web.pages.marks import report_marks

    policy = load_policy(alarm_site.settings.policy_file)
    table = policy.cameras["lobby"].zones["table"]
    _, incident = confirmed
    report = incident.report.model_copy(
        update={
            "policy_clauses": [
                ClauseCited(
                    id="sample/lobby/loitering-at-table", title="t", holds=True, reason="r"
                ),
                ClauseCited(id="sample/lobby/after-hours", title="t", holds=False, reason="r"),
            ]
        }
    )
    assert policy.zones_of(["sample/lobby/loitering-at-table"]) == {"lobby": [table]}
    marks = report_marks(alarm_site.store, policy, report)
    first = marks[report.evidence[0].frame_id]
    x, y = table[0]
    assert first.zones and first.zones[0].startswith(
        f"{x * first.width:.0f},{y * first.height:.0f}"
    )
    frame = alarm_site.store.keyframes.get(report.evidence[0].frame_id)
    image = np.zeros((200, 400, 3), np.uint8)
    drawn = _with_boxes(image, frame, (first.width, first.height), [table])
    assert tuple(drawn[round(y * 200), round(x * 400)]) == ZONE_COLOUR  # a corner, scaled


def test_a_span_is_told_by_frames_spread_over_it_and_clips_of_all_its_videos(alarm_site):
    from datetime import timedelta

    from agent.reports import clip_spans, span_frames

    frames = alarm_site.store.keyframes.list("lobby", limit=1000)
    chosen = span_frames(frames, most=5)
    ordered = sorted(frames, key=lambda k: k.utc)
    assert len(chosen) == 5 and chosen[0] == ordered[0].id and chosen[-1] == ordered[-1].id
    start = ordered[0].utc + timedelta(seconds=30)
    spans = clip_spans(frames, start, start + timedelta(minutes=10))
    ((video, (first, last)),) = spans.items()
    assert video == ordered[0].video_id
    assert abs(first - (30 + ordered[0].offset_s)) < 0.01 and last - first == 600
