"""Payloads for fuzzing the alarm intake: any JSON value, or a real source's payload with
one field (at any depth) replaced by any JSON value, which reaches far deeper into an
adapter than random JSON does."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import strategies as st

ALARMS = Path(__file__).parent / "data" / "alarms"
SAMPLES = [
    json.loads((ALARMS / name).read_text())
    for name in ("frigate_event_new.json", "frigate_review_new.json", "axis_pir.json")
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=4),
    max_leaves=20,
)  # fmt: skip


@st.composite
def mutated(draw, base: dict | None = None) -> dict:
    """``base`` (default: one of the samples) with one field replaced by any JSON value."""
    value = json.loads(json.dumps(base or draw(st.sampled_from(SAMPLES))))
    node = value
    while isinstance(node, dict) and node:
        key = draw(st.sampled_from(sorted(node)))
        if isinstance(node[key], dict) and draw(st.booleans()):
            node = node[key]
            continue
        node[key] = draw(json_values)
        break
    return value


payloads = mutated() | json_values
