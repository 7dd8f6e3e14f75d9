"""An answer's claims checked against what its cited frames show, typed (pure).

The grounding check (`agent.citations`) asks whether an answer says something its frames
show at all. This one asks whether each cited frame shows the claimed subject with the
claimed looks: the kind of thing (person, vehicle), colours by body part, posture, what
is worn or carried, read from the question and the answer in any site language
(`vigil.vocabulary`) and compared with the frames' typed detections, which carry their
track's one description. A clock time the answer states must be one its frames (or the
tracks it was given) show. Where a frame does not show the claim, its citation goes to a
frame shown to the model that does; where none does, the answer says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from agent.citations import (
    CITATION,
    CLOCK,
    LABELS,
    NOT_SHOWN_TEXT,
    closest_matches,
    frame_facts,
    states_time,
)
from agent.understanding import Asked
from vigil.domain import Detection, FrameEvidence
from vigil.vocabulary import SEATS, Looks, looks_fit, read_looks

TIME_SLACK_S = 5  # a clock time stated within this of a cited frame's time is its time


@dataclass(frozen=True)
class ClaimCheck:
    """The answer after the check: the model's (its citations maybe moved to the frames
    that show its claim), or the check's own words in its place (``replaced``)."""

    text: str
    replaced: bool = False
    why: str = ""  # what the check changed, if anything


Seen = tuple[Detection, tuple[str, ...]]  # a detection and the postures its track was seen in


def frame_shows(kind: str | None, looks: Looks, seen: Sequence[Seen]) -> bool | None:
    """Whether one frame shows a ``kind`` (person, vehicle; None: anything) that looks as
    ``looks`` says: True where one of its detections fits, False where every one of that
    kind contradicts it (or none is of that kind), None where none can tell."""
    mine = [(d, postures) for d, postures in seen if kind is None or d.cls == kind]
    if not mine:
        return False if kind in ("person", "vehicle") else None
    if not looks.said and not looks.objects:
        return True
    fits = [looks_fit(looks, d, postures) for d, postures in mine] if looks.said else [None]
    if any(f is True for f in fits):
        return True
    if not any(f is None for f in fits):
        return False
    # where it sits or lies ("at a table") is seen on still images only: its absence from
    # a video frame tells nothing, its presence does (a bird seen tells not that it sat)
    labels = {d.label for d, _ in seen}
    seats = set(looks.objects) & SEATS
    return True if seats and seats <= labels else None


def shown_as_asked(
    asked: Asked, frames: dict[str, FrameEvidence], seen: dict[str, list[Seen]]
) -> dict[str, bool | None]:
    """Whether each frame shown (label -> `frame_shows`) shows the question's subject as
    the question says it looks; nothing where it says nothing of its looks."""
    if not asked.looks.said:
        return {}
    return {
        label: frame_shows(asked.kind, asked.looks, seen.get(f.frame_id, []))
        for label, f in frames.items()
    }


def not_shown(what: str, frames: dict[str, FrameEvidence], language: str) -> str:
    """ "No frame shows what was asked (``what``)", with the nearest frames' facts."""
    return f"{NOT_SHOWN_TEXT[language].format(what=what)}{frame_facts(frames, language)}."


def denial_holds(verdicts: dict[str, bool | None]) -> bool:
    """Whether a "no" is right by what the frames show (`shown_as_asked`): no frame shown
    shows it, and at least one shows otherwise."""
    found = list(verdicts.values())
    return True not in found and False in found


def claimed_looks(asked: Asked, answer: str) -> Looks:
    """What an affirmative answer claims of its subject: the question's looks, with the
    colours and posture the answer adds (quoted captions and citations left out)."""
    own = read_looks(CITATION.sub(" ", answer), vehicle=asked.kind == "vehicle")
    colours = dict(asked.looks.colours)
    for part, colour in own.colours:
        colours.setdefault(part, colour)
    return Looks(
        colours=tuple(colours.items()),
        posture=asked.looks.posture or own.posture,
        wearing=asked.looks.wearing,
        carrying=asked.looks.carrying,
        vehicle=asked.looks.vehicle,
        objects=tuple(dict.fromkeys([*asked.looks.objects, *own.objects])),
        words=asked.looks.words,
    )


def check_claims(
    answer: str,
    asked: Asked,
    frames: dict[str, FrameEvidence],
    seen: dict[str, list[Seen]],
    language: str,
    times: Sequence[str] = (),
) -> ClaimCheck:
    """The answer with each citation resting on a frame that shows the claim.

    ``frames``: every frame shown to the model by label; ``seen``: their detections (with
    their tracks' postures) by frame id; ``times``: when the tracks the model was given
    came and left (HH:MM:SS), which an answer may state. A cited frame that does not show
    the claimed subject and looks is replaced by the shown frames that do (one that
    cannot tell stays); where none does, the answer becomes "no frame shows what was
    asked" with the nearest frames. A stated clock time none of its frames (nor the
    tracks) shows makes the answer its frames' facts."""
    cited = [label for label in dict.fromkeys(LABELS.findall(answer)) if label in frames]
    if not cited:
        return ClaimCheck(answer)
    looks = claimed_looks(asked, answer)
    if not looks.said and not looks.objects:  # the frames passed the relevance check
        return _timed(answer, cited, frames, times, language)

    def shows(label: str) -> bool | None:
        return frame_shows(asked.kind, looks, seen.get(frames[label].frame_id, []))

    verdicts = {label: shows(label) for label in frames}
    supported = [label for label in cited if verdicts[label] is True]
    if not supported:  # what no frame can tell (posture on a still) is not denied
        supported = [label for label in cited if verdicts[label] is None]
    if not supported:
        others = [label for label in frames if label not in cited and verdicts[label] is True]
        if not others:
            text = not_shown(looks.words or " ".join(asked.subjects), frames, language)
            return ClaimCheck(text, True, "no frame shows the claim")
        supported = others[:3]
    if supported != cited:
        answer = _recite(answer, cited, supported)
    checked = _timed(answer, supported, frames, times, language)
    if supported != cited and not checked.replaced:
        return ClaimCheck(checked.text, False, "citations moved to the frames that show it")
    return checked


def _timed(
    answer: str,
    cited: list[str],
    frames: dict[str, FrameEvidence],
    times: Sequence[str],
    language: str,
) -> ClaimCheck:
    """The answer, or its cited frames' facts where it states a clock time none of them
    (nor the tracks it was given) shows."""
    if _times_shown(answer, [frames[label] for label in cited], times):
        return ClaimCheck(answer)
    kept = {label: frames[label] for label in cited}
    return ClaimCheck(closest_matches(kept, language), True, "a stated time no cited frame shows")


def _recite(answer: str, cited: list[str], supported: list[str]) -> str:
    """The answer citing ``supported`` in place of what it cited."""
    first = True

    def replace(match: re.Match) -> str:
        nonlocal first
        labels = [label for label in re.findall(r"F\d{1,3}", match.group(0)) if label in cited]
        if not labels:
            return match.group(0)
        if first:
            first = False
            return "".join(f"[{label}]" for label in supported)
        return ""

    return CITATION.sub(replace, answer)


def _times_shown(answer: str, frames: Sequence[FrameEvidence], times: Sequence[str]) -> bool:
    """Whether every clock time the answer states is one of its frames' (within
    `TIME_SLACK_S`) or of the tracks it was given."""
    near = [
        f"{f.time + timedelta(seconds=d):%H:%M:%S}"
        for f in frames
        for d in range(-TIME_SLACK_S, TIME_SLACK_S + 1)
    ]
    return all(
        states_time(said.group(0), [*near, *times])
        for said in CLOCK.finditer(CITATION.sub(" ", answer))
    )
