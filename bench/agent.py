"""Agent latency on 2 cores: time to the first visible step, the model's tokens/s, and
the whole (checked) answer.

Runs the real agent (packaged Qwen2.5 1.5B GGUF, llama.cpp) over a throw-away store of the
sample clips, with the questions of tests/data/qa.json, after one warm-up of the system
prompt (a server does that at start). The operator sees each step as it starts (a tool
call, the model writing) and the answer's words only once checked. Printed per question
and as medians, with the targets: first step under 3 s, a typical answer under 10 s.

    .venv/bin/python bench/agent.py [N_QUESTIONS]      (default: 8)
    .venv/bin/python bench/agent.py --quick            one question over one clip: it runs
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

# run as a script, this file's folder comes first on sys.path and its name hides the
# `agent` package it measures
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

from agent.evaluate import sample_agent  # noqa: E402
from vigil.models import ModelRegistry  # noqa: E402
from vigil.settings import Settings  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
VTEST = REPO / "var" / "samples" / "vtest.avi"


class TimedModel:
    """Wraps the real model; counts generated tokens (one streamed chunk each) and time."""

    def __init__(self, model) -> None:
        self.model = model
        self.name = model.name
        self.tokens = 0
        self.generating_s = 0.0

    def stream(self, messages, schema=None, max_tokens=256, cancel=None):
        first = None
        for chunk in self.model.stream(messages, schema, max_tokens, cancel):
            now = time.perf_counter()
            if first is None:
                first = now
            self.tokens += 1
            yield chunk
        if first is not None:
            self.generating_s += time.perf_counter() - first


VISIBLE = ("tool", "progress", "answer", "error")  # what the operator sees as it happens


def main() -> None:
    quick = "--quick" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--quick"]
    n = 1 if quick else int(args[0]) if args else 8
    spec = json.loads((REPO / "tests" / "data" / "qa.json").read_text())
    if quick:  # the first question over its own clip only
        spec = {**spec, "clips": {"parking": spec["clips"]["parking"]}}
    models = ModelRegistry(Settings())
    timed = TimedModel(models.llm)
    rows = []
    with sample_agent(SHARED, VTEST, spec, models, timed) as agent:
        for item in spec["questions"][:n]:
            timed.tokens, timed.generating_s = 0, 0.0
            t0 = time.perf_counter()
            first = None
            for event in agent.ask(item["question"]):
                if event.kind in VISIBLE and first is None:
                    first = time.perf_counter() - t0
            total = time.perf_counter() - t0
            rate = (timed.tokens - 1) / timed.generating_s if timed.generating_s else 0.0
            rows.append((item["question"], first, total, timed.tokens, rate))
    print("targets (2 cores): first visible step < 3 s, typical answer < 10 s")
    print(f"{'question':<58}{'first s':>8}{'total s':>8}{'tokens':>7}{'tok/s':>7}")
    for question, first, total, tokens, rate in rows:
        print(f"{question[:57]:<58}{first:>8.1f}{total:>8.1f}{tokens:>7}{rate:>7.1f}")
    rates = [r[4] for r in rows if r[4]]
    print(
        f"median: first visible step {statistics.median(r[1] for r in rows):.1f} s, whole "
        f"answer {statistics.median(r[2] for r in rows):.1f} s, "
        f"{statistics.median(rates) if rates else 0:.1f} tokens/s "
        f"({len(rates)} of {len(rows)} answers asked the model)"
    )


if __name__ == "__main__":
    main()
