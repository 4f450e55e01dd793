"""Cleanup at scale: N rejected versions in one group, moto in-process.

    .venv/bin/python -m bench.cleanup_scale [--sizes 1000 10000]

For each N it reports wall time, AWS calls by operation (checked against the budget: at most N
deletes, ceil(N/100) list pages plus a constant, and the re-read the issue asks for before each
delete), and peak Python memory (tracemalloc) during the run. The baseline, same run and same N:
the seed's loop fixed to page through everything (list + delete, no policy, no re-read, no state).

The versions are made directly in moto's backend (one ModelPackage object each, 100 days old):
through the API 10,000 registrations take minutes and would measure moto, not the cleanup.
Memory is measured in a second, traced run (tracemalloc slows a run ~3x), with moto's own
bookkeeping out of the way and a full collection every 100 versions in both runs (see below), so
the peak is what the run keeps alive. Expect a few minutes for 10,000: moto costs ~1.5 ms a call.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

GROUP = "fraud-detection-models"  # its example policy: older than 30 days, keep the newest 5
KEEP_NEWEST = 5


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    args = parser.parse_args(argv)
    _environment()
    for run in (_cleanup, _baseline):  # warm up: imports, botocore models, policy schema are not the run's
        measure(20, run, trace=False)
    print(f"{'run':<10}{'N':>7}{'wall s':>9}{'ms/version':>12}{'peak MiB':>10}  AWS calls by operation")
    for size in args.sizes:
        for name, run in (("cleanup", _cleanup), ("baseline", _baseline)):
            wall, _, calls, deleted = measure(size, run, trace=False)
            _, peak, _, _ = measure(size, run, trace=True)  # tracemalloc slows a run ~3x: timed apart
            print(
                f"{name:<10}{size:>7}{wall:>9.2f}{wall / size * 1000:>12.2f}{peak / 2**20:>10.2f}  "
                f"{dict(sorted(calls.items()))}"
            )
            if name == "cleanup":
                _check_budget(size, calls, deleted)


Tick = Callable[[], None]  # called once per version the run looks at
Prepared = Callable[[Tick], int]  # runs the deletes, returns how many


def measure(
    size: int, prepare: Callable[[Callable[[str], Any]], Prepared], trace: bool
) -> tuple[float, int, Counter[str], int]:
    """Wall time, peak traced memory, AWS calls by operation and deletions of one run over `size` versions."""
    with _moto():
        calls: Counter[str] = Counter()
        _make_versions(size)
        run = prepare(_counting_client_factory(calls))
        calls.clear()  # setup calls (tables, topic) are not the run's
        # In AWS the N versions live in SageMaker; here moto holds them in our heap, where they would delay
        # Python's full collections and let the run's cyclic garbage (botocore, moto) pile up with N.
        # Frozen, they no longer count: the collector behaves as in a Lambda, whatever N.
        gc.collect()
        gc.freeze()
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        with _moto_keeps_no_models():
            deleted = run(_collect_each_page() if trace else lambda: None)
        wall = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
        gc.unfreeze()
        return wall, peak, calls, deleted


def _cleanup(client: Callable[[str], Any]) -> Prepared:
    from chalicelib.bootstrap import Container
    from chalicelib.cleanup.scheduled import run_in_time
    from chalicelib.shared.settings import load_settings
    from devstack.resources import create_resources

    resources = create_resources(client)
    os.environ.update(resources.environment())
    container = Container(settings=load_settings(), client_factory=client)
    container.policies.get(GROUP)  # read and checked once per process, not per run
    assert container.cleanup_deps.notifier is not None  # builds every client the run uses

    def run(tick: Tick) -> int:
        (report,) = run_in_time(container.cleanup_deps, groups=[GROUP], observe=lambda version, outcome: tick())
        assert report.complete, report.as_dict()
        assert report.failure_count == 0, report.as_dict()
        return report.deleted.count

    return run


def _baseline(client: Callable[[str], Any]) -> Prepared:
    sagemaker = client("sagemaker")

    def run(tick: Tick) -> int:
        deleted = 0
        pages = sagemaker.get_paginator("list_model_packages").paginate(
            ModelPackageGroupName=GROUP, ModelApprovalStatus="Rejected"
        )
        for page in pages:  # deletes behind the paginator: moto's tokens survive that (they name the next item)
            for summary in page["ModelPackageSummaryList"]:
                sagemaker.delete_model_package(ModelPackageName=summary["ModelPackageArn"])
                deleted += 1
                tick()
        return deleted

    return run


def _check_budget(size: int, calls: Counter[str], deleted: int) -> None:
    pages = math.ceil(size / 100)
    constant = 1  # the newest-K listing (K <= 100); besides: 2 + ceil(N/100) UpdateItem, 1 Publish
    assert deleted == size - KEEP_NEWEST, deleted
    assert calls["DeleteModelPackage"] <= size
    assert calls["ListModelPackages"] <= pages + constant, calls
    print(
        f"{'':<10}{'':>7}  budget ok: {calls['DeleteModelPackage']} deletes <= N, "
        f"{calls['ListModelPackages']} list calls <= ceil(N/100) + {constant} = {pages + constant}, "
        f"{calls['DescribeModelPackage']} re-reads (one per delete)"
    )


def _counting_client_factory(calls: Counter[str]) -> Callable[[str], Any]:
    from chalicelib.adapters.aws import make_client

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    def factory(service: str) -> Any:
        client = make_client(service)
        client.meta.events.register("before-call", count)
        return client

    return factory


def _make_versions(size: int) -> None:
    from moto.core.utils import utcnow
    from moto.sagemaker.models import ModelPackage, sagemaker_backends

    backend = sagemaker_backends["123456789012"]["us-east-1"]
    backend.create_model_package_group(GROUP, "bench", [])
    start = utcnow() - timedelta(days=100)
    for number in range(1, size + 1):
        package = ModelPackage(
            model_package_name=GROUP,
            model_package_group_name=GROUP,
            model_package_version=number,
            model_package_description=None,
            inference_specification=None,
            source_algorithm_specification=None,
            validation_specification=None,
            certify_for_marketplace=False,
            model_approval_status="Rejected",
            metadata_properties=None,
            model_metrics=None,
            approval_description=None,
            customer_metadata_properties=None,
            drift_check_baselines=None,
            domain="",
            task="",
            sample_payload_url="",
            additional_inference_specifications=[],
            client_token="",
            region_name="us-east-1",
            account_id="123456789012",
            model_package_type="Versioned",
        )
        package.creation_time = start + timedelta(seconds=number)
        backend.model_packages[package.arn] = package
        backend.model_package_name_mapping[package.arn] = package.arn
    # moto keeps every model object it ever made (for its reset), so a deleted version would never be
    # freed and the peak would measure moto's bookkeeping; AWS keeps nothing of ours in our memory.
    ModelPackage.instances_tracked.clear()  # type: ignore[attr-defined]


def _collect_each_page() -> Tick:
    """In traced runs only: a full collection every 100 versions, in both runs. Without it the peak says
    when Python last collected botocore's cyclic garbage (a few KB a request), not what the run keeps."""
    seen = [0]

    def tick() -> None:
        seen[0] += 1
        if seen[0] % 100 == 0:
            gc.collect()

    return tick


@contextmanager
def _moto_keeps_no_models() -> Iterator[None]:
    """moto keeps every model object it ever makes (for its reset): each DynamoDB write's item copies, each
    deleted version. In the run that is moto's memory, not the cleanup's (AWS keeps nothing in our heap)."""
    from moto.core.common_models import BaseModel

    original = BaseModel.__dict__["__new__"]
    BaseModel.__new__ = staticmethod(lambda cls, *args, **kwargs: object.__new__(cls))  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseModel.__new__ = original  # type: ignore[method-assign]


@contextmanager
def _moto() -> Iterator[None]:
    from moto import mock_aws

    from devstack.moto_ext import install

    install()
    with mock_aws():
        yield


def _environment() -> None:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="us-east-1",
        POWERTOOLS_LOG_LEVEL="WARNING",
        POWERTOOLS_METRICS_NAMESPACE="ModelShepherd",
    )


if __name__ == "__main__":
    main()
