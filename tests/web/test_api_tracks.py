"""GET /api/tracks over the shared sample store (car-detection.mp4 as camera parking)."""


def test_the_four_cars_are_listed_in_order_with_site_times(client):
    body = client.get("/api/tracks", params={"camera": "parking", "kind": "vehicle"}).json()
    assert len(body) == 4
    assert [t["direction"] for t in body][:2] == ["bottom to top", "top to bottom"]
    assert all(t["start"] <= t["end"] and t["keyframe_ids"] for t in body)
    window = {"camera": "parking", "from": "2026-11-20T22:00:14+00:00",
              "to": "2026-11-20T22:00:20+00:00"}  # fmt: skip
    assert len(client.get("/api/tracks", params={**window, "kind": "vehicle"}).json()) == 2


def test_bad_track_queries_are_refused_clearly(client):
    unknown = client.get("/api/tracks", params={"camera": "nowhere"})
    assert unknown.status_code == 400 and "unknown camera" in unknown.json()["detail"]
    assert client.get("/api/tracks", params={"kind": "unicorn"}).status_code == 422
    backwards = client.get("/api/tracks", params={"from": "2026-11-21", "to": "2026-11-20"})
    assert backwards.status_code == 400
