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


def test_a_typo_in_the_config_file_is_an_error_naming_the_key(tmp_path: Path, monkeypatch):
    from vigil.errors import ConfigError
    from vigil.settings import get_settings

    config = tmp_path / "vigil.toml"
    config.write_text('timezone = "Europe/Amsterdam"\ndatabse_url = "sqlite://"\n')
    monkeypatch.setenv("VIGIL_CONFIG", str(config))
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"unknown setting 'databse_url'"):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_the_cli_reports_a_config_typo_in_one_line(tmp_path: Path):
    import os
    import subprocess
    import sys

    config = tmp_path / "vigil.toml"
    config.write_text("thumbnail_widht = 200\n")
    env = {**os.environ, "VIGIL_CONFIG": str(config), "VIGIL_DATA_DIR": str(tmp_path / "d")}
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "status"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and "'thumbnail_widht'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_default_site_zone_is_this_machines(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Madrid")
    assert Settings().timezone == "Europe/Madrid"
    monkeypatch.setenv("TZ", "Not/AZone")
    assert Settings().timezone != "Not/AZone"  # falls back to the system's zone or UTC


REPO = Path(__file__).resolve().parent.parent


def test_the_site_policy_states_the_zone_of_every_command(tmp_path: Path, monkeypatch):
    from vigil.errors import ConfigError
    from vigil.settings import get_settings

    config = tmp_path / "vigil.toml"
    config.write_text(f'policy_file = "{REPO / "policies" / "sample.yaml"}"\n')
    monkeypatch.setenv("VIGIL_CONFIG", str(config))
    monkeypatch.setenv("TZ", "UTC")  # whatever this machine's zone
    assert Settings().timezone == "Europe/Amsterdam"
    monkeypatch.setenv("VIGIL_TIMEZONE", "Europe/Amsterdam")
    assert Settings().timezone == "Europe/Amsterdam"  # saying the same again is fine
    monkeypatch.setenv("VIGIL_TIMEZONE", "UTC")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="differs from the site policy's 'Europe/Amsterdam'"):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_broker_and_callback_urls_are_checked_when_settings_load():
    with pytest.raises(ValidationError, match="mqtt://"):
        Settings(mqtt_url="tcp://broker:1883")
    with pytest.raises(ValidationError, match="callback of 'nvr' must be an http"):
        Settings(alarm_sources={"nvr": "s"}, alarm_callbacks={"nvr": "ftp://nvr/verdicts"})
    with pytest.raises(ValidationError, match="needs its secret in alarm_sources"):
        Settings(alarm_callbacks={"nvr": "https://nvr/verdicts"})
    assert Settings(mqtt_url="mqtts://u:p@broker").mqtt_url == "mqtts://u:p@broker"


def test_settings_apart_never_reach_the_sites_database_or_chroma(tmp_path):
    site = Settings(
        data_dir=tmp_path / "site",
        database_url="postgresql+psycopg://vigil@db/vigil",
        chroma_url="http://chroma:8000",
        timezone="UTC",
    )
    apart = site.apart(tmp_path / "eval", "Europe/Amsterdam")
    assert apart.database_url is None and apart.chroma_url is None
    assert apart.sql_url.startswith("sqlite:///") and str(tmp_path / "eval") in apart.sql_url
    assert apart.timezone == "Europe/Amsterdam" and site.database_url is not None
