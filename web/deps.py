"""FastAPI dependencies: the shared context, the search service."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends

from tools.search import SearchService
from vigil.context import Context, shared_context


def get_context() -> Context:
    return shared_context()


@lru_cache(maxsize=8)
def _search_service(ctx: Context) -> SearchService:
    return SearchService(ctx.settings, ctx.store, ctx.models)


def get_search(ctx: Annotated[Context, Depends(get_context)]) -> SearchService:
    return _search_service(ctx)


ContextDep = Annotated[Context, Depends(get_context)]
SearchDep = Annotated[SearchService, Depends(get_search)]
