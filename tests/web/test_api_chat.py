import json

import pytest

from tests.fakes import ScriptedModel
from tests.web.conftest import signed_client
from web.app import create_app
from web.deps import get_chat_agent, get_context


def events_of(response) -> list[tuple[str, dict]]:
    events = []
    for block in response.text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


@pytest.fixture
def model():
    return ScriptedModel([])


@pytest.fixture
def client(searchable, make_agent, model):
    app = create_app()
    agent = make_agent(model)
    app.dependency_overrides[get_context] = lambda: searchable
    app.dependency_overrides[get_chat_agent] = lambda: agent
    return signed_client(app, searchable)


def test_chat_streams_events_and_the_conversation_is_stored(client, model):
    model.replies = [json.dumps({"answer": "A red vehicle appears [F1]."})]
    response = client.post(
        "/api/chat", json={"question": "Was there a red car in the parking lot?"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = events_of(response)
    kinds = [kind for kind, _ in events]
    assert (
        kinds[0] == "status" and "tool" in kinds and "progress" in kinds and kinds[-1] == "answer"
    )
    assert "token" not in kinds  # the answer's words come checked, in `answer` only
    result = events[-1][1]
    assert result["citations"][0]["camera"] == "parking"
    stored = client.get(f"/api/conversations/{result['conversation_id']}").json()
    assert stored["turns"][0]["answer"] == result["text"]
    assert stored["turns"][0]["citations"] == [result["citations"][0]["frame_id"]]


def test_chat_errors_are_clear_and_the_server_keeps_answering(client, model):
    assert client.post("/api/chat", json={}).status_code == 422
    assert client.post("/api/chat", content=b"{not json").status_code == 422
    assert client.post("/api/chat", json={"question": "x" * 5000}).status_code == 422
    assert client.get("/api/conversations/nope").status_code == 404
    model.replies = [RuntimeError("llama.cpp crashed")]
    crashed = events_of(client.post("/api/chat", json={"question": "a red car in the parking?"}))
    assert crashed[-1] == ("error", {"message": "internal error; see the server log"})
    model.replies = [json.dumps({"answer": "A red vehicle appears [F1]."})]
    again = events_of(client.post("/api/chat", json={"question": "a red car in the parking?"}))
    assert again[-1][0] == "answer"


def test_openapi_documents_the_chat_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/chat" in paths and "/api/conversations/{conversation_id}" in paths
