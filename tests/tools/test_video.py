"""The agent's tools as plain functions, over the shared sample store."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pydantic import ValidationError

from tests.conftest import START
from tools.binding import AGENT_TOOLS, langchain_tools, signature_text, step_schema
from vigil.errors import InvalidInputError, NotFoundError


def test_search_video_returns_best_frames_with_their_own_time(video):
    frames = video.search_video("a red car", camera="parking", k=3)
    assert frames and all(f.camera == "parking" for f in frames)
    assert "red" in frames[0].caption and frames[0].time.tzinfo is not None
    assert video.frame(frames[0].frame_id).time == frames[0].time


def test_describe_frame_without_a_vlm_uses_the_caption_and_caches(video):
    frame = video.search_video("a red car", camera="parking", k=1)[0]
    first = video.describe_frame(frame.frame_id)
    assert first.answer == frame.caption and not first.cached
    assert video.describe_frame(frame.frame_id).cached
    asked = video.describe_frame(frame.frame_id, "what colour is the car?")
    assert asked.answer.startswith("No VLM is configured") and frame.caption in asked.answer
    with pytest.raises(NotFoundError):
        video.describe_frame("no-such-frame")


def test_rerank_orders_frames_by_the_cross_encoder(video):
    frames = video.get_timeline("parking")
    ranked = video.rerank("a red vehicle", [f.frame_id for f in frames])
    assert [f.score for f in ranked] == sorted((f.score for f in ranked), reverse=True)
    assert "red" in ranked[0].caption


def test_get_timeline_is_time_ordered_and_windowed(video):
    window = video.get_timeline(
        "parking", START + timedelta(seconds=10), START + timedelta(seconds=20)
    )
    times = [f.time for f in window]
    assert times == sorted(times) and window
    assert all(START + timedelta(seconds=10) <= t <= START + timedelta(seconds=20) for t in times)
    with pytest.raises(InvalidInputError, match="unknown camera"):
        video.get_timeline("nowhere")


def test_draft_summary_cites_every_frame_in_time_order(video):
    frames = video.get_timeline("parking")[:3]
    summary = video.draft_summary([f.frame_id for f in reversed(frames)], title="Car park")
    lines = summary.text.splitlines()
    assert lines[0] == "Car park"
    assert [f.frame_id for f in summary.frames] == [f.frame_id for f in frames]
    assert all(f"[{f.frame_id}]" in summary.text for f in frames)
    with pytest.raises(InvalidInputError):
        video.draft_summary([])


def test_the_langchain_binding_validates_arguments(video):
    tools = {t.name: t for t in langchain_tools(video)}
    assert tuple(tools) == AGENT_TOOLS
    assert signature_text(tools["describe_frame"]) == "(frame_id: string, question?: string)"
    with pytest.raises(ValidationError, match="frame_id"):
        tools["describe_frame"].invoke({})
    frames = tools["search_video"].invoke({"query": "a red car", "camera": "parking", "k": 1})
    assert frames[0].camera == "parking"


def test_the_step_schema_compiles_to_a_grammar(video):
    from llama_cpp import LlamaGrammar

    schema = step_schema(langchain_tools(video))
    assert len(schema["anyOf"]) == 1 + len(AGENT_TOOLS)
    LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)


def test_count_objects_counts_each_tracked_vehicle_once(video):
    """car-detection.mp4: four cars pass (README timeline), one of them red."""
    result = video.count_objects("cars", camera="parking")
    assert (result.what, result.count) == ("vehicle", 4)
    lines = result.text.splitlines()
    assert lines[0].startswith("4 vehicles in view") and len(lines) == 5
    assert sum("red" in line for line in lines[1:]) == 1
    assert all(t.frame is not None and t.frame.camera == "parking" for t in result.tracks)
    # frames are named in the lines, so each line can be cited
    assert all(f.frame_id in result.text for f in result.frames)
    # a window around the second pass (14.6-19.0 s) holds its two cars only
    window = video.count_objects(
        "vehicles", "parking", START + timedelta(seconds=14), START + timedelta(seconds=20)
    )
    assert window.count == 2


def test_get_tracks_gives_times_sides_and_directions_in_site_time(video):
    result = video.get_tracks("vehicles", camera="parking")
    first = result.tracks[0]
    assert (first.entry, first.exit, first.direction) == ("bottom", "top", "bottom to top")
    assert first.start.utcoffset() == timedelta(0) and 3.5 <= first.seconds <= 5
    assert "came in at the bottom, left at the top" in result.text.splitlines()[1]
    assert result.text.splitlines()[2].startswith("vehicle 2 on parking: in view")
    assert video.get_tracks("people", camera="parking").count == 0


def test_get_tracks_can_keep_those_that_crossed_the_picture_one_way(video):
    """car-detection.mp4: cars A and C drive up the picture, B and D down."""
    down = video.get_tracks("vehicles", camera="parking", heading="top to bottom")
    assert down.count == 2 and {t.direction for t in down.tracks} == {"top to bottom"}
    assert "that went top to bottom across the picture" in down.text.splitlines()[0]
    assert video.get_tracks("vehicles", camera="parking", heading="left to right").count == 0
    with pytest.raises(InvalidInputError, match="heading must be one of"):
        video.get_tracks("vehicles", heading="downhill")


def test_get_tracks_counts_the_colour_said_not_its_neighbours(video):
    """car-detection.mp4: two white cars (A, D), a silver one (B) and a red one (C). The
    silver car reads grey, a neighbour of white: found by "white" where no car is white,
    not counted where two are."""
    white = video.get_tracks("vehicles", camera="parking", colour="white")
    assert white.count == 2 and {t.attributes["colours"]["body"] for t in white.tracks} == {"white"}
    assert "(1 more look near it, grey: not counted)" in white.text.splitlines()[0]
    assert video.get_tracks("vehicles", camera="parking", colour="grey").count == 1


def test_get_empty_spells_gives_when_none_was_in_view_and_after_whom(video):
    """car-detection.mp4: cars pass one by one and two together; between them the road is
    empty. The spell after the first car lies between its leaving and the next coming."""
    cars = video.get_tracks("vehicles", camera="parking").tracks
    result = video.get_empty_spells("vehicles", camera="parking")
    assert result.count == len(result.spells) >= 3
    assert result.text.splitlines()[0].startswith(f"{result.count} spans with no vehicles")
    assert [s.after for s in result.spells] == sorted(s.after for s in result.spells)
    assert all(s.seconds >= 2 and s.frame is not None for s in result.spells)
    assert all(f.frame_id in result.text for f in result.frames)
    after_first = video.get_empty_spells("vehicles", camera="parking", after=1)
    (spell,) = after_first.spells
    assert cars[0].end <= spell.start and spell.end <= cars[1].start
    assert "after vehicle 1 left" in after_first.text
    assert spell.start.utcoffset() == timedelta(0)  # the site's zone (UTC in the samples)
    # just before the last one came: the spell that ends as the last car comes
    (before_last,) = video.get_empty_spells("vehicles", camera="parking", after=-2).spells
    assert before_last.end <= cars[-1].start and before_last.after == len(cars) - 1
    # after the last one left: the spell that begins as the last car goes
    (after_last,) = video.get_empty_spells("vehicles", camera="parking", after=-1).spells
    assert after_last.start >= cars[-1].end and after_last.after == len(cars)
    assert video.get_empty_spells("people", camera="parking").count == 1  # no one, ever
    # of people and vehicles alike: the road's spells are its cars' spells
    anything = video.get_empty_spells("anything", camera="parking")
    assert [s.start for s in anything.spells] == [s.start for s in result.spells]
    assert "spans with no people or vehicles" in anything.text


def test_get_tracks_gives_the_frame_of_the_moment_asked(video):
    """When one came, its first frame; when it left, its last; else its middle."""
    came, middle, left = (
        video.get_tracks("vehicles", camera="parking", nth=1, moment=m).tracks[0].frame.time
        for m in ("came", None, "left")
    )
    assert came <= middle <= left and came < left
    with pytest.raises(InvalidInputError, match="moment must be"):
        video.get_tracks("vehicles", moment="noon")


def test_counting_something_unknown_is_a_clear_error(video):
    with pytest.raises(InvalidInputError, match="cannot count"):
        video.count_objects("unicorns")
    with pytest.raises(InvalidInputError, match="only people and vehicles"):
        video.get_tracks("chairs")


def test_get_tracks_can_give_the_nth_only(video):
    second = video.get_tracks("vehicles", camera="parking", nth=2)
    assert second.count == 1 and second.text.splitlines()[0].endswith("number 2 of them")
    assert second.text.splitlines()[1].startswith("vehicle 2 on parking: in view")
    last = video.get_tracks("vehicles", camera="parking", nth=-1)
    assert last.text.splitlines()[1].startswith("vehicle 4 on parking")
    with pytest.raises(InvalidInputError, match="no track number 5"):
        video.get_tracks("vehicles", camera="parking", nth=5)


def test_a_track_whose_keyframes_are_gone_is_listed_without_a_frame(video, monkeypatch):
    """`vigil doctor --repair` may drop keyframe rows; the tracks stay and still count."""
    monkeypatch.setattr(video.store.keyframes, "get", lambda frame_id: None)
    result = video.count_objects("vehicles", camera="parking")
    assert result.count == 4 and result.frames == []
    assert all(t.frame is None for t in result.tracks)
