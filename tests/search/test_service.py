from datetime import timedelta, timezone

import pytest

from tests.conftest import START
from vigil.errors import InvalidInputError
from vigil.search.service import MAX_QUERY_CHARS, SearchService, clean_query
from vigil.settings import Settings
from vigil.store import Store

RED_CAR = (15.0 - 3, 19.2 + 3)  # car C, with the 3 s tolerance


def offset(moment) -> float:
    return (moment.start - START).total_seconds()


def test_red_car_is_found_and_explained(service):
    result = service.search("a red car", k=5)
    top = result.moments[0]
    assert top.camera == "parking"
    assert RED_CAR[0] <= offset(top) <= RED_CAR[1]
    assert "red" in top.caption
    assert set(top.signals) >= {"caption", "words"} and "red" in top.matched_words
    assert top.thumbnail.endswith(".jpg")


@pytest.mark.parametrize("query", ["een rode auto", "une voiture rouge", "un coche rojo"])
def test_other_languages_find_the_red_car(service, query):
    top = service.search(query, k=3).moments[0]
    assert top.camera == "parking" and RED_CAR[0] <= offset(top) <= RED_CAR[1]
    assert "words" not in top.signals  # lexical matching is for English queries only


def test_a_track_is_searched_by_its_one_description(service, searchable):
    """The red car's track is indexed as one sentence; its keyframes score as it does."""
    tracks = searchable.store.tracks.list(cameras=["parking"], cls="vehicle")
    red = next(t for t in tracks if t.attributes.get("colours", {}).get("body") == "red")
    top = service.search("a red car", k=3).moments[0]
    assert "track" in top.signals and set(top.keyframes) & set(red.keyframe_ids)
    hall_only = service.search("a red car", cameras=["hall"], k=3).moments
    assert all(m.camera == "hall" for m in hall_only)


def test_moments_merge_neighbouring_frames(service):
    moments = service.search("a person walking", cameras=["hall"], k=10).moments
    assert len({m.best_keyframe for m in moments}) == len(moments)
    assert any(len(m.keyframes) > 1 for m in moments)


def test_camera_and_time_filters(service):
    assert {m.camera for m in service.search("vehicle", cameras=["hall"]).moments} <= {"hall"}
    window = service.search(
        "a car",
        cameras=["parking"],
        start=START + timedelta(seconds=20),
        end=START + timedelta(seconds=30),
        k=20,
    )
    assert window.moments
    assert all(offset(m) >= 20 and (m.end - START).total_seconds() <= 30 for m in window.moments)


def test_a_window_in_another_time_zone_is_the_same_window(service, searchable):
    amsterdam = timezone(timedelta(hours=1))
    start, end = START + timedelta(seconds=20), START + timedelta(seconds=30)
    in_utc = searchable.store.keyframes.scope(["parking"], start, end)
    local = searchable.store.keyframes.scope(
        ["parking"], start.astimezone(amsterdam), end.astimezone(amsterdam)
    )
    assert in_utc == local and in_utc["parking"]  # some, not all, of the camera's keyframes
    whole_day = searchable.store.keyframes.scope(None, START, START + timedelta(days=1))
    assert whole_day == {"parking": None, "hall": None}  # every keyframe in range: no id list
    assert (
        searchable.store.keyframes.scope(
            None, START - timedelta(days=2), START - timedelta(seconds=1)
        )
        == {}
    )


def test_find_similar_by_image(service, searchable):
    first = service.search("a red car", k=1).moments[0]
    path = searchable.store.thumbnails.path_of(first.thumbnail)
    similar = service.search(image=path, k=3).moments
    assert first.best_keyframe in {kid for m in similar[:1] for kid in m.keyframes}


def test_rerank_adds_a_signal(service):
    result = service.search("a red car", k=3, rerank=True)
    assert "rerank" in result.moments[0].signals
    assert "fuse+rerank" in result.timings_ms


def test_nothing_relevant_says_so(service):
    result = service.search("xylophone concert on a beach", k=5)
    assert result.moments == [] and "no keyframe matches" in result.message


def test_empty_store_says_so(tmp_path, models):
    settings = Settings(data_dir=tmp_path)
    result = SearchService(settings, Store(settings), models).search("a red car")
    assert result.moments == [] and "ingest video first" in result.message


def test_bad_queries_get_clear_answers(service):
    long = service.search("red car " * 1300)  # over 10,000 characters
    assert any("shortened" in note for note in long.notes) and long.moments
    noisy = service.search("a\x00 red\x1b[31m car\u202e")
    assert any("control characters" in note for note in noisy.notes)
    with pytest.raises(InvalidInputError, match="empty"):
        service.search("\x00\x01\x02   ")
    with pytest.raises(InvalidInputError, match="unknown camera"):
        service.search("car", cameras=["nowhere"])
    with pytest.raises(InvalidInputError):
        service.search("car", start=START + timedelta(hours=1), end=START)


def test_clean_query_caps_length():
    text, notes = clean_query("word " * 1000)
    assert len(text) <= MAX_QUERY_CHARS and notes


def test_facts_filter_a_search_by_people_and_objects(service, searchable):
    from vigil.store.keyframes import FactFilter

    with_people = service.search("someone", facts=FactFilter(min_people=1), k=20).moments
    assert with_people and {m.camera for m in with_people} == {"hall"}  # nobody in the car park
    stored = searchable.store.keyframes.list(camera="parking")
    named = next(name for f in stored for name in f.objects)
    hits = service.search("a vehicle", facts=FactFilter(objects=(named,)), k=20).moments
    by_id = {f.id: f for f in stored}
    assert hits and all(named in by_id[m.best_keyframe].objects for m in hits)
    nothing = service.search("a vehicle", facts=FactFilter(min_people=50)).moments
    assert nothing == []


def test_a_keyframe_re_captioned_after_a_search_is_found_by_its_new_words(service, searchable):
    from vigil.store import Revision

    top = service.search("a red car", k=1).moments[0]  # the index now holds the old caption
    kf = searchable.store.keyframes.get(top.best_keyframe)
    keyframes = searchable.store.keyframes
    keyframes.revise([Revision(kf.id, "a green tractor parked", kf.detections, kf.labels)])
    try:
        hits = service.search("green tractor", k=10).moments
        assert any(kf.id in h.keyframes and "green" in h.matched_words for h in hits)
    finally:
        keyframes.revise([Revision(kf.id, kf.caption, kf.detections, kf.labels)])
    again = service.search("green tractor", k=10).moments
    assert not any(kf.id in h.keyframes and "green" in h.matched_words for h in again)
