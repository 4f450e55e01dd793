"""A release with staging and production in other accounts and regions, against moto's per-account backends:
every request, one by one, goes to the account and region it belongs in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Container
from chalicelib.release.service import advance, on_approved
from chalicelib.release.state import Stage
from tests.support import release as r
from tests.support.policies import example_document, policies_with_release
from tests.support.request_places import SentTo, recording

HOME = ("123456789012", "us-east-1")
STAGING_AT = ("222222222222", "eu-west-1")
PRODUCTION_AT = ("333333333333", "us-east-1")
STAGING_ROLE = "arn:aws:iam::222222222222:role/model-shepherd-deploy"
PRODUCTION_ROLE = "arn:aws:iam::333333333333:role/model-shepherd-deploy"
REGISTRY_CALLS = {"DescribeModelPackage", "UpdateModelPackage", "ListModelPackages", "DescribeModelPackageGroup"}


def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **production: Any) -> None:
    release = example_document()["release"]
    staging = {**release["staging"], "account": STAGING_AT[0], "region": STAGING_AT[1], "role_arn": STAGING_ROLE}
    production = {**release["production"], "role_arn": PRODUCTION_ROLE, **production}
    monkeypatch.setenv(
        "SHEPHERD_POLICY_DIR", str(policies_with_release(tmp_path / "policies", staging=staging, production=production))
    )


@pytest.fixture
def accounts_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere(tmp_path, monkeypatch, external_id="model-shepherd-fraud")


@pytest.fixture
def sent(accounts_policy: None, container: Container) -> Iterator[list[SentTo]]:
    with recording() as requests:  # before the container makes its first client
        r.release_world(container)
        yield requests


def staging_answers(*bodies: str) -> None:
    from moto.sagemakerruntime.models import sagemakerruntime_backends

    backend = sagemakerruntime_backends[STAGING_AT[0]][STAGING_AT[1]]
    backend.results.clear()
    backend.results_queue = [(body, "application/json", "AllTraffic", "") for body in bodies]


def endpoints_in(account: str, region: str) -> set[str]:
    from moto.sagemaker.models import sagemaker_backends

    return set(sagemaker_backends[account][region].endpoints)


def release_to_watching(arn: str, container: Container) -> Stage:
    deps = container.release_deps
    staging_answers(*r.GOOD_ANSWERS)
    on_approved(arn, deps)
    advance(r.GROUP, deps)  # staging InService: smoke tests, then production
    advance(r.GROUP, deps)  # production InService on the new config
    release = deps.store.load(r.GROUP).release
    assert release is not None
    return release.stage


def test_each_request_goes_to_the_account_and_region_it_belongs_in(sent: list[SentTo], container: Container) -> None:
    arn = r.register_approved("v1")
    sent.clear()  # the test's own registration is not the app's
    assert release_to_watching(arn, container) is Stage.WATCHING
    for request in sent:
        place = (request.account, request.region)
        if request.service == "sagemaker" and request.operation not in REGISTRY_CALLS:
            assert place in (STAGING_AT, PRODUCTION_AT), request
        elif request.service == "sagemaker-runtime":
            assert place == STAGING_AT, request  # the smoke tests ask staging
        elif request.service == "cloudwatch":
            assert place == PRODUCTION_AT, request
        else:  # the registry, the state table, SNS and STS itself: the app's own
            assert place == HOME, request
    operations = {(request.operation, request.account, request.region) for request in sent}
    assert {("CreateModel", *STAGING_AT), ("CreateModel", *PRODUCTION_AT), ("AssumeRole", *HOME)} <= operations
    assert ("InvokeEndpoint", *STAGING_AT) in operations
    assert endpoints_in(*STAGING_AT) == {r.STAGING}
    assert endpoints_in(*PRODUCTION_AT) == {r.PRODUCTION}
    assert endpoints_in(*HOME) == set()


def test_the_model_runs_as_the_execution_role_of_the_stages_own_account(
    sent: list[SentTo], container: Container
) -> None:
    from moto.sagemaker.models import sagemaker_backends

    release_to_watching(r.register_approved("v1"), container)
    for account, region in (STAGING_AT, PRODUCTION_AT):
        [model] = sagemaker_backends[account][region]._models.values()
        assert model.execution_role_arn.split(":")[4] == account
