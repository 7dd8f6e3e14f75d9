"""The model's turn and what is made of it: an answer in the question's language, grounded
in the frames it was shown (or in the tracks' own numbers), checked, and stored.

The operator sees how far the answer got while the model writes, never its unchecked
words: the text reaches them in the `answer` event, after the checks here.
"""

from __future__ import annotations

import json
import logging
import time
from contextlib import closing

from langgraph.config import get_stream_writer

from agent.chat.retrieval import run_tool
from agent.chat.state import AgentEvent, AgentState, Engine
from agent.citations import (
    CITATION,
    LABELS,
    SHOWN_TEXT,
    AnswerFieldStreamer,
    cannot_see_text,
    check_answer,
    closest_matches,
    denies,
    frame_facts,
    ground_answer,
    loop_start,
    measured_facts,
    measured_times,
    neutral_people,
    restates,
    speaks_of,
    states_evidence,
    states_measure,
    to_the_second,
    with_labels,
)
from agent.claims import check_claims, denial_holds, not_shown, shown_as_asked
from agent.relevance import subject_words
from agent.tool_runner import Measure, repeats, resolve_labels
from agent.understanding import (
    Asked,
    asks,
    edges_named,
    names_a_camera,
    searched_text,
    side_moment,
)
from agent.verdicts import measured_verdict
from tools.binding import step_schema
from vigil.domain import ChatAnswer
from vigil.language import LANGUAGE_NAMES, language_of
from vigil.prompts import fence, prompt_version, render_prompt
from vigil.vocabulary import heading_in, no_word_for

log = logging.getLogger(__name__)
PROGRESS_EVERY_CHARS = 40  # how often the operator is told the answer is growing
NOTHING_ASKED = "none (nothing to ask the model)"
PROMPTS = (  # the versions of these are stored with every turn
    "chat_system.j2",
    "chat_turn.j2",
    "tool_result.j2",
    "query_rewrite.j2",
    "question_read.j2",
    "answer_language.j2",
)


def decide(engine: Engine, state: AgentState) -> AgentState:
    """One model turn, held to the step schema: an answer, or a call to one more tool."""
    write = get_stream_writer()
    settings = engine.settings
    allow_tools = state["steps"] < settings.agent_max_tool_steps
    schema = step_schema(list(engine.tools.values()), allow_tools)
    streamer = AnswerFieldStreamer()
    started = time.perf_counter()
    write(AgentEvent("progress", {"stage": "writing", "chars": 0}))
    chunks = engine.model().stream(
        state["messages"], schema, settings.agent_answer_tokens, engine.cancel
    )
    shown, looped = 0, None
    with closing(chunks):  # a cancelled question (or a looping model) stops it here
        for chunk in chunks:
            engine.stop_if_cancelled()
            if streamer.feed(chunk) and (looped := loop_start(streamer.text)) is not None:
                log.info("the model repeats itself after %r: stopped", streamer.text[:looped])
                break
            if len(streamer.text) >= shown + PROGRESS_EVERY_CHARS:
                shown = len(streamer.text)
                write(AgentEvent("progress", {"stage": "writing", "chars": shown}))
    log.info("model turn took %.1f s", time.perf_counter() - started)
    try:
        step = {"answer": streamer.text[:looped]} if looped else json.loads(streamer.raw)
    except json.JSONDecodeError:  # cut off at the token limit
        step = {"answer": streamer.text + " [...]"}
    messages = [*state["messages"], {"role": "assistant", "content": streamer.raw}]
    if "tool" in step and allow_tools:
        if repeats(step, state["tool_calls"]):  # nothing new to learn: answer now
            note = {"role": "user", "content": "That was already done. Answer now."}
            return {
                "messages": [*messages, note],
                "pending": None,
                "steps": settings.agent_max_tool_steps,
            }
        call = {"tool": step["tool"], "arguments": step.get("arguments", {})}
        return {"messages": messages, "pending": call, "steps": state["steps"] + 1}
    return answered(engine, state, step.get("answer", ""), messages, settings.agent_max_tool_steps)


def answered(
    engine: Engine, state: AgentState, written: str, messages: list[dict], steps: int
) -> AgentState:
    """What the model wrote as an answer: asked for once more in the question's language,
    or grounded in the frames it was shown (the tracks' numbers for a count, a how long or
    a when) and its claims checked against what the frames it cites show."""
    asked_in = language_of(state["question"])
    frames = state["frames"]
    written_in = language_of(written, unsure=asked_in)
    said_back = restates(written, state["question"], asked_in)  # before neutral words
    written = neutral_people(written, written_in)
    in_other_language = written_in != asked_in
    rests_on_nothing = not written.strip() or not states_evidence(
        CITATION.sub(" ", written), [fence(f.caption, 300) for f in frames.values()]
    )  # replaced below whatever its language ("PWNED PWNED"): not worth another turn
    if in_other_language and not rests_on_nothing and not state.get("rewritten"):
        # the 1.5B model answers Dutch, French or Spanish questions in English now and
        # then: once, it is asked to write the same answer in the question's language
        log.info("answer %r is not in %s: asking for it again", written[:200], asked_in)
        again = render_prompt("answer_language.j2", language=LANGUAGE_NAMES[asked_in]).text
        get_stream_writer()(AgentEvent("progress", {"stage": "translating", "language": asked_in}))
        return {
            "messages": [*messages, {"role": "user", "content": again}],
            "pending": None,
            "rewritten": True,
            "steps": steps,
        }
    measure = next(  # a count or track list that found something, if one was asked
        (c["measure"] for c in state["tool_calls"] if "measure" in c and found(c)), None
    )
    if in_other_language and not rests_on_nothing:
        # asked once for the question's language and written in another again: no
        # sentence in another language is shown; the evidence is, in the question's
        log.info("answer %r is again not in %s: its evidence instead", written[:200], asked_in)
        evidence = (
            measured_facts(measure, asked_in) if measure else closest_matches(frames, asked_in)
        )
        return {
            "messages": messages,
            "pending": None,
            "raw_answer": evidence if frames else "",
            "answered_by": "evidence",
        }
    asked = state["asked"]
    seen = engine.video.seen_in([f.frame_id for f in frames.values()])
    denied = denies(written)
    verdicts = shown_as_asked(asked, frames, seen)
    showing = {label: frames[label] for label, shows in verdicts.items() if shows and denied}
    unseen_posture = posture_tracked_by_no_one(state["tool_calls"], seen)
    if denied and (denial_holds(verdicts) or (unseen_posture and not showing)):
        # "no one sat at the table": no frame shows anyone sitting, and they show why (or
        # no track was seen so, nor anyone in the frames shown)
        grounded, replaced = with_labels(written, frames), False
    elif showing:  # "no" where frames show what was asked, as it was asked: those frames
        what = asked.looks.words or " ".join(asked.subjects)
        lead = SHOWN_TEXT[asked_in].format(what=what)
        grounded, replaced = f"{lead}{frame_facts(showing, asked_in)}.", True
    else:
        grounded, replaced = ground_answer(written, frames, asked_in)
        captions = [f.caption for f in frames.values()]
        if (
            not replaced
            and asked.unread
            and (said_back or speaks_of(written, asked.unread, captions, written_in))
        ):
            # "the dog was his", "elle venait signer un contrat": a claim of what no
            # model here sees (the question said back, or its unread words)
            grounded, replaced = closest_matches(frames, asked_in), True
        elif replaced and denial_holds(verdicts):
            # the model's words rest on nothing shown, and no frame shows what was asked
            # as it was asked ("did anyone sit at the table?"): said so, with the nearest
            grounded = not_shown(asked.looks.words or " ".join(asked.subjects), frames, asked_in)
    moment = state["window"].get("moment")
    if measure and (
        verdict := measured_verdict(state["question"], asked, measure, moment, asked_in)
    ):
        # a yes or no the tracks decide (did the parked van move, was it empty at 10:31,
        # anyone over a minute, ever 2 at once): theirs, with their lines, whatever the
        # model wrote (it got each of them wrong)
        grounded, replaced = verdict + measured_facts(measure, asked_in), True
    elif not denied and unseen_posture:
        # "did anyone fall?" answered yes where no track was seen lying and no frame shown
        # has anyone so: no evidence, said with what was searched (`check`)
        log.info("answer %r claims a posture no track was seen in", written[:200])
        grounded, replaced = "", True
    elif measure and (
        wrong_side(written, measure, side_moment(state["question"]))
        or (asks("which way", state["question"]) and wrong_way(written, measure))
    ):
        # "by which side did the third one leave?", "which way did the red car go?"
        # answered with another edge or way than the track's: theirs, with its line
        log.info("answer %r names another side or way than the track", written[:200])
        grounded, replaced = measured_facts(measure, asked_in), True
    elif measure and one_of_several(asked, measure):
        # "how long was the guy all in black there?" where three tracks look so: which
        # one is meant the tracks cannot say, and the model's pick is a guess; all of them
        grounded, replaced = measured_facts(measure, asked_in, lines=measure["count"]), True
    elif measure and asked.measure and states_measure(written, measure, asked.measure):
        # the tracks vouch for the number, even one that names nothing ("4 seconds"); a
        # time they give to the second is said to the second
        times = measured_times(measure, asked.measure)
        grounded, replaced = with_labels(to_the_second(written, times), frames), False
    elif measure and asked.measure:
        # a number the tracks do not give is a claim without evidence: give theirs
        log.info("answer %r states no %s the tracks give", written[:200], asked.measure)
        grounded, replaced = measured_facts(measure, asked_in), True
    elif not replaced and not denied:
        times = measured_times(measure, None) if measure else []
        checked = check_claims(grounded, asked, frames, seen, asked_in, times)
        if checked.why:
            log.info("answer %r: %s", written[:200], checked.why)
        grounded, replaced = checked.text, checked.replaced
    elif replaced and not showing and asked.unread:
        # the model's words rest on nothing the frames show, and the question names what
        # no model here has a word for ("were they drunk?"): cannot tell, said so
        return {
            "messages": messages,
            "pending": None,
            "raw_answer": cannot_see_text((no_word_for(asked.unread),), frames, asked_in),
            "answered_by": "cannot_see",
        }
    if not replaced and asks("which camera", state["question"]):
        cited = {label: frames[label] for label in LABELS.findall(grounded) if label in frames}
        cameras = sorted({f.camera for f in cited.values()})
        if cited and not names_a_camera(grounded, cameras, engine.camera_aliases):
            # "seen on camera 1": which camera is the question; its frames say it
            what = asked.looks.words or " ".join(asked.subjects)
            lead = SHOWN_TEXT[asked_in].format(what=what)
            grounded, replaced = f"{lead}{frame_facts(cited, asked_in)}.", True
    return {
        "messages": messages,
        "pending": None,
        "raw_answer": grounded,
        "answered_by": "evidence" if replaced else "model",
    }


def wrong_side(answer: str, measure: Measure, moment: str | None) -> bool:
    """Whether an answer to "by which side did one come in (``moment`` "came") or leave"
    names edges of the picture, none of them the one its single track did."""
    sides = measure.get("sides") or []
    if moment is None or len(sides) != 1:
        return False
    side = sides[0][0 if moment == "came" else 1]
    named = edges_named(answer)
    return bool(named) and side not in named


def wrong_way(answer: str, measure: Measure) -> bool:
    """Whether an answer to "which way did it go?" does not name the way its single track
    crossed the picture (`vigil.vocabulary.heading_in`)."""
    ways = measure.get("directions") or []
    return len(ways) == 1 and bool(ways[0]) and heading_in(answer) != ways[0]


def found(call: dict) -> bool:
    """Whether a count or track tool found something: frames, or a number without one (a
    short empty spell between keyframes)."""
    return bool(call.get("frames") or call["measure"].get("count"))


SEVERAL_LISTED = 4  # of those that look as said, at most so many are listed for the asker
ABOUT_ONE = ("when", "arrival", "departure", "duration", "dwell")


def one_of_several(asked: Asked, measure: Measure) -> bool:
    """Whether a question about when or how long one looked as described (no "the second")
    got several tracks that look so (`get_tracks`), at most `SEVERAL_LISTED`."""
    return (
        bool(asked.looks.said)
        and asked.nth is None
        and asked.measure in ABOUT_ONE
        and "parked" in measure  # the tracks, not a count
        and 1 < measure["count"] <= SEVERAL_LISTED
    )


def posture_tracked_by_no_one(calls: list, seen: dict[str, list]) -> bool:
    """Whether the tracks were asked for a posture (lying, sitting, ...) of a kind and none
    was seen in it, nor any of that kind in the frames shown, each a frame of a tracked
    video (a still image's people are on no track, and tell sitting by their seats)."""
    counted = [c for c in calls if c["tool"] == "get_tracks" and c["arguments"].get("posture")]
    if not counted or any(c.get("measure", {}).get("count") != 0 for c in counted):
        return False
    asked, kind = counted[0]["arguments"]["posture"], counted[0]["arguments"].get("what")
    if not all(any(d.track is not None for d, _ in found) for found in seen.values()):
        return False  # a still image: its people are on no track
    shown = [(d, postures) for found in seen.values() for d, postures in found]
    return not any(
        d.posture == asked or asked in postures
        for d, postures in shown
        if kind is None or d.cls == kind
    )


def after_decide(state: AgentState) -> str:
    """Where a model turn leads: the tool it asked for, another turn, or the check."""
    if state["pending"]:
        return "act"
    return "check" if state.get("raw_answer") is not None else "decide"


def act(engine: Engine, state: AgentState) -> AgentState:
    """Run the tool the model asked for (frame labels it wrote become frame ids)."""
    call = state["pending"]
    arguments = resolve_labels(call["arguments"], state["frames"])
    return {**run_tool(engine, state, call["tool"], arguments), "pending": None}


def check(engine: Engine, state: AgentState) -> AgentState:
    """Ground the answer in the frames shown; store the turn."""
    frames = state["frames"]
    language = language_of(state["question"])
    subjects = [s for call in state["tool_calls"] for s in call.get("subjects", [])]
    looked_for = subject_words(state["question"], subjects) or (repr(state["query"]),)
    checked = check_answer(
        state.get("raw_answer") or "",
        {label: f.frame_id for label, f in frames.items()},
        searched_text(state["window"], looked_for, language),
        language,
    )
    if checked.dropped:
        log.warning("dropped citations of unknown frames: %s", ", ".join(checked.dropped))
    by_id = {f.frame_id: f for f in frames.values()}
    # the model was asked if it wrote a turn: not where there was nothing to show it, nor
    # where the answer is the store's own (what the models cannot see, a span's summary)
    asked = any(m["role"] == "assistant" for m in state["messages"])
    model = getattr(engine.model(), "name", "unknown") if asked else NOTHING_ASKED
    engine.conversations.add_turn(
        state["conversation_id"],
        question=state["question"],
        answer=checked.text,
        citations=list(checked.frame_ids),
        tool_calls=list(state["tool_calls"]),
        window=dict(state["window"]),
        model=model,
        prompt_versions={name: prompt_version(name) for name in PROMPTS},
    )
    result = ChatAnswer(
        conversation_id=state["conversation_id"],
        text=checked.text,
        citations=[by_id[fid] for fid in checked.frame_ids],
        labels={label: f.frame_id for label, f in frames.items()},
        grounded=checked.grounded,
        dropped_citations=list(checked.dropped),
        uncited_sentences=checked.uncited_sentences,
        no_evidence=not checked.frame_ids,
        answered_by=state.get("answered_by", "none") if frames else "none",
        window=dict(state["window"]),
        query=state["query"],
        tool_calls=list(state["tool_calls"]),
    )
    return {"result": result}
