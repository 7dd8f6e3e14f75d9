"""`vigil models`: each role's model, where it comes from, and a one-line self-test."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from vigil.errors import VigilError
from vigil.models import ModelRegistry
from vigil.settings import Settings


@dataclass(frozen=True)
class ModelReport:
    role: str
    name: str
    source: str
    licence: str
    size_bytes: int | None
    result: str


def _test_frame() -> np.ndarray:
    """A synthetic frame: grey background with a dark upright figure in the middle."""
    frame = np.full((240, 320, 3), 170, np.uint8)
    frame[60:200, 140:180] = (40, 40, 40)
    return frame


def _timed(fn: Callable[[], str]) -> str:
    t0 = time.perf_counter()
    try:
        outcome = fn()
    except Exception as exc:  # a self-test reports every failure as one line
        return f"FAIL: {exc.__class__.__name__}: {exc}"[:200]
    return f"ok ({(time.perf_counter() - t0) * 1000:.0f} ms): {outcome}"


def _labeler_test(models: ModelRegistry) -> str:
    vec = models.labeler.embed_images([_test_frame()])
    return f"{vec.shape[1]}-d unit vector, norm {np.linalg.norm(vec[0]):.2f}"


def _text_test(models: ModelRegistry) -> str:
    q = models.text_embedder.embed_queries(["iemand met een rode jas"])[0]
    p = models.text_embedder.embed_passages(["a person in a red coat", "an empty car park"])
    sims = p @ q
    return (
        f"NL query -> right EN passage first ({sims[0]:.2f} > {sims[1]:.2f})"
        if (sims[0] > sims[1])
        else f"FAIL: wrong order {sims.round(2).tolist()}"
    )


def _reranker_test(models: ModelRegistry) -> str:
    s = models.reranker.score(
        "white van in a parking lot",
        ["a white van parked in a car park", "a person reading a book"],
    )
    return f"relevant passage first ({s[0]:.1f} > {s[1]:.1f})" if s[0] > s[1] else "FAIL: order"


def _objects_test(models: ModelRegistry) -> str:
    found = models.objects.detect(_test_frame())
    return f"{len(found)} objects in the synthetic frame (COCO-80 classes)"


def _faces_test(models: ModelRegistry) -> str:
    return f"{len(models.faces.detect(_test_frame()))} faces in the synthetic frame"


def _poses_test(models: ModelRegistry) -> str:
    return f"{len(models.poses.detect(_test_frame()))} people with keypoints in the synthetic frame"


def _llm_test(models: ModelRegistry) -> str:
    out = models.llm.chat(
        [{"role": "user", "content": "Reply with the single word: ready"}], max_tokens=4
    )
    return repr(out.strip()[:20])


def _clip_test(models: ModelRegistry) -> str:
    img = models.clip.embed_images([_test_frame()])
    txt = models.clip.embed_texts(["a person"])
    return f"image·text similarity {float(img[0] @ txt[0]):.2f}"


def _vlm_test(models: ModelRegistry) -> str:
    return repr(models.vlm.caption([_test_frame()])[0][:60])


def check_all(settings: Settings, run_self_test: bool = True) -> list[ModelReport]:
    """Load every role's model and, optionally, run its self-test."""
    models = ModelRegistry(settings)
    roles: list[tuple[str, Callable[[], object], Callable[[ModelRegistry], str]]] = [
        ("image features / labels", lambda: models.labeler, _labeler_test),
        ("text embedder", lambda: models.text_embedder, _text_test),
        ("reranker", lambda: models.reranker, _reranker_test),
        ("objects", lambda: models.objects, _objects_test),
        ("faces", lambda: models.faces, _faces_test),
        ("poses", lambda: models.poses, _poses_test),
        ("LLM", lambda: models.llm, _llm_test),
    ]
    if settings.clip_model_path:
        roles.append(("image-text embedder", lambda: models.clip, _clip_test))
    if settings.vlm_model_path:
        roles.append(("captioner (VLM)", lambda: models.vlm, _vlm_test))
    reports = []
    for role, load, test in roles:
        try:
            info = load().info()
        except (VigilError, OSError, RuntimeError, ValueError) as exc:
            reports.append(ModelReport(role, "-", "-", "-", None, f"FAIL: {exc}"))
            continue
        result = _timed(lambda test=test: test(models)) if run_self_test else "not run"
        reports.append(
            ModelReport(info.role, info.name, info.source, info.licence, info.size_bytes, result)
        )
    reports += _static_reports(settings)
    return reports


def _static_reports(settings: Settings) -> list[ModelReport]:
    """Roles built from the ones above, and roles with no packaged weights here."""
    rows = [
        ModelReport(
            "person/vehicle detector",
            "motion regions (OpenCV MOG2) + EfficientNet labels + shape priors",
            "opencv-python-headless (built in)",
            "Apache-2.0",
            None,
            "exercised by the ingest tests",
        ),
        ModelReport(
            "captioner",
            "packaged describer (detections + labels + colours)",
            "built in",
            "Apache-2.0",
            None,
            "in use" if not settings.vlm_model_path else "fallback",
        ),
    ]
    if not settings.clip_model_path:
        rows.append(
            ModelReport(
                "image-text embedder (CLIP)",
                "not configured",
                "no packaged weights; set VIGIL_CLIP_MODEL_PATH",
                "-",
                None,
                "off",
            )
        )
    if not settings.vlm_model_path:
        rows.append(
            ModelReport(
                "captioner (VLM)",
                "not configured",
                "no packaged weights; set VIGIL_VLM_MODEL_PATH",
                "-",
                None,
                "off",
            )
        )
    return rows
