"""GET /api/search: the same search as `vigil search`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from web.api.defs import SearchResult
from web.deps import SearchDep

router = APIRouter(prefix="/api/search", tags=["search"])


@router.get("", response_model=SearchResult)
def search(
    service: SearchDep,
    q: Annotated[str, Query(description="What to look for (EN/NL/FR/ES)", max_length=10_000)],
    camera: Annotated[list[str] | None, Query(description="Only these cameras")] = None,
    start: Annotated[datetime | None, Query(alias="from", description="ISO-8601")] = None,
    end: Annotated[datetime | None, Query(alias="to", description="ISO-8601")] = None,
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    rerank: bool = False,
) -> SearchResult:
    """Ranked moments with thumbnails, times and each signal's score."""
    return service.search(query=q, cameras=camera, start=start, end=end, k=k, rerank=rerank)
