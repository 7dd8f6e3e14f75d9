"""Site policies: validation with line numbers, schedules, aliases, the published schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigil.errors import InvalidInputError
from vigil.policies import (
    PolicyError,
    armed_rules,
    load_policy,
    parse_at,
    parse_policy,
    policy_schema,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "policies" / "sample.yaml"


@pytest.fixture(scope="module")
def sample():
    return load_policy(SAMPLE)


def problems_of(text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "site.yaml")
    return [p.show("site.yaml") for p in caught.value.problems]


def test_the_sample_policy_is_valid_and_its_aliases_name_cameras(sample):
    assert sample.site == "sample" and len(sample.rules) == 9
    assert sample.camera_called("De Hal") == "lobby"
    assert sample.camera_called("la plaza") == "plaza"
    assert sample.camera_called("de parkeerplaats") == "parking"
    assert sample.camera_called("garage") is None


def test_structural_problems_are_reported_with_their_lines():
    text = SAMPLE.read_text()
    text = text.replace("    aliases: [square", "    alias: [square")  # an unknown key
    text = text.replace("min_count: 6", "min_count: 0")
    text = text.replace("level: 3", "level: 7")
    found = problems_of(text)
    lines = text.splitlines()
    assert len(found) == 3
    for shown, needle in zip(found, ("alias: [square", "level: 7", "min_count: 0"), strict=True):
        line = int(shown.split(":")[1])
        assert needle in lines[line - 1], shown


def test_references_to_what_the_site_lacks_are_refused():
    text = SAMPLE.read_text().replace("zone: table", "zone: tabel")
    text = text.replace("escalate_to: [Night guard]", "escalate_to: [Day guard]")
    text = text.replace("id: sample/plaza/crowd", "id: sample/plaza/lawn")
    found = problems_of(text)
    assert any("has no zone 'tabel'" in p for p in found)
    assert any("unknown contact 'Day guard'" in p for p in found)
    assert any("'sample/plaza/lawn' is used twice" in p for p in found)


@pytest.mark.parametrize(
    "text, message",
    [
        ("site: [unclosed", "not valid YAML"),
        ("- a list", "a policy is a YAML mapping"),
        ("site: x\nname: x\ntimezone: Mars/Olympus\ncameras: {a: {}}", "unknown time zone"),
        # a few lines of aliases would grow into millions of rules: written out, or refused
        ("site: x\nname: x\ntimezone: UTC\ncameras: {a: &c {}, b: *c}", "anchors and aliases"),
        # one word, one camera: an alias may not name another camera too
        (
            "site: x\nname: x\ntimezone: UTC\ncameras: {gate: {}, vault: {aliases: [Gate]}}",
            "'Gate' already names camera 'gate'",
        ),
    ],
)
def test_files_that_are_not_policies_say_why(text, message):
    assert any(message in p for p in problems_of(text))


def test_an_unquoted_clock_time_is_a_time_not_a_base_60_number():
    text = SAMPLE.read_text().replace('from: "07:00"', "from: 07:00")
    policy = parse_policy(text)
    assert str(policy.schedules["office-hours"].hours[0].start) == "07:00:00"


def test_armed_clauses_follow_schedules_holidays_and_the_site_zone(sample):
    def armed(at: str) -> set[str]:
        moment = parse_at(at, sample.zone, datetime(2026, 11, 23, 12, tzinfo=UTC))
        return {a.rule.id for a in armed_rules(sample, moment) if a.armed}

    always = {"sample/plaza/lawn", "sample/plaza/crowd", "sample/all/staff-in-vests"}
    always |= {"sample/all/person-down"}
    night = always | {"sample/lobby/after-hours", "sample/parking/vehicle-after-hours"}
    day = always | {"sample/lobby/loitering-at-table", "sample/parking/hi-vis-in-hours"}
    day |= {"sample/plaza/cyclists"}
    assert armed("Sat 02:00") == night
    assert armed("Tue 10:00") == day
    assert armed("Sat 10:00") == day and armed("Sat 14:00") == night
    assert armed("2026-12-25T10:00") == night  # Christmas: a holiday
    assert armed("2026-11-24T06:30:00Z") == day  # 07:30 in Amsterdam
    with pytest.raises(InvalidInputError):
        parse_at("Mon 25:00", sample.zone, datetime.now(UTC))


def test_hours_past_midnight_belong_to_the_day_they_start():
    text = SAMPLE.read_text().replace(
        '      - days: [sat]\n        from: "09:00"\n        to: "13:00"',
        '      - days: [sat]\n        from: "22:00"\n        to: "02:00"',
    )
    policy = parse_policy(text)
    hours = policy.schedules["office-hours"]
    at = lambda s: datetime.fromisoformat(s).replace(tzinfo=policy.zone)  # noqa: E731
    assert hours.on_at(at("2026-11-28T23:00")) and hours.on_at(at("2026-11-29T01:30"))
    assert not hours.on_at(at("2026-11-29T23:00"))


def test_the_published_schema_is_the_models_schema():
    assert json.loads((REPO / "policies" / "schema.json").read_text()) == policy_schema()


def test_a_rule_for_all_cameras_is_armed_on_each_and_a_zone_must_be_on_every_camera_named():
    text = SAMPLE.read_text().replace(
        "rules:\n",
        "rules:\n  - id: sample/all/night\n    title: Anyone anywhere at night\n"
        "    camera: all\n    objects: [person]\n    when: outside office-hours\n"
        "    level: 3\n",
        1,
    )
    policy = parse_policy(text, "site.yaml")
    saturday = datetime(2026, 11, 21, 2, 0, tzinfo=policy.zone)
    for camera in policy.cameras:
        assert "sample/all/night" in [a.rule.id for a in armed_rules(policy, saturday, camera)]
    zoned = text.replace("    camera: all\n", "    camera: all\n    zone: table\n", 1)
    assert any("name the cameras that have zone 'table'" in p for p in problems_of(zoned))
    both = text.replace("    camera: all\n", "    camera: [lobby, parking]\n    zone: table\n", 1)
    assert any("camera 'parking' has no zone 'table'" in p for p in problems_of(both))
