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


def test_a_large_scope_asked_for_by_its_time_window_finds_the_same_neighbours(
    tmp_path, monkeypatch
):
    """Over `ID_LIST_MAX` ids, the query goes by the time window on the metadata (cheaper
    than sending the ids to a server) and keeps the scope's ids: the same nearest keyframes
    as asking by ids; a scope the window's nearest barely meet is asked for by ids."""
    from vigil.store.vectors import ID_LIST_MAX

    store = VectorStore(partial(make_client, None, tmp_path))
    rng = np.random.default_rng(1)
    n = ID_LIST_MAX * 2 + 1500
    vectors = rng.standard_normal((n, 16)).astype(np.float32)
    ids = [f"k{i}" for i in range(n)]
    for at in range(0, n, 4000):
        part = slice(at, at + 4000)
        times = [{"utc_ts": float(i)} for i in range(n)][part]
        store.upsert(TEXT_SPACE, "m", "gate", ids[part], vectors[part], times)
    asked_by_time = []
    by_time_alone = VectorStore._by_time
    monkeypatch.setattr(VectorStore, "_by_time", staticmethod(
        lambda *a: asked_by_time.append(len(a[3])) or by_time_alone(*a)))  # fmt: skip
    window = (500.0, float(n - 1))
    in_window = ids[500:]
    query = vectors[7] + 0.1
    for scope in (in_window, in_window[::2], in_window[::200]):  # all, half, a few
        by_time = store.query(TEXT_SPACE, "m", query, 20, within={"gate": scope}, window=window)
        by_ids = store.query(TEXT_SPACE, "m", query, 20, within={"gate": scope})
        assert [h.id for h in by_time] == [h.id for h in by_ids]
        assert all(h.id in set(scope) for h in by_time)
    assert asked_by_time == [len(in_window), len(in_window[::2])]  # the few: by ids
