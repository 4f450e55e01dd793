"""A burst on the local stack: N versions across G groups within a minute, every event delivered twice.

    .venv/bin/python -m bench.local_burst [--groups 50] [--versions 10]

Checks: each version decided exactly once (the gate's real decisions, counted beneath its idempotency),
each group's releases started in version order, nothing in a dead-letter queue. Prints decisions per
second and p50/p99 registration -> decision. Baseline from the same run: the gate's own time per decision.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from devstack import demo_setup, seed
from devstack.environment import aws_client_factory
from devstack.servers import free_port
from devstack.stack import Stack, StackConfig

PREFIX = "model-shepherd-local"


class Decisions:
    """The gate's real decisions (idempotent replays never reach decide_pending), with when they ended."""

    def __init__(self) -> None:
        # Imported once the stack has started: the app's logger reads its level (quiet) when first imported.
        import chalicelib.gate.once as once

        self.ended: dict[str, list[float]] = {}
        self.seconds: list[float] = []
        self._lock = threading.Lock()
        real = getattr(once, "decide_pending")  # noqa: B009 - the gate's module, patched beneath its idempotency

        def counted(arn: str, deps: Any) -> Any:
            started = time.perf_counter()
            result = real(arn, deps)
            with self._lock:
                self.seconds.append(time.perf_counter() - started)
                if result.outcome is not None:
                    self.ended.setdefault(arn, []).append(time.perf_counter())
            return result

        setattr(once, "decide_pending", counted)  # noqa: B010


def policies(directory: Path, groups: list[str]) -> dict[str, str]:
    """One policy per group from the example (own endpoints and alarms, all-at-once, no watch window)."""
    demo_setup.demo_policies(directory, watch_seconds=0.0)
    example = json.loads((directory / f"{seed.GROUP}.json").read_text(encoding="utf-8"))
    answers: dict[str, str] = {}
    for group in groups:
        document = json.loads(json.dumps(example).replace("fraud-detection-models", group))
        release = document["release"]
        release["staging"]["endpoint_name"] = f"{group}-stg"
        release["production"]["endpoint_name"] = f"{group}-prd"
        release["alarms"] = [f"{group}-prd-5xx"]
        release["deployment"] = {"type": "ALL_AT_ONCE"}
        (directory / f"{group}.json").write_text(json.dumps(document), encoding="utf-8")
        answers.update(demo_setup.endpoint_answers(release))
    return answers


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--versions", type=int, default=10)
    args = parser.parse_args(argv)
    groups = [f"burst-{number:02d}-models" for number in range(args.groups)]
    started_load = _load()
    with tempfile.TemporaryDirectory() as directory:
        answers = policies(Path(directory), groups)
        config = StackConfig(
            aws_port=free_port(),
            app_port=free_port(),
            creating_seconds=0.05,
            updating_seconds=0.05,
            bake_seconds=0.0,
            clock_speed=60.0,
            endpoint_responses=answers,
            policy_dir=directory,
            duplicate_events=True,
        )
        stack = Stack(config)
        ready = stack.start()
        decisions = Decisions()
        try:
            registered, window = register(aws_client_factory(ready.aws_url), groups, args.versions)
            wait_for(decisions, registered, timeout=420)
            order, behind = releases_in_order(groups, args.versions, timeout=240)
            settled = time.perf_counter() - min(registered.values())
            dead = dead_letters(aws_client_factory(ready.aws_url))
        finally:
            stack.stop()
    print(f"load average (1, 5, 15 min) at the start: {started_load}, at the end: {_load()}")
    print(f"registration of the first version -> newest version live in every group: {settled:.0f} s")
    if not report(decisions, registered, window, order, dead) or behind:
        print(f"groups whose newest version was not live: {len(behind)} {behind[:5]}")
        raise SystemExit(1)


def register(client: Any, groups: list[str], versions: int) -> tuple[dict[str, float], float]:
    sagemaker, s3 = client("sagemaker"), client("s3")
    for group in groups:
        seed.create_group(sagemaker, group)
    uris = [
        seed.upload_metrics(s3, "my-bucket", f"burst-{index}", {**seed.GOOD, "auc": round(0.90 + 0.006 * index, 3)})
        for index in range(versions)
    ]
    registered: dict[str, float] = {}
    started = time.perf_counter()
    for index in range(versions):  # version by version across the groups: the burst interleaves them
        for group in groups:
            arn = seed.register_version(sagemaker, uris[index], f"{group}-{index}", group=group)
            registered[arn] = time.perf_counter()
    return registered, time.perf_counter() - started


def wait_for(decisions: Decisions, registered: dict[str, float], timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and not set(registered) <= set(decisions.ended):
        time.sleep(0.2)


def releases_in_order(groups: list[str], versions: int, timeout: float) -> tuple[dict[str, list[int]], list[str]]:
    """Each group's started releases, by start; waits until the newest version is live everywhere.
    Also the groups whose newest version was not live when the wait ended."""
    from chalicelib.bootstrap import Container

    store = Container().release_store
    deadline = time.perf_counter() + timeout
    behind = list(groups)
    while behind and time.perf_counter() < deadline:
        live = {group: store.load(group).live for group in behind}
        behind = [group for group, deployed in live.items() if deployed is None or deployed.version != versions]
        time.sleep(0.5 if behind else 0)
    started: dict[str, list[int]] = {}
    for group in groups:
        rows = sorted(store.history(group), key=lambda row: row.key)
        started[group] = [row.version for row in rows if row.outcome in ("LIVE", "FAILED", "ROLLED_BACK")]
    return started, behind


def dead_letters(client: Any) -> int:
    """What the handlers left in the stack's one dead-letter queue."""
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=f"{PREFIX}-dlq")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def report(
    decisions: Decisions, registered: dict[str, float], window: float, order: dict[str, list[int]], dead: int
) -> bool:
    """Prints the figures; True when every check held."""
    latencies = sorted(decisions.ended[arn][0] - at for arn, at in registered.items() if arn in decisions.ended)
    twice = sum(1 for arn in registered if len(decisions.ended.get(arn, [])) > 1)
    undecided = sum(1 for arn in registered if arn not in decisions.ended)
    span = max(ends[0] for ends in decisions.ended.values()) - min(registered.values())
    unordered = [group for group, versions in order.items() if versions != sorted(versions)]
    not_live = [group for group, versions in order.items() if not versions]
    print(f"registered {len(registered)} versions across {len(order)} groups in {window:.1f} s, every event twice")
    print(f"decided: {len(latencies)}; twice: {twice}; undecided: {undecided}; dead letters: {dead}")
    print(f"groups whose releases started out of order: {len(unordered)}; with no release: {len(not_live)}")
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"decisions per second: {len(latencies) / span:.1f}")
    print(f"registration -> decision: p50 {statistics.median(latencies):.2f} s, p99 {p99:.2f} s")
    print(f"baseline, the gate's own time per decision: p50 {statistics.median(decisions.seconds) * 1000:.0f} ms")
    return not (twice or undecided or dead or unordered or not_live)


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
