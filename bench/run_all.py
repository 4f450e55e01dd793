"""Every benchmark, one after another: `make bench` or `.venv/bin/python -m bench.run_all`."""

from __future__ import annotations

import importlib

BENCHMARKS = [
    "bench.cleanup_scale",
]


def main() -> None:
    for name in BENCHMARKS:
        print(f"== {name}")
        importlib.import_module(name).main()


if __name__ == "__main__":
    main()
