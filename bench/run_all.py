"""Every benchmark in bench/, one after another: `python -m bench.run_all` (or `make bench`).

A benchmark is a module with a ``main()``; helper modules (e.g. bench.aws_calls) have none. Each runs
in its own process: one that starts a local stack, patches moto or crashes leaves nothing to the next.
The summary names every benchmark that did not complete; the exit status is 1 if any did not.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).parent
Run = Callable[[Sequence[str]], int]


def benchmarks(directory: Path = HERE) -> list[str]:
    """The modules with a top-level main(), found without importing them."""
    return [
        f"bench.{path.stem}" for path in sorted(directory.glob("*.py")) if path.stem != "run_all" and _has_main(path)
    ]


def run_each(names: Sequence[str], run: Run) -> dict[str, tuple[int, float]]:
    results: dict[str, tuple[int, float]] = {}
    for name in names:
        print(f"\n== {name}", flush=True)
        started = time.perf_counter()
        results[name] = (run([sys.executable, "-m", name]), time.perf_counter() - started)
    return results


def summary(results: dict[str, tuple[int, float]]) -> list[str]:
    lines = [
        f"{name}: {'completed' if code == 0 else f'FAILED (exit {code})'} in {seconds:.0f} s"
        for name, (code, seconds) in results.items()
    ]
    failed = [name for name, (code, _) in results.items() if code != 0]
    lines.append(f"{len(results) - len(failed)} of {len(results)} benchmarks completed")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or benchmarks()
    results = run_each(names, lambda command: subprocess.run(command, cwd=HERE.parent, check=False).returncode)
    print("\n== summary")
    for line in summary(results):
        print(line)
    return 0 if all(code == 0 for code, _ in results.values()) else 1


def _has_main(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in tree.body)


if __name__ == "__main__":
    sys.exit(main())
