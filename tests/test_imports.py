"""No import cycles in wall/: modules import each other one way (issue 9).

Read with the standard library's ast, not by importing: every `import` and `from ...
import` of a wall module counts, at module level or inside a function, except those
under `if TYPE_CHECKING:` (never run). Removed last round: sources/x <-> x_client,
bluesky <-> bluesky_stream, mastodon <-> mastodon_stream, reload <-> runtime,
media.rules <-> moderation.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wall"


def module_name(path: Path) -> str:
    """Return the dotted name of a file under wall/."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Return every module of the package by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _absolute(name: str, path: Path, node: ast.ImportFrom) -> str:
    """Return the absolute module a `from` import names (relative ones resolved)."""
    if not node.level:
        return node.module or ""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Return the wall modules a module imports when it runs."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.update(_enclosing(alias.name, known))
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(name, path, node)
            for alias in node.names:
                child = f"{target}.{alias.name}"
                found.update(_enclosing(child if child in known else target, known))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(name)
    return found


def _enclosing(target: str, known: set[str]) -> set[str]:
    """Return the module itself and the packages an import of it runs first."""
    parts = target.split(".")
    return {".".join(parts[:n]) for n in range(1, len(parts) + 1)} & known


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_import_cycles_in_wall() -> None:
    found = modules()
    known = set(found)
    graph = {name: imports(name, path, known) for name, path in found.items()}
    # A package importing its own submodules (wall.store -> wall.store.core) is how a
    # package re-exports; a submodule importing its package back is the cycle to catch.
    for name in graph:
        graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    assert cycles(graph) == []


def test_the_checker_finds_a_cycle() -> None:
    """The detector itself: a two-module cycle and a three-module cycle are reported."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"a"}}
    assert cycles(graph) == [["a", "b"], ["c", "d", "e"]]
