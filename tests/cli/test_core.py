"""The `vigil` CLI: summaries, listings and a clear one-line error for every bad input."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.store.test_migrations import NEWEST
from vigil.settings import get_settings

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("VIGIL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VIGIL_MAX_KEYFRAME_INTERVAL_S", "2")
    monkeypatch.delenv("VIGIL_CHROMA_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def snapshot(directory: Path) -> dict[str, int]:
    if not directory.exists():
        return {}
    return {
        str(p.relative_to(directory)): p.stat().st_size
        for p in directory.rglob("*")
        if p.is_file() and "chroma" not in p.parts
    }


def test_ingest_status_frames(data_dir: Path, synthetic_video: Path):
    result = runner.invoke(
        app,
        [
            "ingest",
            str(synthetic_video),
            "--camera",
            "hall",
            "--start",
            "2026-11-20T22:00:00+00:00",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "keyframes added" in result.output and "ingested 1 clip(s)" in result.output

    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0 and "hall" in status.output

    listed = runner.invoke(
        app,
        [
            "frames",
            "--camera",
            "hall",
            "--from",
            "2026-11-20T22:00:03Z",
            "--to",
            "2026-11-20T22:00:06Z",
            "--json",
        ],
    )
    rows = json.loads(listed.output)
    assert rows and all(3 <= r["offset_s"] <= 6 for r in rows)
    assert {"id", "camera", "utc", "caption", "thumbnail", "detections"} <= set(rows[0])


def _bad_inputs(tmp_path: Path, shared: Path, video: Path) -> list[tuple[list[str], str]]:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    text = tmp_path / "notes.mp4"
    text.write_text("not a video at all\n" * 20)
    truncated = tmp_path / "cut.mp4"
    data = (shared / "clips" / "car-detection.mp4").read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    garbage = tmp_path / "garbage.avi"
    garbage.write_bytes(bytes(range(256)) * 400)
    ok = ["--camera", "hall"]
    return [
        ([str(tmp_path / "missing.mp4"), *ok], "no such file"),
        ([str(empty), *ok], "file is empty"),
        ([str(text), *ok], "not a readable video"),
        ([str(garbage), *ok], "not a readable video"),
        ([str(truncated), *ok], "truncated"),
        ([str(video), "--camera", "../../etc"], "invalid camera name"),
        ([str(video), *ok, "--start", "last tuesday"], "not an ISO-8601"),
    ]


def test_bad_input_gives_one_line_and_changes_nothing(
    data_dir, tmp_path, shared_data, synthetic_video
):
    assert runner.invoke(app, ["ingest", str(synthetic_video), "--camera", "hall"]).exit_code == 0
    before = snapshot(data_dir)
    for args, message in _bad_inputs(tmp_path, shared_data, synthetic_video):
        result = runner.invoke(app, ["ingest", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
        assert result.output.strip().startswith("error:")
        assert snapshot(data_dir) == before, args


def test_one_bad_file_among_good_ones_stops_before_anything(data_dir, tmp_path, synthetic_video):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00" * 100)
    copy = tmp_path / "copy.avi"
    shutil.copy(synthetic_video, copy)
    result = runner.invoke(app, ["ingest", str(copy), str(bad), "--camera", "hall"])
    assert result.exit_code == 2
    assert snapshot(data_dir).get("vigil.db") is None


def test_frames_of_an_unknown_camera(data_dir):
    result = runner.invoke(app, ["frames", "--camera", "nowhere"])
    assert result.exit_code == 2 and "unknown camera 'nowhere'" in result.output


def test_a_newline_in_a_file_name_is_printed_escaped(data_dir, tmp_path, synthetic_video):
    odd = tmp_path / "evil\nname.avi"
    shutil.copy(synthetic_video, odd)
    result = runner.invoke(app, ["ingest", str(odd), "--camera", "hall"])
    assert result.exit_code == 0, result.output
    assert "evil\\nname.avi: " in result.output and "evil\nname" not in result.output


def test_search_without_text_or_image_says_what_to_give(data_dir):
    result = runner.invoke(app, ["search"])
    assert result.exit_code == 2
    assert "give a text query or an example image" in result.output
    assert "not both" not in result.output


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_time_errors_name_the_option_given(data_dir, option):
    result = runner.invoke(app, ["frames", option, "noon-ish"])
    assert result.exit_code == 2 and f"{option} 'noon-ish' is not an ISO-8601" in result.output
    searched = runner.invoke(app, ["search", "a car", option, "noon-ish"])
    assert searched.exit_code == 2 and f"{option} 'noon-ish'" in searched.output


def test_an_unexpected_error_is_one_line_and_a_logged_traceback(tmp_path):
    """A broken environment (here a database URL nobody can open) is not bad input: one
    `error:` line, exit 2, and the traceback in the data dir's log."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "VIGIL_DATA_DIR": str(tmp_path / "data"),
        "VIGIL_DATABASE_URL": f"sqlite:///{tmp_path}/no/such/dir/vigil.db",
    }
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "status"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: unexpected OperationalError"), lines
    assert "Traceback" not in done.stderr + done.stdout
    log = (tmp_path / "data" / "logs" / "vigil.log").read_text()
    assert "Traceback" in log and "OperationalError" in log


def test_tracks_lists_what_moved_and_refuses_unknown_cameras(data_dir, synthetic_video):
    """The synthetic walk: one figure crossing the hall."""
    assert runner.invoke(app, ["ingest", str(synthetic_video), "--camera", "hall"]).exit_code == 0
    listed = runner.invoke(app, ["tracks", "--camera", "hall"])
    assert listed.exit_code == 0 and "hall" in listed.output, listed.output
    assert json.loads(runner.invoke(app, ["tracks", "--json"]).output)[0]["camera"] == "hall"
    unknown = runner.invoke(app, ["tracks", "--camera", "nowhere"])
    assert unknown.exit_code != 0 and "unknown camera" in unknown.output
    bad_kind = runner.invoke(app, ["tracks", "--kind", "unicorn"])
    assert bad_kind.exit_code != 0 and "not 'unicorn'" in bad_kind.output


def test_backup_and_restore_from_the_command_line(data_dir, tmp_path, monkeypatch):
    added = runner.invoke(
        app, ["users", "add", "olivia", "--password-stdin"], input="a long passphrase\n"
    )
    assert added.exit_code == 0, added.output
    taken = runner.invoke(app, ["backup", str(tmp_path / "copy")])
    assert taken.exit_code == 0 and f"backed up schema {NEWEST}" in taken.output, taken.output
    again = runner.invoke(app, ["backup", str(tmp_path / "copy")])
    assert again.exit_code == 2 and "not empty" in again.output
    monkeypatch.setenv("VIGIL_DATA_DIR", str(tmp_path / "restored"))
    get_settings.cache_clear()
    back = runner.invoke(app, ["restore", str(tmp_path / "copy")])
    assert back.exit_code == 0 and f"restored schema {NEWEST}" in back.output, back.output
    assert "olivia" in runner.invoke(app, ["users", "list"]).output
    nothing = runner.invoke(app, ["restore", str(tmp_path)])
    assert nothing.exit_code == 2 and "no Vigil backup" in nothing.output
