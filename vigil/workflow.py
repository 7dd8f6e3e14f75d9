"""Who may move a report where: draft -> edited -> submitted -> approved, as pure rules.

Every change makes a new version. An approved report is read-only: an amendment starts a
new version from it (back to edited), and the approved one stays as it was. A report not
yet approved is withdrawn when the alarm it was drafted for turns out false (a person
overruled the verdict); an amendment brings it back, should the alarm be confirmed again.
"""

from __future__ import annotations

from vigil.domain import ROLES
from vigil.errors import InvalidInputError, NotAllowedError, StateError

# action -> (lowest role, statuses it starts from, status it leaves)
ACTIONS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "edit": ("operator", ("draft", "edited", "submitted"), "edited"),
    "amend": ("operator", ("approved", "withdrawn"), "edited"),
    "withdraw": ("operator", ("draft", "edited", "submitted"), "withdrawn"),
    "submit": ("operator", ("draft", "edited"), "submitted"),
    "return": ("supervisor", ("submitted",), "edited"),
    "approve": ("supervisor", ("submitted",), "approved"),
}


def editing(status: str) -> str:
    """The action that saves a changed report: an edit, or an amendment once approved (a
    withdrawn report comes back only when its alarm is confirmed again)."""
    if status == "withdrawn":
        raise StateError(
            "the report was withdrawn when its alarm was overruled: confirm the alarm again "
            "to bring it back"
        )
    return "amend" if status == "approved" else "edit"


def may(role: str, lowest: str) -> bool:
    """Whether ``role`` is ``lowest`` or above it."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(lowest)


def require_role(role: str, lowest: str, what: str) -> None:
    if not may(role, lowest):
        raise NotAllowedError(f"{what} needs the {lowest} role or above (you are {role})")


def next_status(action: str, status: str, role: str) -> str:
    """The status ``action`` leaves a report in ``status`` in, for a user of ``role``; a
    clear error when the role or the status does not allow it."""
    if action not in ACTIONS:
        raise InvalidInputError(f"a report action is one of {', '.join(ACTIONS)}")
    lowest, starts, leaves = ACTIONS[action]
    require_role(role, lowest, f"to {action} a report")
    if status not in starts:
        if status == "approved":
            raise StateError("the report is approved and read-only: amend it for a new version")
        raise StateError(f"a report that is {status} cannot be {action}ed")
    return leaves
