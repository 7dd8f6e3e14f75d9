from typer.testing import CliRunner

from cli.main import app
from vigil.settings import get_settings


def test_watch_refuses_a_stream_option_without_a_camera(monkeypatch, settings):
    monkeypatch.setenv("VIGIL_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["watch", "--stream", "rtsp://cam/live"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2 and "--stream takes CAMERA=URL" in result.output
