from pathlib import Path

import pytest

from tools.search import SearchService
from vigil.context import Context
from vigil.ingest import Ingestor, parse_start
from vigil.settings import Settings
from vigil.store import Store

START = parse_start("2026-11-20T22:00:00+00:00", None)


@pytest.fixture(scope="package")
def searchable(tmp_path_factory, models, shared_data: Path, synthetic_video: Path) -> Context:
    """A store holding car-detection.mp4 (camera parking) and the synthetic walk (hall)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("search"), max_keyframe_interval_s=2.0)
    store = Store(settings)
    ingestor = Ingestor(settings, store, models)
    ingestor.ingest(shared_data / "clips" / "car-detection.mp4", "parking", START)
    ingestor.ingest(synthetic_video, "hall", START)
    return Context(settings, store, models)


@pytest.fixture
def service(searchable: Context) -> SearchService:
    return SearchService(searchable.settings, searchable.store, searchable.models)
