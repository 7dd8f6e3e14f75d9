"""GET /api/cameras: the cameras the user may see, with what is stored of each; and each
watched camera's live view."""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse

from vigil.domain import CameraSummary
from vigil.errors import VigilError
from vigil.media.live_view import LiveFeed
from vigil.sessions import still_signed_in
from vigil.signing import SignatureError
from web.deps import (
    ContextDep,
    ServicesDep,
    actor,
    check_camera,
    live_streams,
    request_user,
    signed_in_user,
)

router = APIRouter(prefix="/api/cameras", tags=["cameras"], dependencies=[Depends(signed_in_user)])
SIGN_IN_CHECK_S = 30.0  # a live view ends within this long of its sign-in ending


class LiveViews:
    """How many live views the server streams at once, each opening the camera itself."""

    def __init__(self, most: int) -> None:
        self._free = threading.BoundedSemaphore(most)

    def take(self) -> bool:
        return self._free.acquire(blocking=False)

    def give_back(self) -> None:
        self._free.release()


@router.get("", response_model=list[CameraSummary])
def cameras(ctx: ContextDep, request: Request) -> list[CameraSummary]:
    user = request_user(request)
    return [c for c in ctx.store.videos.summaries() if user is None or user.sees(c.name)]


@router.get(
    "/{camera}/live.mp4",
    response_class=StreamingResponse,
    responses={200: {"content": {"video/mp4": {}}, "description": "fragmented MP4, endless"}},
)
async def live_view(camera: str, request: Request, services: ServicesDep) -> StreamingResponse:
    """The camera's stream as it arrives, H.264 passed through as fragmented MP4 for Media
    Source Extensions; the ``X-Codec`` header gives the MSE codec string."""
    check_camera(request, camera)
    url = live_streams(services).get(camera)
    if url is None:
        raise HTTPException(404, f"camera {camera[:64]!r} has no live stream in the site policy")
    views: LiveViews = request.app.state.live_views
    if not views.take():
        raise HTTPException(503, "too many live views are open; close one and try again")
    feed = LiveFeed(url)
    try:
        codec, header = await asyncio.to_thread(feed.start)
    except VigilError as exc:
        views.give_back()
        raise HTTPException(502, f"camera {camera[:64]!r}: {exc}") from exc
    store, claims = services.store, request.state.session
    store.audit.record(actor(request), "live.view", f"camera:{camera[:64]}")
    once = threading.Lock()

    def release() -> None:  # once, whether the view ends, fails or is never started
        if once.acquire(blocking=False):
            threading.Thread(target=feed.close, name="live-view-close").start()
            views.give_back()

    async def stream() -> AsyncIterator[bytes]:
        last_check = time.monotonic()
        try:
            yield header
            while (fragment := await asyncio.to_thread(feed.next_fragment)) is not None:
                if time.monotonic() - last_check > SIGN_IN_CHECK_S:
                    try:  # a sign-out or new camera limits end the view
                        if not still_signed_in(store, claims).sees(camera):
                            return
                    except SignatureError:
                        return
                    last_check = time.monotonic()
                yield fragment
        finally:
            release()

    body = stream()
    weakref.finalize(body, release)
    return StreamingResponse(
        body, media_type="video/mp4", headers={"X-Codec": codec, "Cache-Control": "no-store"}
    )
