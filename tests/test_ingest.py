"""The ingest pipeline end to end, with the real packaged models."""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tools.video import VideoTools
from vigil.errors import CorruptVideoError, InvalidInputError
from vigil.ingest import Ingestor, keyframe_id
from vigil.inputs import parse_time, validate_camera_name
from vigil.search.service import SearchService
from vigil.store import Store
from vigil.store.sql import IngestJob, Keyframe, Video
from vigil.store.vectors import TEXT_SPACE

START = parse_time("2026-11-20T22:00:00+01:00", None)


def counts(store: Store) -> tuple[int, int, int]:
    with store.db.session() as s:
        videos = s.scalar(select(func.count(Video.id)))
        keyframes = s.scalar(select(func.count(Keyframe.id)))
    return videos, keyframes, sum(store.vectors.counts().values())


def test_ingest_stores_keyframes_with_metadata(settings, models, synthetic_video: Path):
    store = Store(settings)
    result = Ingestor(settings, store, models).ingest(synthetic_video, "hall", START)
    assert result.keyframes_added >= 3 and result.frames_decoded == 60
    frames = store.keyframes.list(camera="hall")
    assert [f.frame_index for f in frames][0] == 0
    assert frames[0].caption.startswith("an empty scene")
    later = [f for f in frames if f.offset_s >= 3.0]
    assert later and all("1 person" in f.caption for f in later), [f.caption for f in frames]
    f = later[0]
    assert f.utc.timestamp() == pytest.approx(START.timestamp() + f.offset_s)
    assert len(f.source_sha256) == 64
    assert f.id == keyframe_id(f.video_id, f.source_sha256, f.frame_index)
    assert store.thumbnails.path_of(f.thumbnail).is_file()
    assert f.detections[0].cls == "person"
    coll = store.vectors.collection(TEXT_SPACE, models.text_embedder.name, "hall")
    got = coll.get(ids=[f.id], include=["metadatas", "documents"])
    assert got["documents"] == [f.caption]
    assert got["metadatas"][0]["camera"] == "hall"
    assert got["metadatas"][0]["frame_index"] == f.frame_index


def test_same_file_twice_adds_nothing(settings, models, synthetic_video: Path):
    store = Store(settings)
    ingestor = Ingestor(settings, store, models)
    first = ingestor.ingest(synthetic_video, "hall", START)
    before = counts(store)
    again = ingestor.ingest(synthetic_video, "hall", START)
    assert again.already_ingested and again.keyframes_added == 0
    assert counts(store) == before
    assert before[1] == first.keyframes_added


def test_interrupted_ingest_resumes_without_redoing_work(settings, models, synthetic_video):
    settings.batch_size = 1
    store = Store(settings)
    reference = Ingestor(
        settings, Store(settings.model_copy(update={"data_dir": settings.data_dir / "ref"})), models
    ).ingest(synthetic_video, "hall")

    ingestor = Ingestor(settings, store, models)
    real_store_batch = ingestor._analyse_and_store
    calls = {"n": 0}

    def crash_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_store_batch(*args, **kwargs)

    ingestor._analyse_and_store = crash_on_third
    with pytest.raises(KeyboardInterrupt):
        ingestor.ingest(synthetic_video, "hall")
    assert counts(store)[1] == 2
    with store.db.session() as s:
        assert s.scalar(select(IngestJob.status)) == "interrupted"

    resumed = Ingestor(settings, store, models).ingest(synthetic_video, "hall")
    assert resumed.keyframes_skipped == 2
    assert resumed.keyframes_added == reference.keyframes_added - 2
    assert counts(store)[1] == reference.keyframes_added


def test_real_clip_end_to_end(settings, models, shared_data: Path):
    """car-detection.mp4: empty asphalt first, vehicles in 4.4-8.8 s and 14.5-19.2 s."""
    store = Store(settings)
    clip = shared_data / "clips" / "car-detection.mp4"
    result = Ingestor(settings, store, models).ingest(clip, "parking", START)
    assert result.keyframes_added >= 15
    frames = store.keyframes.list(camera="parking")
    assert "empty scene" in frames[0].caption
    busy = [f for f in frames if 15.5 <= f.offset_s <= 17.5]
    assert any("2 vehicles" in f.caption for f in busy), [f.caption for f in busy]
    assert all("person" not in f.caption for f in frames if 20 <= f.offset_s <= 25)
    # four cars (README timeline): A up 4.4-8.5, B down 14.6-19.0, C up 14.9-19.0, D down
    # 25.2-27.8 s; each is one track, none stops
    cars = store.tracks.list(cameras=["parking"], cls="vehicle")
    assert [(round(t.first_offset_s), round(t.last_offset_s)) for t in cars] == [
        (4, 9), (14, 18), (15, 19), (25, 28)
    ]  # fmt: skip
    assert [t.direction for t in cars] == [
        "bottom to top", "top to bottom", "bottom to top", "top to bottom"
    ]  # fmt: skip
    assert [(t.entry_side, t.exit_side) for t in cars][:2] == [("bottom", "top"), ("top", "bottom")]
    assert all(t.still_s == 0 and t.keyframe_ids for t in cars)
    tracked = {d.track for f in frames for d in f.detections if d.cls == "vehicle"}
    assert {t.number for t in cars} <= tracked
    # every keyframe calls a car what its track is: a vehicle, never a "moving object"
    on_cars = [d for f in frames for d in f.detections if d.track in tracked]
    assert on_cars and all(d.cls == "vehicle" for d in on_cars)
    assert any("driving up the frame" in f.caption for f in frames)
    # car A darkens the whole picture as it fills it (automatic exposure): still white
    colours = [t.attributes["colours"]["body"] for t in cars]
    assert (colours[0], colours[2]) == ("white", "red"), colours


def test_corrupt_stream_is_rolled_back(settings, models, synthetic_video, monkeypatch):
    store = Store(settings)
    import vigil.ingest as ingest_module

    real = ingest_module.decode_frames

    def breaks_half_way(path, fps, duration):
        for frame in real(path, fps, duration):
            if frame.index == 45:
                raise CorruptVideoError(f"{path}: decoding failed part-way (test)")
            yield frame

    monkeypatch.setattr(ingest_module, "decode_frames", breaks_half_way)
    settings.batch_size = 1
    with pytest.raises(CorruptVideoError, match="nothing from this file was kept"):
        Ingestor(settings, store, models).ingest(synthetic_video, "hall")
    assert counts(store) == (0, 0, 0)
    assert store.thumbnails.size_bytes() == 0


@pytest.mark.parametrize("name", ["../etc", "a/b", "", "x" * 65, "-lead", "cam one", "c\\d"])
def test_camera_names_with_path_characters_are_refused(name):
    with pytest.raises(InvalidInputError):
        validate_camera_name(name)


def test_start_times():
    from zoneinfo import ZoneInfo

    got = parse_time("2026-11-20T22:00:00", ZoneInfo("Europe/Amsterdam"))
    assert got.isoformat() == "2026-11-20T21:00:00+00:00"
    with pytest.raises(InvalidInputError, match="not an ISO-8601"):
        parse_time("yesterday", ZoneInfo("UTC"))


def test_configured_clip_and_vlm_replace_the_packaged_roles(tmp_path, synthetic_video):
    """A site with CLIP and VLM weights switches by settings alone (tiny models here)."""
    import open_clip
    import torch

    from tests.models.test_local_loaders import TINY_CLIP, _tiny_blip
    from vigil.models import ModelRegistry
    from vigil.settings import Settings
    from vigil.store.vectors import IMAGE_SPACE

    open_clip.factory._MODEL_CONFIGS["vigil-tiny-test"] = TINY_CLIP
    checkpoint = tmp_path / "clip.pt"
    torch.save(open_clip.create_model("vigil-tiny-test").state_dict(), checkpoint)
    settings = Settings(
        data_dir=tmp_path / "data",
        clip_model_path=checkpoint,
        clip_arch="vigil-tiny-test",
        vlm_model_path=_tiny_blip(tmp_path),
        max_keyframe_interval_s=2.0,
    )
    models = ModelRegistry(settings)
    store = Store(settings)
    result = Ingestor(settings, store, models).ingest(synthetic_video, "hall")
    assert models.image_embedder is models.clip
    assert models.versions()["captioner"].startswith("transformers:")
    coll = store.vectors.collection(IMAGE_SPACE, models.clip.name, "hall")
    assert coll.count() == result.keyframes_added
    assert len(coll.get(limit=1, include=["embeddings"])["embeddings"][0]) == 32
    frames = store.keyframes.list(camera="hall")
    # the VLM's words (random here) come first, the describer's sentence follows
    assert len(frames) >= 3
    assert any(
        f.caption.endswith("at the centre of the frame") or "person" in f.caption for f in frames
    ), [f.caption for f in frames]
    # search then fuses CLIP text-to-image similarity with the caption and word signals
    from vigil.search.service import SearchService

    hits = SearchService(settings, store, models).search("a person walking", k=3).moments
    assert hits and any("clip" in hit.signals for hit in hits)
    assert all(-1.0 <= hit.signals.get("clip", 0.0) <= 1.0 for hit in hits)


@pytest.mark.slow
def test_a_still_person_is_in_every_keyframe_of_a_visit(settings, models, shared_data: Path):
    """one-by-one-person-detection.mp4: six visits (README timeline); each visitor stands
    at the table for seconds. Every keyframe well inside a visit counts one person, every
    keyframe well inside an empty spell shows an empty scene. (Motion still adds a stray
    "bicycle" where a visitor uncovers the table's chrome foot: that is the motion path's.)"""
    visits = [(6.0, 20.3), (22.7, 45.3), (50.2, 70.2), (74.5, 87.4), (92.1, 120.6), (123.5, 136.6)]
    store = Store(settings)
    clip = shared_data / "clips" / "one-by-one-person-detection.mp4"
    Ingestor(settings, store, models).ingest(clip, "lobby", START)
    frames = store.keyframes.list(camera="lobby")
    inside = [f for f in frames if any(a + 1.5 <= f.offset_s <= b - 1.5 for a, b in visits)]
    empty = [
        f for f in frames if all(f.offset_s < a - 1.5 or f.offset_s > b + 1.5 for a, b in visits)
    ]
    assert len(inside) >= 20 and empty
    one_person = re.compile(r"^1 person\b")
    assert all(one_person.match(f.caption) for f in inside), [
        (f.offset_s, f.caption) for f in inside if not one_person.match(f.caption)
    ]
    assert all(f.caption.startswith("an empty scene") for f in empty), [
        (f.offset_s, f.caption) for f in empty
    ]
    # one track per visitor, in by the bottom edge, out by the right, standing still at the
    # table for most of the visit
    people = store.tracks.list(cameras=["lobby"], cls="person")
    assert len(people) == len(visits)
    for track, (a, b) in zip(people, visits, strict=True):
        assert abs(track.first_offset_s - a) <= 1.0 and abs(track.last_offset_s - b) <= 1.0
        assert (track.entry_side, track.exit_side) == ("bottom", "right")
        longest = max(end - start for start, end in track.still_spans)
        assert longest >= 0.5 * (b - a) - 3, (track.number, track.still_spans)
    # one description per visitor, whatever each frame read (a grey cardigan is "black"
    # as she walks in at the bottom edge): the README's grey, black, black, black, grey
    # and light grey tops; every keyframe says its visitor's
    assert [t.attributes["colours"]["upper"] for t in people] == [
        "grey", "black", "black", "black", "grey", "grey"
    ]  # fmt: skip
    described = {t.number: t.attributes["colours"] for t in people}
    for f in frames:
        for d in f.detections:
            if d.track in described:
                assert d.colours == described[d.track], (f.offset_s, d)


@pytest.mark.slow
def test_a_camera_is_told_what_it_looks_at(settings, models, shared_data: Path):
    """A still of a kitchen (COCO 177977, a stove) makes its camera a kitchen's."""
    store = Store(settings)
    still = shared_data / "coco_mini" / "images" / "000000177977.jpg"
    Ingestor(settings, store, models).ingest_still(still, "pantry", START)
    assert store.videos.scene_words()["pantry"][0] == "kitchen"
    assert next(c for c in store.videos.summaries() if c.name == "pantry").scene_words


def test_who_stands_still_from_the_first_frame_is_followed_from_it(
    settings, models, shared_data: Path, tmp_path: Path
):
    """A recording that starts while a visitor stands at the table (the person clip from
    30 s: the second visitor stands until ~13 s, leaves by ~15 s; the third comes in at
    ~20 s). Motion learns the still visitor as background: they must still be one track
    from the start, and the outline they leave must not become someone else."""
    import cv2

    from tests.conftest import write_video

    source = cv2.VideoCapture(str(shared_data / "clips" / "one-by-one-person-detection.mp4"))
    source.set(cv2.CAP_PROP_POS_FRAMES, 300)
    frames = [source.read()[1] for _ in range(250)]
    clip = write_video(tmp_path / "cut.mp4", frames, codec="libx264")
    store = Store(settings)
    Ingestor(settings, store, models).ingest(clip, "lobby", START)
    people = store.tracks.list(cameras=["lobby"], cls="person")
    # followed once seen to stir (a poster never does), a second or so in
    assert len(people) == 2 and people[0].first_offset_s <= 1.5
    assert abs(people[1].first_offset_s - 20) <= 1.0
    assert people[0].exit_side == "right" and abs(people[0].last_offset_s - 15) <= 1.0


def test_parked_vehicles_motion_never_sees_are_tracks_standing_there(
    settings, models, tmp_path: Path
):
    """vtest.avi's first 35 s: a white van and a light-blue car stand parked at the top
    right while people walk about. Motion never outlines them; the object detector's looks
    do: each is one vehicle track, standing there from the start, in the keyframes."""
    import cv2

    from tests.conftest import VTEST, write_video
    from vigil.vocabulary import track_postures

    source = cv2.VideoCapture(str(VTEST))
    frames = [source.read()[1] for _ in range(350)]  # 10 fps
    clip = write_video(tmp_path / "plaza.mp4", frames, codec="libx264")
    store = Store(settings)
    Ingestor(settings, store, models).ingest(clip, "plaza", START)
    vehicles = store.tracks.list(cameras=["plaza"], cls="vehicle")
    assert len(vehicles) == 2
    for vehicle in vehicles:
        assert vehicle.first_offset_s == 0.0 and vehicle.last_offset_s >= 30.0
        assert (vehicle.entry_side, vehicle.exit_side) == ("inside", "inside")
        assert track_postures("vehicle", vehicle.still_s, vehicle.attributes) == ("standing",)
        assert vehicle.attributes["colours"]["body"] in ("white", "blue", "light blue")
    later = [k for k in store.keyframes.list(camera="plaza") if k.offset_s >= 15.0]
    assert later and all("2 vehicles" in k.caption for k in later)
    # parked, they passed no one: not counted as vehicles that came by; asked for, found
    tools = VideoTools(settings, store, models, SearchService(settings, store, models))
    passing = tools.count_objects("vehicles", camera="plaza")
    assert passing.count == 0 and "2 more stood parked" in passing.text
    standing = tools.get_tracks("vehicles", camera="plaza", posture="parked")
    assert (
        standing.count == 2 and "parked at the top right of the frame all the time" in standing.text
    )
