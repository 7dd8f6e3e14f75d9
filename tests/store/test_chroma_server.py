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


@pytest.fixture
def chroma_server(tmp_path: Path):
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    proc = subprocess.Popen(
        [
            exe,
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                pytest.fail("chroma run exited early")
            time.sleep(0.2)
        else:
            pytest.fail("chroma server did not come up in 20 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


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
    assert sum(store.vectors.counts().values()) == 2 * result.keyframes_added


def test_unreachable_server_is_a_clear_error(settings):
    from vigil.errors import VigilError

    settings.chroma_url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(VigilError, match="cannot reach the Chroma server"):
        Store(settings).vectors.counts()
