"""A full or read-only data dir (issue 21): nothing half-written stays, requests get a
clear 507 or 503, /health says not ok, and commands end with one error line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from tests.conftest import REPO, fill
from vigil.context import Context
from vigil.errors import ModelUnavailableError
from vigil.models.llm import join_packaged_gguf
from vigil.settings import Settings
from vigil.store import Store
from web.app import create_app
from web.deps import get_context, login_throttle


def test_a_model_that_does_not_fit_leaves_no_partial_file(small_disk):
    with pytest.raises(ModelUnavailableError, match="No space left"):
        join_packaged_gguf(small_disk / "models")
    assert list((small_disk / "models").iterdir()) == []


def test_loading_the_language_model_copies_nothing_into_the_data_dir(models):
    assert models.llm.path.parent == models.settings.models_dir
    assert not (models.settings.data_dir / "models").exists()


def site_on(disk) -> tuple[Context, TestClient]:
    settings = Settings(data_dir=disk / "data", timezone="UTC", data_dir_min_free_mb=1)
    ctx = Context(settings, Store(settings), None)
    app = create_app(alarm_services=False)
    app.dependency_overrides[get_context] = lambda: ctx
    return ctx, TestClient(app)


def test_a_full_data_dir_answers_507_and_health_says_why(small_disk):
    ctx, client = site_on(small_disk)
    assert client.get("/health").json() == {"status": "ok"}
    fill(small_disk)
    health = client.get("/health")
    assert health.status_code == 503 and "nearly full" in " ".join(health.json()["problems"])
    refused = client.post("/api/auth/login", json={"name": "nobody", "password": "x" * 12})
    assert refused.status_code == 507, refused.text
    assert "no space is left" in refused.json()["detail"]
    (small_disk / "filler").unlink()
    login_throttle._failures.clear()
    assert client.get("/health").json() == {"status": "ok"}  # and it recovers by itself


def test_a_read_only_data_dir_is_not_healthy_and_commands_say_so_in_one_line(small_disk):
    ctx, client = site_on(small_disk)
    data = str(ctx.settings.data_dir)  # the same folder again, read-only from here on
    subprocess.run(["mount", "--bind", data, data], check=True)
    subprocess.run(["mount", "-o", "remount,bind,ro", data], check=True)
    health = client.get("/health")
    assert health.status_code == 503 and "cannot be written" in health.json()["problems"][0]
    env = {**os.environ, "VIGIL_DATA_DIR": str(ctx.settings.data_dir), "VIGIL_CONFIG": "/dev/null"}
    for command in (["status"], ["serve", "--port", "18234"]):
        done = subprocess.run(
            [sys.executable, "-m", "cli.main", *command],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and "cannot be written" in lines[0]
