"""Scale-out mode: a real `chroma run` server on a free localhost port."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from vigil.ingest import Ingestor
from vigil.store import Store
from vigil.store.vectors import TEXT_SPACE

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ChromaServer:
    """`chroma run` on a fixed path and port: stopped and started again as a site's would."""

    def __init__(self, path: Path) -> None:
        self.path, self.port = path, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        self.proc = subprocess.Popen(
            [exe, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        for _ in range(100):
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                pytest.fail("chroma run exited early")
            time.sleep(0.2)
        pytest.fail("chroma server did not come up in 20 s")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture
def server(tmp_path: Path):
    chroma = ChromaServer(tmp_path / "server")
    chroma.start()
    yield chroma
    chroma.stop()


@pytest.fixture
def chroma_server(server) -> str:
    return server.url


def test_ingest_and_query_through_a_chroma_server(settings, models, synthetic_video, chroma_server):
    settings.chroma_url = chroma_server
    store = Store(settings)
    result = Ingestor(settings, store, models).ingest(synthetic_video, "hall")
    assert not (settings.data_dir / "chroma").exists()  # nothing embedded on disk
    query = models.text_embedder.embed_queries(["a person walking"])[0]
    hits = store.vectors.query(TEXT_SPACE, models.text_embedder.name, query, k=3, cameras=["hall"])
    assert len(hits) == 3
    coll = store.vectors.collection(TEXT_SPACE, models.text_embedder.name, "hall")
    assert "person" in coll.get(ids=[hits[0].id], include=["documents"])["documents"][0]
    assert (
        store.vectors.query(
            TEXT_SPACE, models.text_embedder.name, query, k=3, cameras=["elsewhere"]
        )
        == []
    )
    counts = store.vectors.counts()
    keyframe_vectors = sum(n for space, n in counts.items() if not space.startswith("tracks"))
    assert keyframe_vectors == 2 * result.keyframes_added  # a caption and an image each
    assert sum(counts.values()) > keyframe_vectors  # and the walking figure's track


def test_unreachable_server_is_a_clear_error(settings):
    from vigil.errors import VigilError

    settings.chroma_url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(VigilError, match="cannot reach the Chroma server"):
        Store(settings).vectors.counts()


def test_a_chroma_server_that_stops_and_comes_back_costs_no_keyframe(
    settings, models, synthetic_video, server
):
    """Ingest while the server is down fails whole with a clear error and leaves nothing
    half-stored; once it is back, the same ingest stores everything and doctor finds
    nothing to repair; search reads through the server."""
    from vigil.errors import VigilError
    from vigil.search.service import SearchService

    settings.chroma_url = server.url
    store = Store(settings)
    ingestor = Ingestor(settings, store, models)
    store.vectors.counts()  # connected while the server is up
    server.stop()
    with pytest.raises(VigilError):
        ingestor.ingest(synthetic_video, "hall")
    assert store.keyframes.count() == 0
    server.start()
    result = ingestor.ingest(synthetic_video, "hall")
    assert result.keyframes_added > 0 and store.keyframes.count() == result.keyframes_added
    health = store.check()
    assert health.problems == [], health.problems
    hits = SearchService(settings, store, models).search("a person walking", k=3).moments
    assert hits and hits[0].camera == "hall"
