#!/usr/bin/python3
"""Serve an H.264 MP4 clip as a live RTSP camera, with Debian's GStreamer RTSP server.

    /usr/bin/python3 scripts/rtsp-serve.py CLIP PORT      -> rtsp://127.0.0.1:PORT/live

It runs on the system Python (python3-gi and gir1.2-gst-rtsp-server-1.0, installed by
`make system-deps`), plays the clip in real time to every client that connects (from its
start), prints "ready" once it listens, and serves until killed: tests kill and restart it
to drop a stream.
"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = (
    '( filesrc location="{clip}" ! qtdemux ! h264parse '
    "! rtph264pay name=pay0 pt=96 config-interval=1 )"
)


def main() -> None:
    clip, port = sys.argv[1], sys.argv[2]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(PIPELINE.format(clip=clip.replace('"', "")))
    factory.set_shared(True)
    server.get_mount_points().add_factory("/live", factory)
    if server.attach(None) == 0:
        sys.exit(f"cannot listen on port {port}")
    print("ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
