"""The API over the shared sample store (test files that need more override `client`)."""

import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from web.deps import get_context


@pytest.fixture
def client(searchable):
    app = create_app()
    app.dependency_overrides[get_context] = lambda: searchable
    return TestClient(app)
