"""The layout's rules, read from the source: no import cycle in chalicelib, no boto3 in app.py,
no adapter that reaches into a use case, no module past 300 lines."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "chalicelib"
Edge = tuple[str, str]

# Modules holding use cases: adapters implement ports for them and never call them.
USE_CASES = {
    "chalicelib.gate.service",
    "chalicelib.gate.once",
    "chalicelib.release.service",
    "chalicelib.release.rejection",
    "chalicelib.release.reactions",
    "chalicelib.release.reconcile",
    "chalicelib.release.rollback",
    "chalicelib.release.history",
    "chalicelib.slack.service",
    "chalicelib.slack.decisions",
    "chalicelib.cleanup.service",
    "chalicelib.cleanup.sweep",
    "chalicelib.cleanup.scheduled",
    "chalicelib.review.service",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / PACKAGE).rglob("*.py"))}


def imported_names(source: str, module: str, is_package: bool = False) -> Iterator[str]:
    """Every module an import statement names, anywhere in the source (functions included), made absolute."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(package, node.level, node.module)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`


def _absolute(package: str, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    parts = package.split(".")
    anchor = ".".join(parts[: len(parts) - (level - 1)])
    return f"{anchor}.{name}" if name else anchor


def import_graph() -> dict[str, set[str]]:
    modules = source_modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        names = imported_names(path.read_text(), module, is_package=path.name == "__init__.py")
        targets = {_existing(name, modules) for name in names}
        graph[module] = {target for target in targets if target and target != module}
    return graph


def _existing(name: str, modules: dict[str, Path]) -> str | None:
    """The module an imported name lands in: itself, or for `from module import name` the module."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def cycles(graph: dict[str, set[str]], allowed: frozenset[Edge]) -> list[list[str]]:
    """Each strongly connected group of modules (more than one) once the allowed edges are left out."""
    kept = {module: {t for t in targets if (module, t) not in allowed} for module, targets in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(kept.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group: list[str] = []
            while (member := stack.pop()) != module:
                group.append(member)
            group.append(module)
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(kept):
        if module not in index:
            visit(module)
    return found


def test_chalicelib_has_no_import_cycle() -> None:
    assert cycles(import_graph(), frozenset()) == []


def test_the_graph_sees_relative_and_function_level_imports() -> None:
    source = "from . import sibling\nfrom ..shared import errors\n\ndef f():\n    from .deep import name\n"
    names = set(imported_names(source, "chalicelib.gate.probe"))
    assert {"chalicelib.gate.sibling", "chalicelib.shared.errors", "chalicelib.gate.deep.name"} <= names
    assert "chalicelib.gate.inner" in set(imported_names("from . import inner", "chalicelib.gate", is_package=True))


def test_cycles_names_every_module_of_a_cycle_unless_an_allowed_edge_breaks_it() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph, frozenset()) == [["a", "b", "c"]]
    assert cycles(graph, frozenset({("c", "a")})) == []


def test_app_py_imports_no_boto3() -> None:
    names = set(imported_names((ROOT / "app.py").read_text(), "app"))
    assert not {name for name in names if name.split(".")[0] in ("boto3", "botocore")}


def test_importing_the_app_loads_no_boto3() -> None:
    probe = "import sys, app; print('boto3' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "False"


def test_no_adapter_imports_a_use_case() -> None:
    graph = import_graph()
    assert set(graph) >= USE_CASES  # a renamed use-case module must be renamed here too
    adapters = {module for module in graph if module.startswith(f"{PACKAGE}.adapters.")}
    reaching = {(adapter, target) for adapter in adapters for target in graph[adapter] if target in USE_CASES}
    assert reaching == set()


MAX_MODULE_LINES = 300  # the house's guideline is ~150: past this a module holds more than one concern


def test_no_chalicelib_module_grows_past_the_limit() -> None:
    sizes = {module: len(path.read_text().splitlines()) for module, path in source_modules().items()}
    assert {module: lines for module, lines in sizes.items() if lines > MAX_MODULE_LINES} == {}
