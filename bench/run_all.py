"""Run every benchmark: each module in bench/ that has a main(). `make bench` calls this."""

from __future__ import annotations

import importlib
import pkgutil

import bench


def main() -> None:
    for module in sorted(info.name for info in pkgutil.iter_modules(bench.__path__)):
        if module == "run_all":
            continue
        loaded = importlib.import_module(f"bench.{module}")
        if callable(getattr(loaded, "main", None)):
            print(f"== bench.{module}")
            loaded.main()


if __name__ == "__main__":
    main()
