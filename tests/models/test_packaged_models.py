"""Every packaged model loads offline from its package and does its job on real inputs."""

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

pytestmark = pytest.mark.slow


def test_efficientnet_labels_a_car_crop_as_vehicle(models, shared_data: Path):
    meta = json.loads((shared_data / "coco_mini" / "images.json").read_text())
    cars = [name for name, m in meta.items() if m["objects"].get("car", 0) >= 1][:3]
    images = [cv2.imread(str(shared_data / "coco_mini" / "images" / n)) for n in cars]
    feats = models.labeler.embed_images(images)
    assert feats.shape == (len(cars), 1280)
    assert np.allclose(np.linalg.norm(feats, axis=1), 1.0, atol=1e-4)


def test_efficientnet_features_find_the_same_scene(models, shared_data: Path):
    clip = shared_data / "clips" / "one-by-one-person-detection.mp4"
    cap = cv2.VideoCapture(str(clip))
    frames = []
    for t in (2.0, 3.0):
        cap.set(cv2.CAP_PROP_POS_MSEC, t * 1000)
        frames.append(cap.read()[1])
    coco = cv2.imread(str(next((shared_data / "coco_mini" / "images").glob("*.jpg"))))
    a, b, c = models.labeler.embed_images([*frames, coco])
    assert a @ b > a @ c + 0.2


def test_e5_ranks_the_right_english_caption_for_dutch_french_spanish(models):
    passages = [
        "a person in a red coat at the left of the frame",
        "two white cars driving through a car park",
        "an empty scene: no people, vehicles or movement in view",
    ]
    vectors = models.text_embedder.embed_passages(passages)
    for query, want in [
        ("iemand in een rode jas", 0),
        ("deux voitures blanches", 1),
        ("una escena vacía sin nadie", 2),
        ("a red jacket", 0),
    ]:
        sims = vectors @ models.text_embedder.embed_queries([query])[0]
        assert int(np.argmax(sims)) == want, (query, sims)


def test_e5_on_one_thread_in_a_worker_gives_the_same_vectors(models):
    """Ingest embeds captions on a worker thread limited to one OpenMP thread."""
    from concurrent.futures import ThreadPoolExecutor

    embedder = models.text_embedder
    text = ["a person in a black top walking left at the right of the frame"]
    here = embedder.embed_passages(text)
    embedder.clear_cache()
    with ThreadPoolExecutor(1, initializer=lambda: embedder.limit_threads_here(1)) as pool:
        there = pool.submit(embedder.embed_passages, text).result()
    assert np.allclose(here, there, atol=1e-5)


def test_cross_encoder_puts_the_relevant_caption_first(models):
    scores = models.reranker.score(
        "person carrying a white sheet of paper",
        ["a white car at the left of the frame", "a person holding a sheet of white paper"],
    )
    assert scores[1] > scores[0] + 2


def test_llm_gguf_from_packaged_parts_answers(models):
    reply = models.llm.chat(
        [{"role": "user", "content": "What is 2 + 3? Answer with the number only."}], max_tokens=4
    )
    assert "5" in reply


def test_llm_output_is_held_to_a_json_schema(models):
    schema = {
        "type": "object",
        "properties": {"colour": {"enum": ["red", "white", "silver"]}},
        "required": ["colour"],
    }
    text = "".join(
        models.llm.stream(
            [{"role": "user", "content": "Name a common car colour. Reply in JSON."}], schema
        )
    )
    assert json.loads(text)["colour"] in {"red", "white", "silver"}


def test_a_missing_or_corrupt_gguf_is_a_clear_error(tmp_path):
    from vigil.errors import ModelUnavailableError
    from vigil.models.llm import LlamaCppLLM

    with pytest.raises(ModelUnavailableError, match="does not exist"):
        LlamaCppLLM(tmp_path / "missing.gguf")
    text = tmp_path / "notes.gguf"
    text.write_text("not a model")
    with pytest.raises(ModelUnavailableError, match="not a GGUF"):
        LlamaCppLLM(text)
    truncated = tmp_path / "truncated.gguf"
    truncated.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ModelUnavailableError, match="cannot load"):
        LlamaCppLLM(truncated)


def test_a_prompt_longer_than_the_context_is_a_clear_error(models):
    from vigil.errors import ModelFailureError

    long = [{"role": "user", "content": "word " * 5000}]
    with pytest.raises(ModelFailureError, match="context"):
        "".join(models.llm.stream(long, max_tokens=4))
