"""Past verdicts in hindsight, on a sample site of its own: how people judged each rule,
and what a changed policy would have decided on the alarms already verified."""

from __future__ import annotations

import pytest

from agent.hindsight import rule_stats, what_if
from tests.conftest import sample_alarm_site, verified_lobby_alarm
from vigil.policies import load_policy, parse_policy
from web.deps import alarm_desk

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory, models, shared_data):
    ctx = sample_alarm_site(tmp_path_factory.mktemp("hindsight"), models, shared_data)
    first = verified_lobby_alarm(ctx, "hindsight-1", 12)
    verified_lobby_alarm(ctx, "hindsight-2", 30)
    alarm_desk(ctx).review(first.id, "overrule", "the cleaner", "olivia", "false_alarm")
    return ctx


def test_each_rule_shows_its_alarms_and_how_often_people_overruled_it(site):
    alarms = site.store.alarms.list(status="verified", limit=100)
    (after_hours,) = [r for r in rule_stats(alarms) if r.rule == "sample/lobby/after-hours"]
    assert (after_hours.alarms, after_hours.reviewed, after_hours.overruled) == (2, 1, 1)
    assert after_hours.overrule_rate == 1.0 and after_hours.closed_share == 0.0


def test_the_same_policy_changes_nothing_and_a_changed_one_says_what_flips(site):
    alarms = site.store.alarms.list(status="verified", limit=100)
    policy = load_policy(site.settings.policy_file)
    same = what_if(site.settings, site.store, policy, alarms)
    assert same.weighed == 2 and same.flips == []
    text = site.settings.policy_file.read_text()
    office_hours_only = parse_policy(
        text.replace("    when: outside office-hours\n", "    when: during office-hours\n", 1)
    )  # the lobby's clause now armed in office hours only: the night's alarms go
    changed = what_if(site.settings, site.store, office_hours_only, alarms)
    assert changed.by_change() == {("confirmed", "false_alarm"): 2}
    assert {f.was_rules for f in changed.flips} == {("sample/lobby/after-hours",)}


def test_a_verdict_replays_the_same_until_its_video_changes(site):
    from datetime import UTC, datetime

    from agent.hindsight import replay

    alarm = [a for a in site.store.alarms.list(status="verified", limit=100) if a.verdict][0]
    now = datetime.now(UTC)
    same = replay(site.settings, site.store, alarm.camera, alarm.time, alarm.verdict, now)
    assert same.same and same.differences == [] and same.why == []
    assert (site.settings.data_dir / "policies" / f"{alarm.verdict.basis['policy']}.json").is_file()
    video = int(next(iter(alarm.verdict.basis["tracks"])).split(":")[0])
    kept = site.settings.data_dir / "policies" / f"{alarm.verdict.basis['policy']}.json"
    original = kept.read_bytes()
    kept.write_bytes(original.replace(b"Night guard", b"Day guard"))  # edited behind its back
    edited = replay(site.settings, site.store, alarm.camera, alarm.time, alarm.verdict, now)
    assert not edited.same and "changed since" in edited.differences[0]
    kept.write_bytes(original)
    site.store.tracks.delete_for_video(video)  # the video's tracks made again, say: gone here
    changed = replay(site.settings, site.store, alarm.camera, alarm.time, alarm.verdict, now)
    assert not changed.same and changed.differences[0].startswith("verdict: confirmed then")
    assert any("tracks no longer stored since" in why for why in changed.why)
