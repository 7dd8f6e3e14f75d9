"""A non-editable wheel carries what the code reads at run time: prompt templates,
migrations, the CLI; installed on its own, it renders prompts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "vigil"  # setuptools writes build/ there
    shutil.copytree(
        REPO, source, ignore=shutil.ignore_patterns(".venv", "var", ".git", "build", "*.egg-info")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("vigil-*.whl"))


def test_the_wheel_holds_templates_migrations_and_the_cli(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"prompts/chat_system.j2", "prompts/incident_summary.j2"} <= names
    assert "vigil/store/migrations/versions/0001_initial.py" in names
    assert "vigil/store/migrations/script.py.mako" in names
    assert "cli/main.py" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "vigil = cli.main:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_an_installed_wheel_renders_prompts_from_its_own_files(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    code = (
        "import vigil.prompts as p; "
        "print(p.PROMPTS_DIR); print(p.render_prompt('frame_question.j2', question='x').version)"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    where, version = done.stdout.split()
    assert where.startswith(str(target)) and version
