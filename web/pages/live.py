"""Live view pages: a grid of the watched cameras and one camera large."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from web.deps import ServicesDep, check_camera, live_streams
from web.pages.common import PageUser, render

router = APIRouter(include_in_schema=False)


@router.get("/live", response_class=HTMLResponse)
def live_grid(request: Request, user: PageUser, services: ServicesDep):
    """Every camera with a stream that the user may see, live."""
    cameras = [c for c in live_streams(services) if user.sees(c)]
    return render(request, "live.html", user, active="live", cameras=cameras, single=None)


@router.get("/live/{camera}", response_class=HTMLResponse)
def live_camera(camera: str, request: Request, user: PageUser, services: ServicesDep):
    """One camera live, with links to its recordings."""
    check_camera(request, camera)
    if camera not in live_streams(services):
        raise HTTPException(404, f"camera {camera[:64]!r} has no live stream in the site policy")
    return render(request, "live.html", user, active="live", cameras=[camera], single=camera)
