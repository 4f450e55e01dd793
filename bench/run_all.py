"""`make bench`: every benchmark, one after the other, with its baseline from the same run."""

from __future__ import annotations

import importlib

BENCHMARKS = [
    "bench.import_time",
    "bench.policy_eval",
    "bench.gate_calls",
]


def main() -> None:
    for name in BENCHMARKS:
        print(f"\n== {name}")
        importlib.import_module(name).main()


if __name__ == "__main__":
    main()
