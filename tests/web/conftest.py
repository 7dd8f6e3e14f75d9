"""The API over the shared sample store (test files that need more override `client`).

Every route needs a sign-in: clients here carry a bearer token of a test admin, made once
per store (tests that check refusals use clients without it)."""

import time

import pytest
from fastapi.testclient import TestClient

from vigil.context import Context
from vigil.signing import issue_session, session_secret
from web.app import create_app
from web.deps import get_context

TEST_ADMIN = "test-admin"


def auth_headers(ctx: Context, name: str = TEST_ADMIN) -> dict[str, str]:
    """The Authorization header of an admin of ``ctx``'s site (``name``, made if new)."""
    if ctx.store.users.get(name) is None:
        ctx.store.users.add(name, "admin", "test-admin-password", "test")
    token = issue_session(session_secret(ctx.settings.data_dir), name, time.time() + 3600)
    return {"Authorization": f"Bearer {token}"}


def signed_client(app, ctx: Context, **options) -> TestClient:
    client = TestClient(app, **options)
    client.headers.update(auth_headers(ctx))
    return client


@pytest.fixture
def client(searchable):
    app = create_app()
    app.dependency_overrides[get_context] = lambda: searchable
    return signed_client(app, searchable)
