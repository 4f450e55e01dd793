"""How long a release takes on the local stack, from registration to LIVE, against the time it must wait.

    .venv/bin/python -m bench.local_release [N]

The first version's release creates both endpoints; each later one updates them (production as a
canary that customer traffic serves). Baseline from the same run: the endpoint delays the stack was
configured with (what SageMaker itself would take, scaled down). The difference is what the machinery
adds: events through EventBridge and SQS, the handlers, smoke tests, CloudWatch reads, the gate.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from devstack import demo_setup, policy_alarms, seed
from devstack.environment import aws_client_factory
from devstack.moto_ext import endpoint_lifecycle
from devstack.servers import free_port
from devstack.stack import Stack, StackConfig
from devstack.traffic import Traffic

CREATING, UPDATING, BAKE = 0.3, 0.3, 0.6


def main(argv: list[str] | None = None) -> None:
    count = int((argv or sys.argv[1:] or ["4"])[0])
    with tempfile.TemporaryDirectory() as directory:
        policies = demo_setup.demo_policies(Path(directory), watch_seconds=0.0)  # LIVE at once: next may start
        section = demo_setup.release_section(seed.GROUP, policies)
        config = StackConfig(
            aws_port=free_port(),
            app_port=free_port(),
            creating_seconds=CREATING,
            updating_seconds=UPDATING,
            bake_seconds=BAKE,
            clock_speed=300.0,
            endpoint_responses=demo_setup.endpoint_answers(section),
            policy_dir=str(policies),
        )
        stack = Stack(config)
        ready = stack.start()
        # A bake of 0.6 s on a busy machine may see fewer customer calls than the policy counts: it waits for them.
        endpoint_lifecycle.configure(bake_invocations=int(section["deployment"].get("min_canary_invocations", 0)))
        client = aws_client_factory(ready.aws_url)
        traffic = Traffic(client("sagemaker-runtime"), section["production"]["endpoint_name"], interval=0.002).start()
        try:
            seed.create_group(client("sagemaker"))
            policy_alarms.create_alarms(client("cloudwatch"), section)
            timings = [_release(client, index) for index in range(count)]
        finally:
            traffic.stop()
            stack.stop()
    first, later = timings[0], timings[1:]
    print(
        f"first release (creates staging and production): {first:.2f}s; waits it must make: "
        f"{2 * CREATING:.2f}s; machinery adds {first - 2 * CREATING:.2f}s"
    )
    if later:
        wait = 2 * UPDATING + BAKE
        print(
            f"later releases (updates, canary with traffic), n={len(later)}: p50 {statistics.median(later):.2f}s, "
            f"max {max(later):.2f}s; waits they must make: {wait:.2f}s; "
            f"machinery adds (p50) {statistics.median(later) - wait:.2f}s"
        )


def _release(client: Any, index: int) -> float:
    """Registration of a version better than the last (auto-approved) until the release engine says LIVE."""
    from chalicelib.bootstrap import Container

    s3, sagemaker = client("s3"), client("sagemaker")
    metrics = {**seed.GOOD, "auc": round(0.93 + 0.01 * index, 3)}
    started = time.perf_counter()
    arn = seed.register_version(sagemaker, seed.upload_metrics(s3, "my-bucket", f"b{index}", metrics), f"b{index}")
    store = Container().release_store
    deadline = started + 60
    while time.perf_counter() < deadline:
        state = store.load(seed.GROUP)
        if state.live is not None and state.live.arn == arn:
            return time.perf_counter() - started
        if (
            state.release is not None
            and state.release.arn == arn
            and state.release.stage.value in ("FAILED", "ROLLED_BACK")
        ):
            raise RuntimeError(f"release of {arn} ended {state.release.stage.value}: {state.release.reason}")
        time.sleep(0.02)
    raise RuntimeError(f"{arn} was not LIVE within 60 s")


if __name__ == "__main__":
    main()
