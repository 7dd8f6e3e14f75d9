"""Reading a policy file: YAML in, a validated SitePolicy out, or every problem with the
line it is on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from vigil.errors import InvalidInputError
from vigil.policies.model import SitePolicy


class _PolicyLoader(yaml.SafeLoader):
    """YAML 1.1 without base-60 numbers (an unquoted 07:30 stays the text "07:30" instead
    of becoming the integer 450), and without anchors and aliases: a policy is written out
    in full, and a few lines of aliases cannot grow into millions of rules."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not allowed in a policy",
                event.start_mark,
            )  # fmt: skip
        return super().compose_node(parent, index)


_PolicyLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:int",)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PolicyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
for _tag in ("tag:yaml.org,2002:float",):  # base-60 floats (1:30.5) go the same way
    for _first, _resolvers in _PolicyLoader.yaml_implicit_resolvers.items():
        _PolicyLoader.yaml_implicit_resolvers[_first] = [
            (t, rx) for t, rx in _resolvers if not (t == _tag and ":" in rx.pattern)
        ]


@dataclass(frozen=True)
class PolicyProblem:
    line: int | None  # 1-based, where known
    where: str  # e.g. rules[2].zone
    message: str

    def show(self, source: str) -> str:
        at = f"{source}:{self.line}" if self.line else source
        return f"{at}: {self.where}: {self.message}" if self.where else f"{at}: {self.message}"


class PolicyError(InvalidInputError):
    """A policy file that cannot be armed; ``problems`` says every reason."""

    def __init__(self, source: str, problems: list[PolicyProblem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(p.show(source) for p in problems))


def load_policy(path: Path) -> SitePolicy:
    """The validated policy in a YAML file."""
    if not path.is_file():
        raise InvalidInputError(f"{path}: no such policy file")
    return parse_policy(path.read_text(encoding="utf-8"), str(path))


def parse_policy(text: str, source: str = "<policy>") -> SitePolicy:
    """The validated policy in YAML text; PolicyError lists every problem with its line."""
    try:
        data = yaml.load(text, Loader=_PolicyLoader)  # noqa: S506 - a SafeLoader subclass
        root = yaml.compose(text, Loader=_PolicyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise PolicyError(source, [PolicyProblem(line, "", f"not valid YAML: {exc}")]) from exc
    if not isinstance(data, dict):
        raise PolicyError(source, [PolicyProblem(1, "", "a policy is a YAML mapping")])
    try:
        policy = SitePolicy.model_validate(data, context={"defer_references": True})
    except ValidationError as exc:
        problems = [
            PolicyProblem(_line_of(root, e["loc"]), _where(e["loc"]), e["msg"])
            for e in exc.errors()
        ]
        raise PolicyError(source, problems) from exc
    problems = [
        PolicyProblem(_line_of(root, loc), _where(loc), message)
        for loc, message in policy.reference_problems()
    ]
    if problems:
        raise PolicyError(source, problems)
    return policy


def _where(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """The 1-based line of the YAML node at ``loc``, or of the deepest one that exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(part)), None)
            if match is None:  # a missing key: the line of the mapping that lacks it
                return line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line
