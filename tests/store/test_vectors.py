from functools import partial

import numpy as np

from vigil.store.vectors import TEXT_SPACE, VectorStore, make_client


def test_collections_are_found_by_metadata_not_by_name(tmp_path):
    store = VectorStore(partial(make_client, None, tmp_path))
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
    hits = store.query(TEXT_SPACE, "m", vec[0], k=10, cameras=["front-gate"])
    assert [h.id for h in hits] == ["mfront-gate0", "mfront-gate1"]


def test_query_searches_only_the_ids_in_scope(tmp_path):
    store = VectorStore(partial(make_client, None, tmp_path))
    vec = np.eye(4, dtype=np.float32)
    for camera in ("gate", "lobby"):
        store.upsert(
            TEXT_SPACE, "m", camera, [f"{camera}{i}" for i in range(4)], vec, [{"utc_ts": 0.0}] * 4
        )
    # the nearest vector (id 0) is out of scope; k larger than the scope is fine
    hits = store.query(TEXT_SPACE, "m", vec[0], k=10, within={"gate": ["gate2", "gate3"]})
    assert sorted(h.id for h in hits) == ["gate2", "gate3"]
    both = store.query(TEXT_SPACE, "m", vec[0], k=3, within={"gate": None, "lobby": ["lobby0"]})
    assert {h.id for h in both} == {"gate0", "lobby0"} | {both[2].id}
    assert both[2].id.startswith("gate")
    assert store.query(TEXT_SPACE, "m", vec[0], k=3, within={"gate": []}) == []


def test_a_wide_scope_is_filtered_after_the_search_with_the_same_result(tmp_path):
    """A scope that is a large share of a camera is searched unfiltered and filtered after;
    a narrow one, or one whose ids are mostly far from the query, goes to Chroma as ids.
    Every plan returns the exact nearest ids in scope."""
    store = VectorStore(partial(make_client, None, tmp_path))
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((400, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [f"k{i}" for i in range(400)]
    store.upsert(TEXT_SPACE, "m", "gate", ids, vectors, [{"utc_ts": float(i)} for i in range(400)])
    query = vectors[7]
    order = np.argsort(-(vectors @ query))

    def nearest_in(scope: list[int], k: int) -> list[str]:
        inside = set(scope)
        return [f"k{i}" for i in order if i in inside][:k]

    wide = list(range(0, 400, 2))  # half the camera: post-filtered
    narrow = [3, 50, 120, 333]  # 1%: ids sent to Chroma
    far = [int(i) for i in order[-60:]]  # 15% but all far from the query: falls back
    for scope in (wide, narrow, far):
        hits = store.query(TEXT_SPACE, "m", query, k=5, within={"gate": [f"k{i}" for i in scope]})
        assert [h.id for h in hits] == nearest_in(scope, 5)
