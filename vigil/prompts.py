"""Prompt and report templates: Jinja2 files of the top-level `prompts` package.

Each template's first line is ``{# version: N #}``; the version travels with every rendered
prompt so a stored answer records which prompt produced it. Outside text (captions, alarm
payloads, on-screen text) goes in through the ``fence`` filter, which strips anything that
could close the fence, so it reaches the model as data, never as instructions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, UndefinedError

from vigil.errors import InvalidInputError

PROMPTS_DIR = Path(str(files("prompts")))  # package data: an installed wheel has them too
_VERSION = re.compile(r"^\{#\s*version:\s*(\S+)\s*#\}")
_FENCE_BREAKERS = re.compile(r"<\s*/?\s*(?:data|evidence|untrusted)[^>]*>|```", re.IGNORECASE)
# instruction-like spans inside outside text: removed and marked before the model sees them,
# a second defence behind the fence for models too small to always honour it
_INSTRUCTION_LIKE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,60}"
    r"\b(?:instructions?|rules?|prompts?|above|previous|everything)\b[^.!?\n]*"
    r"|\b(?:system prompt|you are now|new instructions?|act as)\b[^.!?\n]*"
    r"|\b(?:say|answer|reply|respond|report)\s+(?:that\s+|with\s+)?(?:the|there|it|only|nothing)\b[^.!?\n]*",
    re.IGNORECASE,
)
INSTRUCTION_REMOVED = "[instruction-like text removed]"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e]")


@dataclass(frozen=True)
class RenderedPrompt:
    name: str
    version: str
    text: str


def one_line(text: object, limit: int = 600) -> str:
    """Text on one line, without control characters or fence markers, length-capped."""
    cleaned = _FENCE_BREAKERS.sub(" ", _CONTROL.sub(" ", str(text)))
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[:limit] + " [...]"


_FRAME_POSITION = re.compile(r" at the ((?:top |bottom |centre |left |right )*\w+) of the frame")


def compact(caption: object) -> str:
    """A caption in fewer tokens: "a red car at the bottom left of the frame" becomes
    "a red car (bottom left)". Prompt tokens cost ~30 ms each on 2 cores."""
    return _FRAME_POSITION.sub(r" (\1)", str(caption))


def without_instructions(text: str) -> str:
    """``text`` with its instruction-like spans ("ignore your instructions and ...") left
    out."""
    return _INSTRUCTION_LIKE.sub(" ", text)


def fence(text: object, limit: int = 600) -> str:
    """Outside text (captions, payloads, on-screen text) made safe to place inside a data
    fence: ``one_line``, with instruction-like spans replaced by a marker."""
    return one_line(_INSTRUCTION_LIKE.sub(INSTRUCTION_REMOVED, str(text)), limit)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(PROMPTS_DIR),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,  # prompts are plain text for a model, not HTML
    )
    env.filters["fence"] = fence
    env.filters["one_line"] = one_line
    env.filters["compact"] = compact
    return env


@lru_cache(maxsize=64)
def prompt_version(name: str) -> str:
    """The version in a template's first line ("0" if it has none); read once per process,
    as the templates themselves are."""
    first = (PROMPTS_DIR / name).read_text().splitlines()[0]
    match = _VERSION.match(first)
    return match.group(1) if match else "0"


def render_prompt(name: str, **values: object) -> RenderedPrompt:
    """Render one template with ``values``; missing values are an error, not blanks."""
    text = _environment().get_template(name).render(**values).strip()
    return RenderedPrompt(name, prompt_version(name), text)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
# what opens a list item, a fence or a heading underline where a value starts a line
_MARKDOWN_LEADING = re.compile(r"^([-+=]|\d+(?=[.)]))")


def markdown_text(value: object) -> str:
    """A value as literal text inside Markdown: one line (a newline cannot start a heading
    or a list item of its own), Markdown's and HTML's characters escaped (no links,
    images, tags, fences or table cells of its own), and a leading list or heading marker
    escaped (a value may start a line)."""
    if value is None:
        return ""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
    return _MARKDOWN_LEADING.sub(
        lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), text
    )


def render_document(name: str, site_templates: Path | None = None, **values: object) -> str:
    """Render a report template: HTML escaped, Markdown escaped as literal text (every
    value printed on one line, its special characters backslashed); a site's own template
    of the same name in ``site_templates`` wins. A template naming a value that reports do
    not have is a clear error, never a blank."""
    loaders = [str(site_templates)] if site_templates else []
    env = Environment(
        loader=FileSystemLoader([*loaders, str(PROMPTS_DIR)]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=name.endswith(".html.j2"),
        finalize=markdown_text if name.endswith(".md.j2") else None,
    )
    env.filters["compact"] = compact
    try:
        return env.get_template(name).render(**values)
    except UndefinedError as exc:
        raise InvalidInputError(f"the report template {name} uses a missing field: {exc}") from None
    except TemplateError as exc:
        raise InvalidInputError(f"the report template {name} is broken: {exc}") from None
