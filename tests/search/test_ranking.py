import pytest

from vigil.search.moments import Candidate, group_moments
from vigil.search.ranking import close_enough, overlaps, recall_at_k, rrf_fuse, zscore_fuse


def test_rrf_rewards_agreement_between_signals():
    dense = {"a": 0.9, "b": 0.8, "c": 0.7}
    lexical = {"b": 5.0, "c": 1.0}
    fused = rrf_fuse({"dense": dense, "lexical": lexical})
    assert max(fused, key=fused.get) == "b"
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)


def test_rrf_weights():
    fused = rrf_fuse({"x": {"a": 1, "b": 0}, "y": {"b": 1, "a": 0}}, weights={"x": 2, "y": 1})
    assert fused["a"] > fused["b"]


def test_zscore_uses_score_gaps_not_just_order():
    dense = {"a": 0.90, "b": 0.89, "c": 0.50}
    lexical = {"b": 1.0, "a": 0.9, "c": 0.8}
    fused = zscore_fuse({"dense": dense, "lexical": lexical})
    assert fused["c"] < fused["a"] and fused["c"] < fused["b"]


def test_zscore_missing_candidate_gets_the_signal_floor():
    fused = zscore_fuse({"dense": {"a": 1.0, "b": 0.0}, "lexical": {"a": 2.0, "c": 0.0}})
    assert fused["b"] == pytest.approx(-1 + -1)  # dense z of b, plus the lexical floor
    assert fused["a"] > fused["c"]


def test_moments_merge_close_frames_of_one_camera():
    cands = [
        Candidate("k1", "lobby", 10),
        Candidate("k2", "lobby", 12),
        Candidate("k3", "lobby", 30),
        Candidate("k4", "gate", 11),
    ]
    scores = {"k1": 0.2, "k2": 0.5, "k3": 0.9, "k4": 0.1}
    moments = group_moments(cands, scores, {"dense": scores}, gap_s=4)
    assert [(m.camera, m.keyframe_ids) for m in moments] == [
        ("lobby", ("k3",)),
        ("lobby", ("k1", "k2")),
        ("gate", ("k4",)),
    ]
    middle = moments[1]
    assert (middle.start_ts, middle.end_ts, middle.best_id, middle.score) == (10, 12, "k2", 0.5)
    assert middle.signals == {"dense": 0.5}


def test_moments_merge_directly_following_keyframes_of_a_still_scene():
    cands = [
        Candidate("k1", "lobby", 10),
        Candidate("k2", "lobby", 20),
        Candidate("k3", "lobby", 30),
    ]
    scores = {"k1": 0.5, "k2": 0.6, "k3": 0.4}
    previous = {"k2": "k1", "k3": "k-other"}  # something else was sampled between k2 and k3
    state = {"k1": "1 person", "k2": "1 person", "k3": "1 person"}
    moments = group_moments(cands, scores, {}, gap_s=4, previous=previous, state=state)
    assert [m.keyframe_ids for m in moments] == [("k1", "k2"), ("k3",)]
    state["k2"] = "2 people"  # the scene changed: two moments even though adjacent
    moments = group_moments(cands, scores, {}, gap_s=4, previous=previous, state=state)
    assert [m.keyframe_ids for m in moments] == [("k2",), ("k1",), ("k3",)]


def test_recall_and_overlap():
    assert recall_at_k(["a", "b", "c"], {"c"}, 3) == 1.0
    assert recall_at_k(["a", "b", "c"], {"c"}, 2) == 0.0
    assert overlaps(10, 12, [(14, 20)], slack=3)
    assert not overlaps(10, 12, [(16, 20)], slack=3)


def test_a_moment_is_shown_when_its_own_signals_say_it_is_close():
    assert close_enough({"caption": 0.83, "track": 0.82}, 0.80)
    assert close_enough({"caption": 0.74, "track": 0.81}, 0.80)  # someone it follows
    assert close_enough({"caption": 0.70, "words": 2.1}, 0.80)  # it has the words
    assert not close_enough({"caption": 0.769}, 0.80)  # an empty room, least far of all
    assert not close_enough({"clip": 0.3}, 0.80)
