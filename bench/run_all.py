"""`make bench`: every benchmark module's main(), one after the other."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    for module in sorted(info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)])):
        if module != "run_all":
            print(f"== bench.{module}")
            importlib.import_module(f"bench.{module}").main()


if __name__ == "__main__":
    main()
