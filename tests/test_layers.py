"""The import graph stays layered: `cli` -> `web` -> `agent` -> `tools` -> `vigil`, no
import goes up, no two parts import each other (directly or round a circle, type-only
imports included), and only `vigil/store` speaks SQL."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAYERS = ["vigil", "tools", "agent", "web", "cli"]  # each imports only those before it


def modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        for path in (REPO / layer).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(REPO).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The project's modules ``path`` imports, anywhere in it (functions included)."""

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {resolve(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {
                resolve(f"{node.module}.{alias.name}") or resolve(node.module)
                for alias in node.names
            }
    return found - {None}


def part(module: str) -> str:
    """What must not be in a circle: a sub-package of vigil, or a module elsewhere."""
    pieces = module.split(".")
    return ".".join(pieces[:2]) if pieces[0] == "vigil" else module


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        for target in imports(path, known):
            if part(target) != part(name):
                edges.setdefault(part(name), set()).add(part(target))
    return edges


def test_no_import_goes_up_a_layer():
    upward = [
        f"{a} -> {b}"
        for a, targets in graph().items()
        for b in targets
        if LAYERS.index(b.split(".")[0]) > LAYERS.index(a.split(".")[0])
    ]
    assert not upward, upward


def test_no_two_parts_import_each_other_even_round_a_circle():
    edges = graph()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(edges.get(node, ()))
        return False

    circles = sorted(f"{a} -> {b} -> ... -> {a}" for a in edges for b in edges[a] if reaches(b, a))
    assert not circles, circles


def test_only_the_store_speaks_sql():
    speaking = [
        name
        for name, path in modules().items()
        if not name.startswith("vigil.store")
        and ("import sqlalchemy" in path.read_text() or "from sqlalchemy" in path.read_text())
    ]
    assert speaking == [], speaking
