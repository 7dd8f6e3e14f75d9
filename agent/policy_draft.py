"""`vigil policy draft`: a site's policy in plain words, drafted into rules by the local LLM.

The cameras, zones and contacts come from a base policy file (no model can know a site's
polygons); the LLM writes schedules and rules into a JSON schema whose camera, zone and
contact names are limited to the base's, so what it writes always parses. The draft is
then checked like any policy file and written with a header saying that a person must
review it: nothing drafted is armed until someone has checked and installed it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

import yaml

from vigil.errors import ModelFailureError
from vigil.inputs import camera_named_in
from vigil.policies import PolicyError, SitePolicy, parse_policy
from vigil.policies.model import ALL_CAMERAS, SLUG, WEEKDAYS, Doing, ObjectKind, SafetyWear
from vigil.prompts import fence, render_prompt

WHOLE_FRAME = "whole frame"
MAX_WORDS = 6000
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
MAX_TOKENS = 900


@dataclass(frozen=True)
class PolicyDraft:
    yaml: str  # the whole policy, header included
    problems: list[str]  # what `vigil policy check` would say; empty when it is valid
    rules: int


def schedules_schema() -> dict:
    """The JSON the LLM may write for the schedules a text names."""
    hours = {
        "type": "object",
        "properties": {
            "days": {"type": "array", "items": {"enum": list(WEEKDAYS)}, "minItems": 1},
            "from": {"type": "string", "pattern": CLOCK},
            "to": {"type": "string", "pattern": CLOCK},
        },
        "required": ["days", "from", "to"],
    }
    schedule = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "pattern": f"^{SLUG}$"},
            "hours": {"type": "array", "items": hours, "minItems": 1, "maxItems": 7},
        },
        "required": ["name", "hours"],
    }
    return {
        "type": "object",
        "properties": {"schedules": {"type": "array", "items": schedule, "maxItems": 4}},
        "required": ["schedules"],
    }


def rules_schema(base: SitePolicy, schedules: list[str]) -> dict:
    """The JSON the LLM may write for one sentence's rules: only the base's cameras (or all
    of them), zones and contacts, the schedules drafted before, and the kinds, wear and
    doings a rule may name. Lines are not drafted: like zones, they are drawn on a camera."""
    zones = sorted({z for c in base.cameras.values() for z in c.zones}) + [WHOLE_FRAME]
    whens = ["always"] + [f"{w} {n}" for n in schedules for w in ("during", "outside")]
    contacts = [c.name for c in base.contacts]
    wear = list(SafetyWear.__args__)
    rule = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "name": {"type": "string", "pattern": f"^{SLUG}$"},
            "camera": {"enum": [*sorted(base.cameras), ALL_CAMERAS]},
            "zone": {"enum": zones},
            "objects": {
                "type": "array",
                "items": {"enum": list(ObjectKind.__args__)},
                "minItems": 1,
                "maxItems": 3,
            },
            "when": {"enum": whens},
            "min_dwell_s": {"type": "integer", "minimum": 0},
            "min_count": {"type": "integer", "minimum": 1},
            "seen": {"type": "array", "items": {"enum": list(Doing.__args__)}, "maxItems": 2},
            "required_wear": {"type": "array", "items": {"enum": wear}, "maxItems": 2},
            "wearing": {"type": "array", "items": {"enum": wear}, "maxItems": 2},
            "verdict": {"enum": ["confirmed", "needs_review", "false_alarm"]},
            "level": {"type": "integer", "minimum": 0, "maximum": 4},
            "priority": {"enum": ["low", "normal", "high", "critical"]},
            "actions": {"type": "array", "items": {"type": "string"}, "maxItems": 4},
            "escalate_to": {"type": "array", "items": {"enum": contacts}}
            if contacts
            else {"type": "array", "maxItems": 0},
        },
        "required": [
            "title",
            "name",
            "camera",
            "zone",
            "objects",
            "when",
            "min_dwell_s",
            "min_count",
            "seen",
            "required_wear",
            "wearing",
            "verdict",
            "level",
            "priority",
            "actions",
            "escalate_to",
        ],  # fmt: skip
    }
    return {
        "type": "object",
        "properties": {
            "sets_a_rule": {"type": "boolean"},  # said first: the model commits to it
            "rules": {"type": "array", "items": rule, "maxItems": 2},
        },
        "required": ["sets_a_rule", "rules"],
    }


def sentences(words: str) -> list[str]:
    """The policy text's sentences, each a candidate for rules."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", words) if len(s.strip()) > 3]


def draft_policy(llm, base: SitePolicy, words: str, source: str, made: datetime) -> PolicyDraft:
    """Draft ``base`` with the schedules and rules that ``words`` describe: first the
    schedules from the whole text, then the rules of each sentence in turn (a small model
    keeps one situation apart from the next far better than a whole page at once)."""
    words = words.strip()
    if not words:
        raise ModelFailureError("the policy text is empty: nothing to draft")
    site = {n: {"aliases": c.aliases, "zones": list(c.zones)} for n, c in base.cameras.items()}
    contacts = [c.name for c in base.contacts]
    text = f"<data>{fence(words, MAX_WORDS)}</data>"

    def ask(task: str, user: str, schema: dict, **values) -> dict:
        system = render_prompt(
            "policy_draft.j2", task=task, cameras=site, contacts=contacts, **values
        )
        messages = [{"role": "system", "content": system.text}, {"role": "user", "content": user}]
        reply = "".join(llm.stream(messages, schema=schema, max_tokens=MAX_TOKENS))
        try:
            return json.loads(reply)
        except ValueError as exc:
            raise ModelFailureError(f"the model's draft is not complete JSON ({exc})") from None

    schedules = {
        s["name"]: {"hours": s["hours"]}
        for s in ask("schedules", f"Text: {text}", schedules_schema())["schedules"]
    }
    drafted: list[dict] = []
    for sentence in sentences(words):
        user = f"Text: {text}\nSentence: <data>{fence(sentence)}</data>"
        schema = rules_schema(base, list(schedules))
        answer = ask("rules", user, schema, schedules=list(schedules))
        if answer["sets_a_rule"]:
            drafted += [_on_named_camera(base, sentence, r) for r in answer["rules"]]
    policy = _assembled(base, schedules, drafted)
    yaml_text = _header(llm.name, source, made) + yaml.safe_dump(
        policy, sort_keys=False, allow_unicode=True, width=100
    )
    try:
        parse_policy(yaml_text, "draft")
        problems: list[str] = []
    except PolicyError as exc:
        problems = [p.show("draft") for p in exc.problems]
    return PolicyDraft(yaml_text, problems, len(policy["rules"]))


def _on_named_camera(base: SitePolicy, sentence: str, rule: dict) -> dict:
    """The rule on the camera the sentence names by a name or alias, where it names exactly
    one (found in code: a small model maps "the square" to the wrong camera); a zone of
    the camera the model had chosen then becomes the whole frame."""
    named = camera_named_in(sentence, list(base.cameras), base.aliases)
    if named is None or named == rule["camera"]:
        return rule
    zone = rule["zone"] if rule["zone"] in base.cameras[named].zones else WHOLE_FRAME
    return rule | {"camera": named, "zone": zone}


def _assembled(base: SitePolicy, schedules: dict, drafted: list[dict]) -> dict:
    """The base's site, cameras and contacts with the drafted schedules and rules; a rule
    id that repeats gets a number."""
    kept = base.model_dump(
        mode="json", by_alias=True, exclude_none=True, exclude={"schedules", "rules"}
    )
    rules, ids = [], set()
    for r in drafted:
        rule_id = f"{base.site}/{r['camera']}/{r['name']}"
        n = 2
        while rule_id in ids:
            rule_id, n = f"{base.site}/{r['camera']}/{r['name']}-{n}", n + 1
        ids.add(rule_id)
        rule = {"id": rule_id, "title": r["title"], "camera": r["camera"]}
        if r["zone"] != WHOLE_FRAME:
            rule["zone"] = r["zone"]
        rule |= {k: r[k] for k in ("objects", "when", "min_dwell_s", "min_count")}
        if r["verdict"] == "false_alarm":  # wear named for an allow clause is what allows
            r = r | {"wearing": sorted({*r["wearing"], *r["required_wear"]}), "required_wear": []}
        rule |= {k: r[k] for k in ("seen", "required_wear", "wearing") if r[k]}
        rule |= {k: r[k] for k in ("verdict", "level", "priority", "actions", "escalate_to")}
        rules.append(rule)
    return {**kept, "schedules": schedules, "rules": rules}


def _header(model: str, source: str, made: datetime) -> str:
    return (
        f"# DRAFT written by the local language model ({model}) from {source}\n"
        f"# on {made:%Y-%m-%d %H:%M %Z}. Nothing here is armed: a person must read every\n"
        "# clause against the written policy, fix it, and run `vigil policy check` before\n"
        "# installing it as the site policy.\n"
    )
