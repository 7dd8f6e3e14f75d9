"""CLIP image-text embeddings with open_clip, from a local checkpoint only.

No CLIP weights ship in a package here, so this role is off unless a site sets
VIGIL_CLIP_MODEL_PATH (and VIGIL_CLIP_ARCH); the loader never contacts a hub.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vigil.errors import ModelUnavailableError
from vigil.models.types import ModelInfo


class OpenClipEmbedder:
    """Shared image/text space: ``embed_images`` and ``embed_texts`` give unit vectors."""

    def __init__(self, checkpoint: Path, arch: str, threads: int = 2) -> None:
        if not checkpoint.is_file():
            raise ModelUnavailableError(f"CLIP checkpoint {checkpoint} does not exist")
        import open_clip
        import torch

        torch.set_num_threads(threads)
        self._torch = torch
        self.checkpoint = checkpoint
        self.name = f"open_clip:{arch}:{checkpoint.name}"
        model, _, preprocess = open_clip.create_model_and_transforms(
            arch, pretrained=str(checkpoint)
        )
        self.model = model.eval()
        self.preprocess = preprocess
        self.tokenizer = open_clip.get_tokenizer(arch)
        self.dim = (
            int(self.model.text_projection.shape[1])
            if hasattr(self.model, "text_projection") and self.model.text_projection is not None
            else None
        )

    def info(self) -> ModelInfo:
        return ModelInfo(
            "image-text embedder",
            self.name,
            str(self.checkpoint),
            "see model card",
            self.checkpoint.stat().st_size,
        )

    def embed_images(self, images_bgr: list[np.ndarray]) -> np.ndarray:
        from PIL import Image

        batch = self._torch.stack(
            [self.preprocess(Image.fromarray(im[..., ::-1].copy())) for im in images_bgr]
        )
        with self._torch.inference_mode():
            feats = self.model.encode_image(batch, normalize=True)
        return feats.float().numpy()

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        with self._torch.inference_mode():
            feats = self.model.encode_text(self.tokenizer(texts), normalize=True)
        return feats.float().numpy()
