"""Keyframe vectors in Chroma: embedded PersistentClient by default, a server by URL.

Chroma's default embedding function downloads a model at first use, which fails offline,
so every collection is made with ``embedding_function=None`` and vectors are always passed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from vigil.errors import VigilError

TEXT_SPACE = "captions"
IMAGE_SPACE = "images"


@dataclass(frozen=True)
class VectorHit:
    """One nearest neighbour: keyframe id, cosine distance and its metadata."""

    id: str
    distance: float
    metadata: dict


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40]


def make_client(chroma_url: str | None, persist_dir: Path):
    """A Chroma client: HTTP to ``chroma_url`` if set, else embedded under ``persist_dir``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        parsed = urlparse(chroma_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise VigilError(
                f"VIGIL_CHROMA_URL must look like http://host:port, not {chroma_url!r}"
            )
        try:
            return chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # chromadb raises plain ValueError/ConnectError here
            raise VigilError(f"cannot reach the Chroma server at {chroma_url}: {exc}") from exc
    persist_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(persist_dir), settings=chroma_settings)


class VectorStore:
    """Named vector spaces (caption text, image) keyed by keyframe id."""

    def __init__(self, client) -> None:
        self.client = client
        self._collections: dict[str, object] = {}

    def collection(self, space: str, model_name: str):
        """The collection for one vector space and model (dimensions differ per model)."""
        name = f"{space}__{_slug(model_name)}"
        if name not in self._collections:
            self._collections[name] = self.client.get_or_create_collection(
                name=name,
                embedding_function=None,
                metadata={"hnsw:space": "cosine", "model": model_name},
            )
        return self._collections[name]

    def upsert(
        self,
        space: str,
        model_name: str,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[dict],
        documents: Sequence[str] | None = None,
    ) -> None:
        if not ids:
            return
        self.collection(space, model_name).upsert(
            ids=list(ids),
            embeddings=np.asarray(vectors, dtype=np.float32).tolist(),
            metadatas=list(metadatas),
            documents=list(documents) if documents is not None else None,
        )

    def existing_ids(self, space: str, model_name: str, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        return set(self.collection(space, model_name).get(ids=list(ids), include=[])["ids"])

    def delete(self, space: str, model_name: str, ids: Sequence[str]) -> None:
        if ids:
            self.collection(space, model_name).delete(ids=list(ids))

    def query(
        self, space: str, model_name: str, vector: np.ndarray, k: int, where: dict | None = None
    ) -> list[VectorHit]:
        coll = self.collection(space, model_name)
        result = coll.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=k,
            where=where or None,
            include=["distances", "metadatas"],
        )
        return [
            VectorHit(id=i, distance=float(d), metadata=m or {})
            for i, d, m in zip(
                result["ids"][0], result["distances"][0], result["metadatas"][0], strict=True
            )
        ]

    def counts(self) -> dict[str, int]:
        """Vectors per collection."""
        return {c.name: c.count() for c in self.client.list_collections()}
