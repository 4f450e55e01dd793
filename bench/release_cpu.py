"""CPU time to handle one endpoint event (no AWS latency: in-memory fakes), after warm-up.

Run: .venv/bin/python -m bench.release_cpu
The budget is 20 ms per event. The baseline, from the same run, is the pure state machine alone.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from chalicelib.bootstrap import Container, use_container
from chalicelib.handlers import on_endpoint_state_change
from chalicelib.release.machine import EndpointSeen, next_state
from chalicelib.release.service import on_approved
from chalicelib.release.state import Stage
from chalicelib.shared.observability import logger
from chalicelib.shared.settings import SOURCE_POLICIES, Settings
from tests.fakes.release import MemoryStore, fixed_clock, memory_deps

GROUP = "fraud-detection-models"
STAGING = "fraud-detection-staging"
ROUNDS = 300
BUDGET_MS = 20.0


def staging_event() -> dict[str, Any]:
    return {
        "id": "e",
        "detail-type": "SageMaker Endpoint State Change",
        "source": "aws.sagemaker",
        "detail": {"EndpointName": STAGING, "EndpointStatus": "IN_SERVICE"},
    }


def cpu_ms(work: Callable[[], object], prepare: Callable[[], object], rounds: int = ROUNDS) -> float:
    """Median CPU milliseconds of `work`, each round after an untimed `prepare`."""
    samples = []
    for _ in range(rounds):
        prepare()
        started = time.process_time()
        work()
        samples.append((time.process_time() - started) * 1000)
    return sorted(samples)[len(samples) // 2]


def main() -> dict[str, float]:
    # Logs stay on (their formatting is real CPU in Lambda) but go nowhere, to keep the output readable.
    handler: Any = logger.registered_handler
    handler.stream = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    release_deps = memory_deps(GROUP)
    settings = Settings(None, "bench", None, SOURCE_POLICIES, None, None, None)
    use_container(Container(settings=settings, release_deps=release_deps))
    store = release_deps.store
    assert isinstance(store, MemoryStore)
    arn = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/1"
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        on_approved(arn, release_deps)  # a release in STAGING; staging InService on its config
    staged = store.load(GROUP)

    def rewind() -> None:  # every round handles the same real step: smoke tests, then production deploy
        store.states[GROUP] = replace(staged, revision=store.load(GROUP).revision)

    event = staging_event()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):  # metrics print their EMF lines
        step = cpu_ms(lambda: on_endpoint_state_change(event, None), rewind)
        moved = store.load(GROUP).release
        assert moved is not None
        assert moved.stage is Stage.PRODUCTION, "the timed step must be a real one"
        on_endpoint_state_change(event, None)  # production is InService: the release goes live
        duplicate = cpu_ms(lambda: on_endpoint_state_change(event, None), lambda: None)  # nothing left to do
    release = staged.release
    assert release is not None
    assert release.stage is Stage.STAGING
    seen = EndpointSeen(fixed_clock(), "staging", "InService", release.staging_config)
    baseline = cpu_ms(lambda: next_state(release, seen), lambda: None)
    use_container(None)
    print(f"endpoint event, real step (smoke tests + production deploy): {step:.3f} ms CPU (median of {ROUNDS})")
    print(f"endpoint event, duplicate (nothing to do):                  {duplicate:.3f} ms CPU")
    print(f"baseline, next_state alone:                                 {baseline:.3f} ms CPU")
    print(f"budget {BUDGET_MS:.0f} ms: {'ok' if max(step, duplicate) < BUDGET_MS else 'OVER'}")
    return {"step_ms": step, "duplicate_ms": duplicate, "baseline_ms": baseline}


if __name__ == "__main__":
    main()
