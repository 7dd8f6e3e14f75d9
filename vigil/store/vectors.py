"""Keyframe and track vectors in Chroma: embedded PersistentClient by default, a server by
URL.

Chroma's default embedding function downloads a model at first use, which fails offline,
so every collection is made with ``embedding_function=None`` and vectors are always passed.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx
import numpy as np

from vigil.errors import StorageError, VigilError
from vigil.once import Once

TEXT_SPACE = "captions"
IMAGE_SPACE = "images"
TRACK_SPACE = "tracks"  # one vector per track, id `track_vector_id`, beside the keyframes'
KEYFRAME_SPACES = (TEXT_SPACE, IMAGE_SPACE)


def track_vector_id(video_id: int, number: int) -> str:
    """The id of a track's vector: its video and number (never a keyframe id)."""
    return f"track-{video_id}-{number}"


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


def _reached(method):
    """A method that talks to Chroma: a server that cannot be reached (stopped, restarting)
    is a StorageError that says so, never a bare transport error. The callers' writes are
    whole or undone (`Store.add_keyframes`), so a retry once it is back stores everything."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (httpx.TransportError, ConnectionError) as exc:
            self._collections.clear()
            raise StorageError(
                f"the Chroma server cannot be reached ({exc}): try again once it is back",
                full=False,
            ) from exc

    return call


POST_FILTER_MIN_SHARE = 0.1  # a scope this share of a collection or more is post-filtered
POST_FILTER_HEADROOM = 2.0  # nearest neighbours fetched per expected survivor


def _hits(result) -> list[VectorHit]:
    return [
        VectorHit(id=i, distance=float(d), metadata=m or {})
        for i, d, m in zip(
            result["ids"][0], result["distances"][0], result["metadatas"][0], strict=True
        )
    ]


def _nearest(collection, query_vector: list, k: int, ids: Sequence[str] | None) -> list[VectorHit]:
    """The k nearest of one collection, among ``ids`` when given.

    A scope that is a large share of the collection (a 6 h window of a day) is searched
    unfiltered for k / share x headroom neighbours and filtered here: sending its ids
    (25k for a 100k camera) costs more than the search, above all to a Chroma server.
    When too few neighbours fall in the scope, the ids go to Chroma after all.
    """
    include = ["distances", "metadatas"]
    if ids is None:
        return _hits(collection.query(query_embeddings=query_vector, n_results=k, include=include))
    wanted = min(k, len(ids))
    total = collection.count()
    share = len(ids) / max(total, 1)
    if share >= POST_FILTER_MIN_SHARE:
        fetch = min(total, math.ceil(wanted / share * POST_FILTER_HEADROOM))
        allowed = set(ids)
        near = collection.query(query_embeddings=query_vector, n_results=fetch, include=include)
        kept = [h for h in _hits(near) if h.id in allowed]
        if len(kept) >= wanted:
            return kept[:wanted]
    scoped = collection.query(
        query_embeddings=query_vector, n_results=wanted, ids=list(ids), include=include
    )
    return _hits(scoped)


class VectorStore:
    """Vector spaces (caption text, image) keyed by keyframe id, and one of tracks; one
    collection per camera and space.

    A camera filter picks collections instead of scanning metadata (Chroma's ``where`` cost
    grows with the collection; measured 16-35 ms at 20k against 2 ms unfiltered), and a
    time filter restricts each camera's search to the ids in the window (see ``query``).
    """

    def __init__(self, connect: Callable[[], object]) -> None:
        self._client = Once(connect)
        self._collections: dict[str, object] = {}

    @property
    def client(self):
        """The Chroma client, opened on first use: a process that never touches vectors,
        such as the alarm worker, never opens Chroma."""
        return self._client.get()

    @staticmethod
    def _name(space: str, model_name: str, camera: str) -> str:
        """A valid, unique Chroma name; lookups go by metadata, never by parsing it."""
        digest = hashlib.sha1(f"{space}|{model_name}|{camera}".encode()).hexdigest()[:8]
        return f"{space}-{_slug(model_name)}-{_slug(camera)[:24]}-{digest}"

    @_reached
    def collection(self, space: str, model_name: str, camera: str):
        """The collection of one camera in one vector space (dimensions differ per model)."""
        name = self._name(space, model_name, camera)
        if name not in self._collections:
            self._collections[name] = self.client.get_or_create_collection(
                name=name,
                embedding_function=None,
                metadata={
                    "hnsw:space": "cosine",
                    "space": space,
                    "model": model_name,
                    "camera": camera,
                },
            )
        return self._collections[name]

    @_reached
    def cameras(self, space: str, model_name: str) -> list[str]:
        """Cameras with a collection in this space and model."""
        return sorted(
            meta["camera"]
            for meta in (c.metadata or {} for c in self.client.list_collections())
            if meta.get("space") == space and meta.get("model") == model_name
        )

    @_reached
    def upsert(
        self,
        space: str,
        model_name: str,
        camera: str,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[dict],
        documents: Sequence[str] | None = None,
    ) -> None:
        if not ids:
            return
        self.collection(space, model_name, camera).upsert(
            ids=list(ids),
            embeddings=np.asarray(vectors, dtype=np.float32).tolist(),
            metadatas=list(metadatas),
            documents=list(documents) if documents is not None else None,
        )

    @_reached
    def update_texts(
        self,
        model_name: str,
        camera: str,
        ids: Sequence[str],
        vectors: np.ndarray,
        documents: Sequence[str],
    ) -> None:
        """New caption vectors and texts for stored keyframes (their metadata stays)."""
        if ids:
            self.collection(TEXT_SPACE, model_name, camera).update(
                ids=list(ids),
                embeddings=np.asarray(vectors, dtype=np.float32).tolist(),
                documents=list(documents),
            )

    def _camera_collections(self, camera: str | None, spaces: Sequence[str] | None = None) -> list:
        """Every collection of one camera (default: of all cameras) in the given spaces
        (default: all), of every model."""
        return [
            self.client.get_collection(c.name)
            for c in self.client.list_collections()
            if camera is None or (c.metadata or {}).get("camera") == camera
            if spaces is None or (c.metadata or {}).get("space") in spaces
        ]

    @_reached
    def delete_ids(self, ids: Sequence[str], camera: str | None = None) -> None:
        """Remove these keyframe ids from every collection of ``camera`` (default: all)."""
        if ids:
            for coll in self._camera_collections(camera):
                coll.delete(ids=list(ids))

    @_reached
    def delete_tracks_of_video(self, camera: str, video_id: int) -> None:
        """Remove the track vectors of one video of ``camera``."""
        for coll in self._camera_collections(camera, (TRACK_SPACE,)):
            coll.delete(where={"video_id": video_id})

    @_reached
    def ids_per_camera(self) -> dict[str, set[str]]:
        """Camera -> every keyframe id that has a vector in any of its keyframe collections."""
        found: dict[str, set[str]] = {}
        for coll in self._camera_collections(None, KEYFRAME_SPACES):
            camera = (coll.metadata or {}).get("camera", coll.name)
            found.setdefault(camera, set()).update(coll.get(include=[])["ids"])
        return found

    @_reached
    def query(
        self,
        space: str,
        model_name: str,
        vector: np.ndarray,
        k: int,
        cameras: Sequence[str] | None = None,
        within: Mapping[str, Sequence[str] | None] | None = None,
    ) -> list[VectorHit]:
        """Nearest keyframes over the given cameras (default all).

        ``within`` scopes the search: camera -> the only keyframe ids to consider (None for
        all of that camera's). A time window is resolved to ids by the SQL index, never by a
        ``where`` on the time metadata (5-7 ms per 10k-vector camera against 25-40 ms), and
        searched as ``_nearest`` plans; cameras missing from ``within`` are not searched.
        """
        known = self.cameras(space, model_name)
        wanted = known if cameras is None else [c for c in cameras if c in known]
        if within is not None:
            wanted = [c for c in wanted if c in within and within[c] != []]
        query_vector = [np.asarray(vector, dtype=np.float32).tolist()]
        hits: list[VectorHit] = []
        for camera in wanted:
            collection = self.collection(space, model_name, camera)
            ids = within.get(camera) if within is not None else None
            hits.extend(_nearest(collection, query_vector, k, ids))
        hits.sort(key=lambda h: h.distance)
        return hits[:k]

    @_reached
    def counts(self) -> dict[str, int]:
        """Vectors per space and model ("captions__<model>"), summed over cameras."""
        totals: dict[str, int] = {}
        for c in self.client.list_collections():
            meta = c.metadata or {}
            key = f"{meta['space']}__{_slug(meta['model'])}" if "space" in meta else c.name
            totals[key] = totals.get(key, 0) + self.client.get_collection(c.name).count()
        return totals
