from pathlib import Path

import pytest
from pydantic import ValidationError

from vigil.settings import Settings


def test_defaults_are_embedded(tmp_path: Path):
    s = Settings(data_dir=tmp_path)
    assert s.sql_url == f"sqlite:///{tmp_path / 'vigil.db'}"
    assert s.chroma_url is None


def test_env_overrides_toml(tmp_path: Path, monkeypatch):
    config = tmp_path / "site.toml"
    config.write_text('timezone = "Europe/Amsterdam"\nbatch_size = 4\n')
    monkeypatch.setenv("VIGIL_CONFIG", str(config))
    monkeypatch.setenv("VIGIL_BATCH_SIZE", "16")
    s = Settings()
    assert s.timezone == "Europe/Amsterdam"
    assert s.batch_size == 16


def test_unknown_time_zone_is_refused():
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings(timezone="Mars/Olympus")
