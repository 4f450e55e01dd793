"""How long from CreateModelPackage to the gate's decision on the local stack, and what the relay adds.

    .venv/bin/python -m bench.local_relay [N]

Baseline from the same run: the gate handler's own time per invocation. The difference is what
the local stack adds (SageMaker event -> EventBridge rule -> SQS -> dispatcher -> handler).
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

from devstack import seed
from devstack.environment import aws_client_factory
from devstack.relay.invoker import Invocation
from devstack.servers import free_port
from devstack.stack import Stack, StackConfig


def main(argv: list[str] | None = None) -> None:
    count = int((argv or sys.argv[1:] or ["10"])[0])
    handler_seconds: list[float] = []

    def observe(invocation: Invocation) -> None:
        handler_seconds.append(invocation.seconds)

    stack = Stack(StackConfig(aws_port=free_port(), app_port=free_port()), observers=[observe])
    started = time.perf_counter()
    ready = stack.start()
    startup = time.perf_counter() - started
    try:
        client = aws_client_factory(ready.aws_url)
        sagemaker, s3 = client("sagemaker"), client("s3")
        seed.create_group(sagemaker)
        uri = seed.upload_metrics(s3, "my-bucket", "bench", seed.BAD)  # rejected: no champion lookups
        latencies = [_decision_latency(sagemaker, uri, index) for index in range(count)]
    finally:
        stack.stop()
    first = sorted(handler_seconds)[: len(latencies)]
    print(f"local stack startup: {startup:.2f}s")
    print(
        f"registration -> decision recorded, n={count}: p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    print(f"baseline, the gate handler alone: p50 {statistics.median(first) * 1000:.0f} ms")
    print(f"what the relay adds (p50): {(statistics.median(latencies) - statistics.median(first)) * 1000:.0f} ms")


def _decision_latency(sagemaker: Any, uri: str, index: int) -> float:
    started = time.perf_counter()
    arn = seed.register_version(sagemaker, uri, f"bench-{index}")
    while (
        not sagemaker.describe_model_package(ModelPackageName=arn)
        .get("CustomerMetadataProperties", {})
        .get("shepherd:outcome")
    ):
        time.sleep(0.01)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
