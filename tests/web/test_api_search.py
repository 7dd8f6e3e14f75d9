def test_search_endpoint(client):
    response = client.get("/api/search", params={"q": "a red car", "k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["moments"][0]["camera"] == "parking"
    thumb = client.get(f"/api/thumbnails/{body['moments'][0]['thumbnail']}")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"


def test_search_endpoint_errors(client):
    assert client.get("/api/search", params={"q": "car", "k": 0}).status_code == 422
    assert client.get("/api/search").status_code == 422
    unknown = client.get("/api/search", params={"q": "car", "camera": "nowhere"})
    assert unknown.status_code == 400 and "unknown camera" in unknown.json()["detail"]
    assert client.get("/api/search", params={"q": "x" * 10_001}).status_code == 422
    assert client.get("/api/thumbnails/..%2f..%2fetc%2fpasswd").status_code == 404


def test_openapi_lists_search(client):
    assert "/api/search" in client.get("/openapi.json").json()["paths"]


def test_search_endpoint_filters_by_facts(client):
    body = client.get("/api/search", params={"q": "someone", "min_people": 1, "k": 20}).json()
    assert body["moments"] and {m["camera"] for m in body["moments"]} == {"hall"}
    assert client.get("/api/search", params={"q": "x", "min_people": -1}).status_code == 422
