"""A release with staging and production in other accounts and regions, against moto's per-account backends:
every request, one by one, goes to the account and region it belongs in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.resources import LocalResources
from tests.support import accounts as a
from tests.support import release as r


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resources: LocalResources) -> Iterator[a.World]:
    with a.world_elsewhere(tmp_path, monkeypatch, resources) as built:
        yield built


def test_each_request_goes_to_the_account_and_region_it_belongs_in(world: a.World) -> None:
    arn = r.register_approved("v1")
    world.sent.clear()  # the test's own registration is not the app's
    assert a.release_to_watching(arn, world).stage.value == "WATCHING"
    for request in world.sent:
        place = (request.account, request.region)
        if request.service == "sagemaker" and request.operation not in a.REGISTRY_CALLS:
            assert place in (a.STAGING_AT, a.PRODUCTION_AT), request
        elif request.service == "sagemaker-runtime":
            assert place == a.STAGING_AT, request  # the smoke tests ask staging
        elif request.service == "cloudwatch":
            assert place == a.PRODUCTION_AT, request
        else:  # the registry, the state table, SNS and STS itself: the app's own
            assert place == a.HOME, request
    operations = {(request.operation, request.account, request.region) for request in world.sent}
    assert {("CreateModel", *a.STAGING_AT), ("CreateModel", *a.PRODUCTION_AT), ("AssumeRole", *a.HOME)} <= operations
    assert ("InvokeEndpoint", *a.STAGING_AT) in operations
    assert ("DescribeModelPackage", *a.HOME) in operations
    assert a.endpoints_in(*a.STAGING_AT) == {r.STAGING}
    assert a.endpoints_in(*a.PRODUCTION_AT) == {r.PRODUCTION}
    assert a.endpoints_in(*a.HOME) == set()


def test_the_model_runs_as_the_execution_role_of_the_stages_own_account(world: a.World) -> None:
    from moto.sagemaker.models import sagemaker_backends

    a.release_to_watching(r.register_approved("v1"), world)
    for account, region in (a.STAGING_AT, a.PRODUCTION_AT):
        [model] = sagemaker_backends[account][region]._models.values()
        assert model.execution_role_arn.split(":")[4] == account


def test_the_role_is_assumed_once_per_stage_and_kept_while_its_credentials_last(world: a.World) -> None:
    a.release_to_watching(r.register_approved("v1"), world)
    assumed = [request for request in world.sent if request.operation == "AssumeRole"]
    assert len(assumed) == 2  # staging's and production's, for every step of the release


def test_a_stages_judge_reads_the_metrics_of_the_stages_own_account_and_region(world: a.World) -> None:
    from datetime import UTC, datetime, timedelta

    from chalicelib.analysis.policy import Analysis, MetricCheck
    from chalicelib.analysis.ports import Subject
    from chalicelib.release.deps import production_deps
    from chalicelib.release.policy import ReleasePolicy

    deps = world.container.release_deps
    policy = ReleasePolicy.from_section(deps.policies.get(r.GROUP).section("release"))
    judge = production_deps(policy, deps).judge
    assert judge is not None and judge is not deps.judge
    end = datetime.now(UTC)
    world.sent.clear()
    analysis = Analysis((MetricCheck("latency", "ModelLatency", "p99", maximum=1),))
    judge.judge(analysis, Subject(r.PRODUCTION, "AllTraffic"), end - timedelta(minutes=5), end)
    [read] = [request for request in world.sent if request.operation == "GetMetricData"]
    assert (read.account, read.region) == a.PRODUCTION_AT
