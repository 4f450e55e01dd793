"""The release engine's import structure: no module imports one that imports it back (lazily or not), and
adapters reach only its values and ports, never its use cases."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
USE_CASES = {"service", "reactions", "reconcile", "rollback", "history"}


def imports() -> dict[str, set[str]]:
    """Every chalicelib module and the chalicelib modules it imports, function-level imports included."""
    found = {}
    for path in (ROOT / "chalicelib").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[module] = {name for name in names if name.startswith("chalicelib.")}
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        for imported in sorted(graph.get(module, set())):
            if imported in path:
                found.append([*path[path.index(imported) :], imported])
            elif imported not in done:
                visit(imported, [*path, imported])
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    return found


def test_no_release_module_is_part_of_an_import_cycle() -> None:
    assert [cycle for cycle in cycles(imports()) if any(".release." in module for module in cycle)] == []


def test_the_cycle_finder_finds_a_lazy_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]


def test_no_adapter_imports_a_release_use_case() -> None:
    use_cases = {f"chalicelib.release.{name}" for name in USE_CASES}
    reached = {module: sorted(names & use_cases) for module, names in imports().items()}
    assert {
        module: names for module, names in reached.items() if module.startswith("chalicelib.adapters.") and names
    } == {}
