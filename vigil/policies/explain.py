"""Which clauses are armed when: for `vigil policy explain` and for verification."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from vigil.domain import Phrase
from vigil.errors import InvalidInputError
from vigil.inputs import parse_time, printable
from vigil.policies.model import WEEKDAYS, Rule, SitePolicy
from vigil.saying import say

_DAY_CLOCK = re.compile(r"^(?:(mon|tue|wed|thu|fri|sat|sun)\w*\s+)?(\d{1,2}):(\d{2})$", re.I)


@dataclass(frozen=True)
class Armed:
    rule: Rule
    armed: bool
    phrase: Phrase  # why (not) armed, said in each reader's language

    @property
    def reason(self) -> str:
        """Why, in English."""
        return say(self.phrase)


def parse_at(text: str, tz: ZoneInfo, now: datetime) -> datetime:
    """A moment as people type it: "Sat 02:00" (the next such day, or today), "14:30"
    (today), or an ISO-8601 date-time; read in the site's zone, returned aware."""
    match = _DAY_CLOCK.match(text.strip())
    if not match:
        parsed = parse_time(text, tz, option="--at")
        assert parsed is not None
        return parsed.astimezone(tz)
    day, hour, minute = match.group(1), int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise InvalidInputError(f"--at '{printable(text)}': no such time of day")
    local = now.astimezone(tz)
    if day:
        ahead = (WEEKDAYS.index(day.lower()[:3]) - local.weekday()) % 7
        local += timedelta(days=ahead)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def armed_rules(policy: SitePolicy, moment: datetime, camera: str | None = None) -> list[Armed]:
    """Every rule (of one camera, if given) with whether it is armed at ``moment``, and why."""
    local = moment.astimezone(policy.zone)
    result = []
    for rule in policy.rules:
        if camera is not None and not rule.covers(camera):
            continue
        armed = policy.armed(rule, local)
        if rule.schedule is None:
            phrase = Phrase(key="always_armed")
        else:
            schedule = policy.schedules[rule.schedule]
            on = schedule.on_at(local)
            state = "holiday" if local.date() in schedule.holidays else "on" if on else "off"
            phrase = Phrase(
                key="armed",
                values={
                    "when": rule.when,
                    "schedule": rule.schedule,
                    "state": state,
                    "weekday": local.weekday(),
                    "at": f"{local:%H:%M}",
                },
            )
        result.append(Armed(rule, armed, phrase))
    return result
