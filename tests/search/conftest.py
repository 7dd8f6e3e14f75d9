import pytest

from vigil.context import Context
from vigil.search.service import SearchService


@pytest.fixture
def service(searchable: Context) -> SearchService:
    return SearchService(searchable.settings, searchable.store, searchable.models)
