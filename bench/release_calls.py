"""AWS calls of full releases, counted per operation with a botocore hook, against moto.

Run: .venv/bin/python -m bench.release_calls
Two releases: the group's first (production created) and a second that replaces it (blue/green update).
The baseline, from the same run, is the minimum the flow needs (listed in MINIMUM, per release).
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Callable
from typing import Any

MINIMUM = {  # per release: what the flow cannot do without
    "DescribeModelPackage": 1,  # re-read the Approved version (events may be stale)
    "GetItem": 3,  # the group's release state, once per event
    "PutItem": 3,  # claim staging, claim smoke tests, claim production: conditional writes
    "TransactWriteItems": 1,  # LIVE: state + history rows together
    "CreateModel": 1,
    "CreateEndpointConfig": 2,  # staging and production sizes differ
    "CreateEndpoint|UpdateEndpoint": 2,  # staging, production
    "DescribeEndpoint": 2,  # what the staging and production events say, re-read
    "InvokeEndpoint": 2,  # one per smoke test in the example policy
    "GetMetricStatistics": 1,  # the canary's invocations
    "Publish": 1,  # release.live
}


def counting_factory(counter: Counter[str]) -> Callable[[str], Any]:
    from chalicelib.adapters.aws import make_client

    def make(service: str) -> Any:
        client = make_client(service)
        client.meta.events.register("before-call.*.*", lambda model, **_: counter.update([model.name]))
        return client

    return make


def run(counter: Counter[str]) -> None:
    import boto3
    from moto import mock_aws

    from bench.release_flow import drive_release
    from chalicelib.bootstrap import Container, use_container
    from chalicelib.shared.settings import load_settings
    from devstack import moto_ext
    from devstack.resources import create_resources

    moto_ext.install()
    with mock_aws():
        for name, value in create_resources(lambda service: boto3.client(service)).environment().items():
            os.environ[name] = value
        container = Container(settings=load_settings(), client_factory=counting_factory(counter))
        use_container(container)
        drive_release("v1", container, counter)
        drive_release("v2", container, counter)
        use_container(None)


def main() -> dict[str, int]:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    counter: Counter[str] = Counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        run(counter)
    total = sum(counter.values())
    minimum = 2 * sum(MINIMUM.values())
    print("AWS calls of two full releases (first: production created; second: blue/green update):")
    for operation, calls in sorted(counter.items()):
        print(f"  {operation:<24} {calls}")
    print(
        f"total {total} calls, {total / 2:.1f} per release; "
        f"baseline (the flow's minimum): {minimum / 2:.0f} per release"
    )
    return {"total": total, "minimum": minimum}


if __name__ == "__main__":
    main()
