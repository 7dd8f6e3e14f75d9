import pytest

from tools.search import SearchService
from vigil.context import Context


@pytest.fixture
def service(searchable: Context) -> SearchService:
    return SearchService(searchable.settings, searchable.store, searchable.models)
