"""The gate's cold path as a whole, against the moto server: fresh processes, measured from the outside.

    .venv/bin/python -m bench.cold_path [--runs N]

candidate: a fresh Python process imports app.py and decides one pending version through the gate's
handler, as Lambda calls it (the raw event, a context; idempotency record, registry, S3, DynamoDB, SNS).
baseline: a fresh Python process imports boto3 and makes one DescribeModelPackage call.
The bar: candidate p50 <= 2x baseline p50, both from the same run, rounds alternating so load hits both.
Each candidate decides a version of its own, the group's only one (the one before it is deleted), so
no idempotency record or champion left by an earlier run makes a later one cheaper.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from devstack import seed
from devstack.environment import aws_client_factory

ROOT = Path(__file__).parents[1]
BAR = 2.0
BASELINE = (
    "import sys, boto3; "
    "boto3.client('sagemaker', endpoint_url=sys.argv[1]).describe_model_package(ModelPackageName=sys.argv[2])"
)
CANDIDATE = """
import json, sys, types
import app
context = types.SimpleNamespace(
    function_name="model-shepherd-prod-gate", memory_limit_in_mb=512, aws_request_id="bench-cold-path",
    invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:model-shepherd-prod-gate",
    get_remaining_time_in_millis=lambda: 60_000,
)
print(json.dumps(app.gate(json.loads(sys.argv[1]), context)))
"""


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description="the gate's cold path vs boto3 + one DescribeModelPackage")
    parser.add_argument("--runs", type=int, default=10)
    runs: int = parser.parse_args(argv).runs
    samples: dict[str, list[float]] = {"baseline": [], "candidate": []}
    with _moto_server() as (url, env):
        client, previous = aws_client_factory(url), None
        for _ in range(runs):
            arn = _pending_version(client, previous)
            samples["baseline"].append(_timed(partial(_python, env, "-c", BASELINE, url, arn)))
            samples["candidate"].append(_timed(partial(_decided, env, arn)))
            previous = arn
    return _report(samples)


@contextmanager
def _moto_server() -> Iterator[tuple[str, dict[str, str]]]:
    """The local stack's moto (moto_ext installed) on a free port, its resources made, the group created."""
    from devstack import moto_ext, servers
    from devstack.environment import aws_environment, quiet_environment
    from devstack.resources import create_resources

    quiet = quiet_environment()  # also quiets the moto server's request log
    moto_ext.install()
    server = servers.moto_server("127.0.0.1", servers.free_port())
    server.start()
    try:
        url = f"http://127.0.0.1:{server.port}"
        client = aws_client_factory(url)
        resources = create_resources(client)
        seed.create_group(client("sagemaker"))
        env = {**os.environ, **aws_environment(url), **quiet, **resources.environment()}
        env["PYTHONWARNINGS"] = "ignore::UserWarning"  # Powertools: no metrics to publish, once per process
        yield url, env
    finally:
        server.stop()


def _pending_version(client: Callable[[str], Any], previous: str | None) -> str:
    """A fresh pending version with a good metrics document, the only one its group has."""
    if previous is not None:
        client("sagemaker").delete_model_package(ModelPackageName=previous)
    name = f"cold-{time.monotonic_ns()}"
    uri = seed.upload_metrics(client("s3"), "my-bucket", name, seed.GOOD)
    return seed.register_version(client("sagemaker"), uri, name)


def _decided(env: dict[str, str], arn: str) -> None:
    group, version = arn.split("/")[-2:]
    detail = {
        "ModelPackageArn": arn,
        "ModelPackageGroupName": group,
        "ModelPackageVersion": int(version),
        "ModelApprovalStatus": "PendingManualApproval",
    }
    event = {
        "version": "0",
        "id": f"bench-{version}",
        "detail-type": "SageMaker Model Package State Change",
        "source": "aws.sagemaker",
        "account": "123456789012",
        "time": "2026-01-01T00:00:00Z",
        "region": "us-east-1",
        "resources": [arn],
        "detail": detail,
    }
    result = json.loads(_python(env, "-c", CANDIDATE, json.dumps(event)).splitlines()[-1])
    if result.get("outcome") != "approve" or not result.get("applied"):
        raise RuntimeError(f"the gate did not decide {arn}: {result}")


def _python(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{args[:2]} failed: {done.stdout[-1500:]} {done.stderr[-1500:]}")
    return done.stdout


def _timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _report(samples: dict[str, list[float]]) -> dict[str, float]:
    p50 = {name: statistics.median(values) for name, values in samples.items()}
    ratio = p50["candidate"] / p50["baseline"]
    runs = len(samples["baseline"])
    print(f"cold path, fresh processes against the moto server, {runs} of each, alternating")
    print(f"  baseline   import boto3 + one DescribeModelPackage   p50 {p50['baseline'] * 1000:7.1f} ms")
    print(f"  candidate  import app + the gate decides a version   p50 {p50['candidate'] * 1000:7.1f} ms")
    verdict = "ok" if ratio <= BAR else "OVER"
    print(f"  ratio {ratio:.2f}x (bar: <= {BAR:.0f}x): {verdict}")
    return {**p50, "ratio": ratio}


if __name__ == "__main__":
    main()
