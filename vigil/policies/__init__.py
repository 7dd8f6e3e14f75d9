"""Site policies: the model (cameras, zones, schedules, rules), loading with line-numbered
problems, and which clauses are armed when."""

from vigil.policies.explain import Armed, armed_rules, parse_at
from vigil.policies.load import PolicyError, PolicyProblem, load_policy, parse_policy
from vigil.policies.model import Camera, Rule, Schedule, SitePolicy

__all__ = [
    "Armed",
    "Camera",
    "PolicyError",
    "PolicyProblem",
    "Rule",
    "Schedule",
    "SitePolicy",
    "armed_rules",
    "load_policy",
    "parse_at",
    "parse_policy",
]


def policy_schema() -> dict:
    """The published JSON schema of a policy file (policies/schema.json)."""
    return SitePolicy.model_json_schema(by_alias=True)
