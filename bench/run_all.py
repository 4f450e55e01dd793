"""Every benchmark in bench/, one after another: `python -m bench.run_all` (or `make bench`)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
        if module in ("run_all", "__init__"):
            continue
        print(f"== bench.{module}")
        importlib.import_module(f"bench.{module}").main()


if __name__ == "__main__":
    main()
