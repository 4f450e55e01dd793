"""How long a Slack click takes, request to response, against local AWS (the moto server) and a fake Slack.

    .venv/bin/python -m bench.slack_click [--runs N]

cold: a fresh Python process imports the app and answers its first click (a Lambda cold start's work);
warm: the same process, later clicks. Each click approves its own pending version for real (signature,
policy, DynamoDB lock, DescribeModelPackage, UpdateModelPackage, response_url post). Baselines from the
same run: an empty Python process, a refused (401) click that touches no AWS, one DescribeModelPackage.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

SLACK_BUDGET_S = 3.0
APPROVER = "U024BE7LH"  # on the example policy's approver list


def main(argv: list[str] | None = None) -> None:
    args = _args(argv)
    if args.child:
        return _child(args.child)
    with _local_stack() as (env, slack, pending):
        cold = [_cold(env, slack, pending.pop()) for _ in range(args.runs)]
        warm, refused, describe = _warm(slack, pending, args.runs * 4)
    python_only = _median_of(args.runs, lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
    _report(cold, warm, refused, describe, python_only)


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Slack click latency, cold and warm")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


@contextlib.contextmanager
def _local_stack() -> Iterator[tuple[dict[str, str], Any, list[str]]]:
    """The moto server and a fake Slack on free loopback ports; yields (environment, slack, pending ARNs)."""
    from moto.server import ThreadedMotoServer

    from devstack.fake_slack import FakeSlack

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the moto server logs every request
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    slack = FakeSlack().start()
    try:
        host, port = moto.get_host_and_port()
        env = _environment(f"http://{host}:{port}")
        yield env, slack, _seed(slack)
    finally:
        slack.stop()
        moto.stop()


def _environment(endpoint: str) -> dict[str, str]:
    warnings.filterwarnings("ignore", "No application metrics to publish")
    env = {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_METRICS_NAMESPACE": "ModelShepherd",
        "POWERTOOLS_LOG_LEVEL": "ERROR",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "PYTHONWARNINGS": "ignore::UserWarning",
    }
    os.environ.update(env)
    return env


def _seed(slack: Any) -> list[str]:
    import boto3

    from devstack import seed
    from devstack.resources import create_resources
    from devstack.slack_local import create_slack_secret, slack_environment

    resources = create_resources(lambda service: boto3.client(service))
    create_slack_secret(boto3.client("secretsmanager"), slack)
    os.environ.update({**resources.environment(), **slack_environment(slack)})
    sagemaker = boto3.client("sagemaker")
    seed.create_group(sagemaker)
    return [seed.register_version(sagemaker, None, f"bench-{n}") for n in range(40)]


def _click_request(slack: Any, arn: str) -> dict[str, Any]:
    from tests.fakes.slack import review_message

    body, headers = slack.signed_click(review_message(arn), "shepherd_approve", APPROVER)
    return {"body": body.decode(), "headers": headers}


def _cold(env: dict[str, str], slack: Any, arn: str) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(_click_request(slack, arn), handle)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "bench.slack_click", "--child", handle.name],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    if out.returncode:
        raise RuntimeError(f"cold click failed: {out.stdout[-1500:]} {out.stderr[-1500:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - started
    os.unlink(handle.name)
    return result


def _child(path: str) -> None:
    from chalice.test import Client  # the test harness is not part of a Lambda cold start: import it first

    with open(path) as handle:
        request = json.load(handle)
    started = time.perf_counter()
    import app

    _settings_from_this_environment()
    imported = time.perf_counter()
    with Client(app.app) as client:
        response = client.http.post("/slack/actions", headers=request["headers"], body=request["body"].encode())
    done = time.perf_counter()
    assert response.status_code == 200, response.status_code
    print(json.dumps({"import_s": imported - started, "first_click_s": done - imported, "cold_s": done - started}))


def _warm(slack: Any, pending: list[str], runs: int) -> tuple[list[float], list[float], list[float]]:
    import boto3
    from chalice.test import Client

    import app

    _settings_from_this_environment()
    sagemaker = boto3.client("sagemaker")
    clicks, refused, describe = [], [], []
    with Client(app.app) as client, contextlib.redirect_stdout(io.StringIO()):  # the app's metrics lines

        def click(request: dict[str, Any]) -> int:
            return int(
                client.http.post(
                    "/slack/actions", headers=request["headers"], body=request["body"].encode()
                ).status_code
            )

        click(_click_request(slack, pending.pop()))  # the warm-up: this process's cold start
        for _ in range(runs):
            request = _click_request(slack, pending.pop())
            clicks.append(_timed(partial(click, request)))
            forged = dict(request, headers={**request["headers"], "X-Slack-Signature": "v0=" + "0" * 64})
            refused.append(_timed(partial(click, forged)))
            describe.append(_timed(partial(sagemaker.describe_model_package, ModelPackageName=pending[0])))
    return clicks, refused, describe


def _settings_from_this_environment() -> None:
    # chalice.test.Client applies .chalice/config.json's stage variables (real AWS names) while it runs:
    # read the settings first, from the environment this bench set up.
    from chalicelib.bootstrap import container

    assert container().settings.slack_api_url


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _median_of(runs: int, action: Callable[[], object]) -> float:
    return statistics.median(_timed(action) for _ in range(runs))


def _report(
    cold: list[dict[str, float]], warm: list[float], refused: list[float], describe: list[float], python_only: float
) -> None:
    def ms(value: float) -> str:
        return f"{value * 1000:8.1f} ms"

    cold_s = [run["cold_s"] for run in cold]
    print(f"slack click, request -> response (moto server, fake Slack); Slack allows {SLACK_BUDGET_S:.0f} s")
    print(
        f"  cold  import app + first click   median {ms(statistics.median(cold_s))}  max {ms(max(cold_s))}"
        f"  (import {ms(statistics.median(r['import_s'] for r in cold))},"
        f" click {ms(statistics.median(r['first_click_s'] for r in cold))})"
    )
    print(f"        whole process (+ chalice.test) median {ms(statistics.median(r['process_s'] for r in cold))}")
    print(f"  warm  click (approve)             median {ms(statistics.median(warm))}  max {ms(max(warm))}")
    print("baselines (same run)")
    print(f"  empty python process              median {ms(python_only)}")
    print(f"  warm refused click (401, no AWS)  median {ms(statistics.median(refused))}")
    print(f"  one DescribeModelPackage          median {ms(statistics.median(describe))}")
    verdict = "ok" if max(cold_s) < 1.0 else "OVER 1 s"
    print(f"cold under 1 s: {verdict}")


if __name__ == "__main__":
    main()
