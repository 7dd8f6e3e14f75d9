"""Decoding video files and choosing keyframes."""

from vigil.media.decode import VideoInfo, decode_frames, probe_video, sha256_file
from vigil.media.sample import KeyframeSampler, frame_signature

__all__ = [
    "KeyframeSampler",
    "VideoInfo",
    "decode_frames",
    "frame_signature",
    "probe_video",
    "sha256_file",
]
