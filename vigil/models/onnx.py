"""onnxruntime sessions for the CPU, set up one way for every ONNX model."""

from __future__ import annotations

from pathlib import Path


def cpu_session(path: Path, threads: int):
    """An inference session on ``threads`` CPU threads whose idle threads sleep.

    Spinning idle threads after one model ran halved the speed of the next model's work on
    2 cores (measured with the reranker before query encoding, bench/search.py).
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
