"""Vision-language captioning and frame questions with transformers, from a local directory.

No VLM weights ship in a package here, so this role is off unless a site sets
VIGIL_VLM_MODEL_PATH to a saved model (BLIP, GIT, Florence-2, SmolVLM, ...).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vigil.errors import ModelUnavailableError
from vigil.models.types import ModelInfo


class TransformersVLM:
    """Image-to-text with ``AutoProcessor`` + ``AutoModelForImageTextToText``, offline."""

    def __init__(self, path: Path, max_new_tokens: int = 40, threads: int = 2) -> None:
        if not path.is_dir():
            raise ModelUnavailableError(f"VLM directory {path} does not exist")
        import torch
        from transformers import AutoModelForImageTextToText, AutoProcessor

        torch.set_num_threads(threads)
        self._torch = torch
        self.path = path
        self.name = f"transformers:{path.name}"
        self.max_new_tokens = max_new_tokens
        self.processor = AutoProcessor.from_pretrained(path, local_files_only=True)
        self.model = AutoModelForImageTextToText.from_pretrained(path, local_files_only=True).eval()

    def info(self) -> ModelInfo:
        size = sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())
        return ModelInfo("captioner (VLM)", self.name, str(self.path), "see model card", size)

    def _generate(self, images_bgr: list[np.ndarray], prompt: str | None) -> list[str]:
        from PIL import Image

        pil = [Image.fromarray(im[..., ::-1].copy()) for im in images_bgr]
        kwargs = {"images": pil, "return_tensors": "pt"}
        if prompt:
            kwargs["text"] = [prompt] * len(pil)
        inputs = self.processor(**kwargs)
        with self._torch.inference_mode():
            out = self.model.generate(**inputs, max_new_tokens=self.max_new_tokens, do_sample=False)
        texts = self.processor.batch_decode(out, skip_special_tokens=True)
        if prompt:
            texts = [t.removeprefix(prompt).strip() for t in texts]
        return [t.strip() for t in texts]

    def caption(self, images_bgr: list[np.ndarray]) -> list[str]:
        """One caption per image."""
        return self._generate(images_bgr, None)

    def ask(self, image_bgr: np.ndarray, question: str) -> str:
        """Answer a question about one image."""
        return self._generate([image_bgr], question)[0]
