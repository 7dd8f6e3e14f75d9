"""Scale-out mode: a real `chroma run` server on a free localhost port."""

from pathlib import Path

import pytest

from tests.servers import ChromaServer, free_port
from vigil.ingest import Ingestor
from vigil.store import Store
from vigil.store.vectors import TEXT_SPACE

pytestmark = pytest.mark.server


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

    settings.chroma_url = f"http://127.0.0.1:{free_port()}"
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
