"""Incident reports in the store, SQLite and PostgreSQL: versions, the workflow, a guard
against overwriting an edit made meanwhile, one incident per origin, each step audited."""

from __future__ import annotations

import pytest

from vigil.domain import IncidentReport, Statement
from vigil.errors import StateError
from vigil.store import Store


def test_a_report_is_versioned_through_its_workflow(sql_settings):
    store = Store(sql_settings)
    draft = IncidentReport(title="Door forced", site="default", cameras=["lobby"],
                           start=None, end=None)  # fmt: skip
    made, new = store.reports.create("alarm", "a1", draft, "vigil", "vigil")
    again, new_again = store.reports.create("alarm", "a1", draft, "vigil", "vigil")
    assert new and not new_again and again.id == made.id
    edited = draft.model_copy(update={"description": [Statement(text="A person at the door")]})
    store.reports.change(made.id, "edit", "olivia", "operator", edited, expected_version=1)
    with pytest.raises(StateError, match="changed meanwhile"):
        store.reports.change(made.id, "edit", "sam", "operator", draft, expected_version=1)
    store.reports.change(made.id, "submit", "olivia", "operator")
    done = store.reports.change(made.id, "approve", "sam", "supervisor")
    assert (done.status, done.version) == ("approved", 4)
    assert store.reports.get(made.id, version=2).report.description[0].text.startswith("A pe")
    assert store.reports.counts() == {"approved": 1}
    assert [e.action for e in store.audit.entries(subject_prefix="incident:")] == [
        "report.draft", "report.edit", "report.submit", "report.approve"
    ]  # fmt: skip
    assert store.audit.verify().intact
