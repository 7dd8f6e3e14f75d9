"""`vigil policy draft`: control flow with a scripted model, and one draft by the real one."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.policy_draft import draft_policy, sentences
from tests.fakes import ScriptedModel
from vigil.policies import load_policy, parse_policy

SAMPLE = Path(__file__).resolve().parents[2] / "policies" / "sample.yaml"
WHEN = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def rule(**fields) -> dict:
    return {
        "title": "Anyone in the hall after hours",
        "name": "after-hours",
        "camera": "lobby",
        "zone": "whole frame",
        "objects": ["person"],
        "when": "outside open",
        "min_dwell_s": 0,
        "min_count": 1,
        "seen": [],
        "required_wear": [],
        "wearing": [],
        "verdict": "confirmed",
        "level": 3,
        "priority": "high",
        "actions": ["Send the guard"],
        "escalate_to": ["Night guard"],
    } | fields


def test_a_draft_keeps_the_sites_cameras_and_adds_the_drafted_schedules_and_rules():
    words = (
        "Open on weekdays from 8 to 18. Nobody may be in the hall after hours. "
        "Nobody may be in the hall at night either!\nCars on the lawn are to be checked."
    )
    assert len(sentences(words)) == 4
    hours = [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "18:00"}]
    model = ScriptedModel(
        [
            json.dumps({"schedules": [{"name": "open", "hours": hours}]}),
            json.dumps({"sets_a_rule": False, "rules": []}),
            json.dumps({"sets_a_rule": True, "rules": [rule()]}),
            json.dumps({"sets_a_rule": True, "rules": [rule()]}),  # the same name again
            json.dumps(
                {
                    "sets_a_rule": True,
                    "rules": [rule(camera="plaza", zone="lawn", objects=["vehicle"])],
                }
            ),
        ]
    )
    base = load_policy(SAMPLE)
    draft = draft_policy(model, base, words, "words.txt", WHEN)
    assert draft.problems == [] and draft.rules == 3
    assert draft.yaml.startswith("# DRAFT written by the local language model (scripted)")
    policy = parse_policy(draft.yaml)
    assert policy.cameras == base.cameras and policy.contacts == base.contacts
    assert list(policy.schedules) == ["open"] and policy.schedules["open"].hours[0].days[0] == "mon"
    assert [r.id for r in policy.rules] == [
        "sample/lobby/after-hours",
        "sample/lobby/after-hours-2",
        "sample/plaza/after-hours",
    ]
    assert policy.rules[0].zone is None and policy.rules[2].zone == "lawn"
    # the rules' schema offers only the site's names and the schedules drafted before
    rules_schema = model.schemas[1]["properties"]["rules"]["items"]["properties"]
    assert rules_schema["camera"]["enum"] == ["lobby", "parking", "plaza", "all"]
    assert rules_schema["when"]["enum"] == ["always", "during open", "outside open"]
    assert "<data>" in model.prompts[1][1]["content"]  # the words are fenced as data


def test_a_draft_writes_allow_clauses_rules_on_every_camera_and_what_people_do():
    model = ScriptedModel(
        [
            json.dumps({"schedules": []}),
            json.dumps(
                {
                    "sets_a_rule": True,
                    "rules": [
                        rule(camera="all", name="anyone", when="always"),
                        rule(
                            name="vested",
                            wearing=["hi-vis vest"],
                            when="always",
                            verdict="false_alarm",
                            level=0,
                            actions=[],
                            escalate_to=[],
                        ),  # fmt: skip
                        rule(name="down", seen=["lying"], when="always", level=4),
                        rule(
                            name="bikes",
                            objects=["bicycle"],
                            when="always",
                            verdict="false_alarm",
                            level=0,
                        ),  # fmt: skip
                    ],
                }
            ),
        ]
    )
    draft = draft_policy(model, load_policy(SAMPLE), "Some words.", "w.txt", WHEN)
    assert draft.problems == [], draft.yaml
    anyone, vested, down, bikes = parse_policy(draft.yaml).rules
    assert anyone.id == "sample/all/anyone" and anyone.camera == "all"
    assert vested.allows and vested.wearing == ["hi-vis vest"]
    assert down.seen == ["lying"] and not down.allows
    assert bikes.objects == ["bicycle"] and bikes.allows


def test_a_drafted_zone_of_another_camera_is_reported_with_its_line():
    model = ScriptedModel(
        [
            json.dumps({"schedules": []}),
            json.dumps({"sets_a_rule": True, "rules": [rule(zone="lawn", when="always")]}),
        ]
    )
    draft = draft_policy(model, load_policy(SAMPLE), "No one at the lawn.", "w.txt", WHEN)
    assert len(draft.problems) == 1
    assert "camera 'lobby' has no zone 'lawn'" in draft.problems[0]
    assert draft.problems[0].startswith("draft:")  # with its line in the draft


@pytest.mark.slow
def test_the_real_model_drafts_a_valid_policy_from_words_it_has_not_seen(models):
    words = (
        "Our shop is open Tuesday to Saturday, 10:00 to 18:00.\n"
        "Outside opening hours, a person on the square is a trespasser: alert the night "
        "guard.\n"
        "When the car park holds a vehicle after closing time, somebody should check it."
    )
    draft = draft_policy(models.llm, load_policy(SAMPLE), words, "shop.txt", WHEN)
    assert draft.problems == [], draft.yaml
    policy = parse_policy(draft.yaml)
    assert policy.schedules and 1 <= len(policy.rules) <= 6
    square = [r for r in policy.rules if r.camera == "plaza"]
    assert square and "person" in square[0].objects and square[0].when != "always"


@pytest.mark.slow
def test_the_real_model_drafts_the_new_forms_from_words_it_has_not_seen(models):
    words = (
        "The depot is staffed Monday to Friday from 07:00 to 19:00.\n"
        "Outside staffed hours, anyone seen on any camera is an intruder.\n"
        "Staff wearing a hi-vis vest are allowed in the car park at any time.\n"
        "A person lying on the ground is a medical emergency: call 112."
    )
    draft = draft_policy(models.llm, load_policy(SAMPLE), words, "depot.txt", WHEN)
    assert draft.problems == [], draft.yaml
    rules = parse_policy(draft.yaml).rules
    assert any(r.camera == "all" and r.when.startswith("outside") for r in rules), draft.yaml
    allowed = [r for r in rules if r.allows]
    assert allowed and allowed[0].wearing == ["hi-vis vest"], draft.yaml
    assert allowed[0].camera == "parking", draft.yaml
    down = [r for r in rules if r.seen == ["lying"]]
    assert down and down[0].level == 4 and not down[0].allows, draft.yaml
