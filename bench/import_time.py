"""Importing app.py against a bare `import boto3`, each in fresh interpreters, in the same run.

    .venv/bin/python -m bench.import_time [ROUNDS]

The issue's bar: app import <= 1.5x boto3 import. Rounds alternate so machine noise hits both alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def import_seconds(module: str) -> float:
    output = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return float(output.strip().splitlines()[-1])


def main(rounds: int = 15) -> dict[str, float]:
    samples: dict[str, list[float]] = {"boto3": [], "app": []}
    for _ in range(rounds):
        for module in samples:
            samples[module].append(import_seconds(module))
    medians = {module: statistics.median(values) for module, values in samples.items()}
    ratio = medians["app"] / medians["boto3"]
    print(f"import boto3: median {medians['boto3'] * 1000:.1f} ms over {rounds} fresh interpreters")
    print(f"import app:   median {medians['app'] * 1000:.1f} ms  ->  {ratio:.2f}x boto3 (bar: <= 1.5x)")
    return {**medians, "ratio": ratio}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
