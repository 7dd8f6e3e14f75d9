import numpy as np

from vigil.store.vectors import TEXT_SPACE, VectorStore, make_client


def test_collections_are_found_by_metadata_not_by_name(tmp_path):
    store = VectorStore(make_client(None, tmp_path))
    vec = np.eye(4, dtype=np.float32)
    for model in ("m", "m-b"):  # one model name is a prefix of the other
        for camera in ("front-gate", "lobby"):  # a dash inside a camera name
            store.upsert(
                TEXT_SPACE,
                model,
                camera,
                [f"{model}{camera}{i}" for i in range(2)],
                vec[:2],
                [{"utc_ts": float(i)} for i in range(2)],
            )
    assert store.cameras(TEXT_SPACE, "m") == ["front-gate", "lobby"]
    assert store.counts() == {"captions__m": 4, "captions__m-b": 4}
    hits = store.query(TEXT_SPACE, "m", vec[0], k=10, cameras=["front-gate"], start_ts=0.5)
    assert [h.id for h in hits] == ["mfront-gate1"]
