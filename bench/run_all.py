"""Every benchmark in bench/, one after another: `python -m bench.run_all` (or `make bench`).

A benchmark is a module with a ``main()``; helper modules (e.g. bench.aws_calls) have none.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    for name in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
        if name == "run_all":
            continue
        module = importlib.import_module(f"bench.{name}")
        if hasattr(module, "main"):
            print(f"\n== bench.{name}")
            module.main()


if __name__ == "__main__":
    main()
