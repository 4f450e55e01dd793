"""Policy evaluations per second on one core, against validating the same thresholds with jsonschema.

    .venv/bin/python -m bench.policy_eval [N]

The issue's bar: >= 20,000 evaluations per second.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from jsonschema import Draft202012Validator

from chalicelib.gate.decision import Champion, evaluate
from tests.support.policies import example_document, example_policy

METRICS = {"auc": 0.95, "precision": 0.91, "recall": 0.84, "latency_p99_ms": 42.0}
CHAMPION = Champion("v3 (live)", {"auc": 0.94, "precision": 0.9, "recall": 0.8, "latency_p99_ms": 40.0})


def per_second(work: Callable[[], object], n: int) -> float:
    start = time.process_time()  # CPU time of this one process: one core
    for _ in range(n):
        work()
    return n / (time.process_time() - start)


def main(n: int = 50_000) -> dict[str, float]:
    policy = example_policy()
    document = example_document()
    floors, bar = Draft202012Validator(document["floors"]), Draft202012Validator(document["approval"])
    ours = per_second(lambda: evaluate(policy, METRICS, CHAMPION), n)
    baseline = per_second(lambda: (floors.is_valid(METRICS), bar.is_valid(METRICS)), n)
    print(f"gate evaluate (floors + bar + champion margins): {ours:,.0f}/s on one core (bar: >= 20,000/s)")
    print(f"baseline, jsonschema is_valid on floors + bar only: {baseline:,.0f}/s")
    return {"evaluations_per_second": ours, "jsonschema_per_second": baseline}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
