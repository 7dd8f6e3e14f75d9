"""GET /api/cameras: the cameras the user may see, with what is stored of each; and each
watched camera's live view."""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

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
    """The live views the server streams at once, each opening the camera itself: a limit
    for the server and a smaller one per user (nobody can take them all), and the threads
    that read the cameras (apart from the pool the rest of the server waits on)."""

    def __init__(self, most: int, per_user: int) -> None:
        self.most, self.per_user = most, per_user
        self._lock = threading.Lock()
        self._open: dict[str, int] = {}
        self.readers = ThreadPoolExecutor(most, thread_name_prefix="live-view")

    def take(self, user: str) -> str | None:
        """A place for ``user``'s view, or why not."""
        with self._lock:
            if sum(self._open.values()) >= self.most:
                return "too many live views are open on the server; try again shortly"
            if self._open.get(user, 0) >= self.per_user:
                return f"you have {self.per_user} live views open: close one first"
            self._open[user] = self._open.get(user, 0) + 1
            return None

    def give_back(self, user: str) -> None:
        with self._lock:
            self._open[user] -= 1
            if not self._open[user]:
                del self._open[user]


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
    who = actor(request)
    refused = views.take(who)
    if refused:
        raise HTTPException(503, refused, {"Retry-After": "10"})
    feed = LiveFeed(url)
    once = threading.Lock()

    def release() -> None:  # once, whether the view ends, fails or is never started
        if once.acquire(blocking=False):
            threading.Thread(target=feed.close, name="live-view-close").start()
            views.give_back(who)

    loop = asyncio.get_running_loop()
    try:
        codec, header = await loop.run_in_executor(views.readers, feed.start)
        store, claims = services.store, request.state.session
        store.audit.record(who, "live.view", f"camera:{camera[:64]}")
    except VigilError as exc:
        release()
        raise HTTPException(502, f"camera {camera[:64]!r}: {exc}") from exc
    except BaseException:
        release()
        raise

    async def stream() -> AsyncIterator[bytes]:
        last_check = time.monotonic()
        try:
            yield header
            while fragment := await loop.run_in_executor(views.readers, feed.next_fragment):
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
