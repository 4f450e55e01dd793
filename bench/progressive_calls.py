"""AWS calls of a PROGRESSIVE release per step and per tick, counted per operation with a botocore hook, on moto.

Run: .venv/bin/python -m bench.progressive_calls
v1 goes live (no champion: all at once), then v2 is released over it with the real adapters and the CloudWatch
judge, the engine ticked every minute of a controllable clock while both variants put their ModelLatency each
minute. Only v2's calls are counted. Baseline in the same run: v2 released blue/green (ALL_AT_ONCE) instead.
The bar: at most one GetMetricData per tick, all checks in one request (exit 1 otherwise).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from bench.release_calls import counting_factory

STEPS = [5, 25, 50, 100]
PROGRESSIVE = {"type": "PROGRESSIVE", "steps": STEPS, "step_minutes": 10}
BLUE_GREEN = {"type": "ALL_AT_ONCE"}
MAX_TICKS = 240  # minutes: far beyond a release's steps and watch; a release still going then is a failure
ENDED = ("LIVE", "ROLLED_BACK", "FAILED", "REJECTED")


def phase(release: Any) -> str:
    """Where a tick left the release: its stage, and the challenger's share while a step holds traffic."""
    steps = release.rules.progressive_steps
    if release.stage.value == "PRODUCTION" and release.rollout.step_since and release.rollout.step < len(steps):
        return f"PRODUCTION {steps[release.rollout.step]}%"
    return str(release.stage.value)


def tick(container: Any, clock: Any, counter: Counter[str]) -> tuple[str, Counter[str]]:
    """A minute: both variants serve it (uncounted setup), then the engine looks; what it called, and where."""
    from chalicelib.release.service import advance
    from tests.support import release as r
    from tests.support.judged_metrics import serve

    serve("AllTraffic", 100000, clock.now, 1)
    serve("Challenger", 101000, clock.now, 1)
    r.canary_invocations(150, clock.now)
    clock.advance(minutes=1)
    counter.clear()
    advance(r.GROUP, container.release_deps)
    calls = counter.copy()
    return phase(container.release_store.load(r.GROUP).release), calls


def release(container: Any, clock: Any, counter: Counter[str], name: str) -> list[tuple[str, Counter[str]]]:
    """`name` approved, then ticked every minute until it ended: each tick's phase and calls."""
    from chalicelib.release.service import on_approved
    from tests.support import release as r

    arn = r.register_approved(name)
    r.answers(*r.GOOD_ANSWERS)
    counter.clear()
    on_approved(arn, container.release_deps)
    ticks = [("APPROVED", counter.copy())]
    while ticks[-1][0] not in ENDED and len(ticks) <= MAX_TICKS:
        ticks.append(tick(container, clock, counter))
    return ticks


def run(deployment: dict[str, Any]) -> list[tuple[str, Counter[str]]]:
    """v1 live, then v2 under `deployment`: v2's ticks, in a moto of their own."""
    import boto3
    from moto import mock_aws

    from chalicelib.bootstrap import Container, use_container
    from chalicelib.shared.settings import load_settings
    from devstack.resources import create_resources
    from tests.support import release as r
    from tests.support.judged_metrics import ANALYSIS
    from tests.support.policies import policies_with_release

    counter: Counter[str] = Counter()
    with mock_aws(), tempfile.TemporaryDirectory() as folder:
        for key, value in create_resources(lambda service: boto3.client(service)).environment().items():
            os.environ[key] = value
        policies = policies_with_release(Path(folder) / "policies", deployment=deployment, analysis=ANALYSIS)
        os.environ["SHEPHERD_POLICY_DIR"] = str(policies)
        container = Container(settings=load_settings(), client_factory=counting_factory(counter))
        use_container(container)
        clock = r.release_world(container)
        first = release(container, clock, counter, "v1")
        assert first[-1][0] == "LIVE", first[-1]
        second = release(container, clock, counter, "v2")
        use_container(None)
    return second


def report(title: str, ticks: list[tuple[str, Counter[str]]]) -> int:
    """Calls per phase and the busiest ticks printed; the ticks over one GetMetricData counted."""
    per_phase: dict[str, Counter[str]] = {}
    for where, calls in ticks:
        per_phase.setdefault(where, Counter()).update(calls)
    total = sum((calls for _, calls in ticks), Counter())
    print(f"{title}: {len(ticks) - 1} ticks, {sum(total.values())} calls, ended {ticks[-1][0]}")
    for where, calls in per_phase.items():
        ops = ", ".join(f"{op} {n}" for op, n in sorted(calls.items()))
        print(f"  {where:<16} ({sum(1 for w, _ in ticks if w == where)} ticks) {ops}")
    busiest = max(sum(calls.values()) for _, calls in ticks)
    print(f"  per tick: at most {busiest} calls, at most {max(c['GetMetricData'] for _, c in ticks)} GetMetricData")
    return sum(1 for _, calls in ticks if calls["GetMetricData"] > 1)


def main() -> int:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    from devstack import moto_ext

    moto_ext.install()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        progressive, blue_green = run(PROGRESSIVE), run(BLUE_GREEN)
    over = report(f"PROGRESSIVE {STEPS} (step_minutes 10)", progressive)
    over += report("baseline: ALL_AT_ONCE (blue/green)", blue_green)
    print(f"ticks with more than one GetMetricData: {over}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
