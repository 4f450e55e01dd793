"""A release world whose staging and production live in other moto accounts and regions, with a clock for the
assumed credentials, STS that can refuse a role, and every request's account and region recorded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.adapters.places import AssumedPlaces
from chalicelib.bootstrap import Container, use_container
from chalicelib.release.service import advance, on_approved
from chalicelib.release.state import Release
from chalicelib.shared.settings import load_settings
from devstack.accounts_setup import HOME, PRODUCTION_AT, PRODUCTION_ROLE, STAGING_AT, STAGING_ROLE
from devstack.resources import LocalResources
from tests.fakes.sts import RefusingSts
from tests.support import release as r
from tests.support.policies import example_document, policies_with_release
from tests.support.request_places import SentTo, recording

__all__ = ["HOME", "PRODUCTION_AT", "PRODUCTION_ROLE", "STAGING_AT", "STAGING_ROLE"]
REGISTRY_CALLS = {"DescribeModelPackage", "UpdateModelPackage", "ListModelPackages", "DescribeModelPackageGroup"}


@dataclass
class World:
    container: Container
    sts: RefusingSts
    credentials_clock: r.Clock  # what botocore reads to decide the assumed credentials are about to expire
    clock: r.Clock  # the release engine's
    sent: list[SentTo]

    def release(self) -> Release:
        release = self.container.release_deps.store.load(r.GROUP).release
        assert release is not None
        return release


def use_policy_elsewhere(directory: Path, monkeypatch: pytest.MonkeyPatch, **production: Any) -> None:
    release = example_document()["release"]
    staging = {**release["staging"], "account": STAGING_AT[0], "region": STAGING_AT[1], "role_arn": STAGING_ROLE}
    production = {**release["production"], "role_arn": PRODUCTION_ROLE, **production}
    policies = policies_with_release(directory / "policies", staging=staging, production=production)
    monkeypatch.setenv("SHEPHERD_POLICY_DIR", str(policies))


@contextmanager
def world_elsewhere(directory: Path, monkeypatch: pytest.MonkeyPatch, resources: LocalResources) -> Iterator[World]:
    use_policy_elsewhere(directory, monkeypatch, external_id="model-shepherd-fraud")
    for name, value in resources.environment().items():
        monkeypatch.setenv(name, value)
    with recording() as sent:  # before the container makes its first client
        sts = RefusingSts(boto3.session.Session().client("sts"))  # a new session: recorded
        credentials_clock = r.Clock(datetime.now(UTC))
        built = Container(settings=load_settings(), places=AssumedPlaces(lambda: sts, credentials_clock))
        use_container(built)
        yield World(built, sts, credentials_clock, r.release_world(built), sent)


def staging_answers(*bodies: str) -> None:
    from moto.sagemakerruntime.models import sagemakerruntime_backends

    backend = sagemakerruntime_backends[STAGING_AT[0]][STAGING_AT[1]]
    backend.results.clear()
    backend.results_queue = [(body, "application/json", "AllTraffic", "") for body in bodies]


def endpoints_in(account: str, region: str) -> set[str]:
    from moto.sagemaker.models import sagemaker_backends

    return set(sagemaker_backends[account][region].endpoints)


def serving_config(account: str, region: str, endpoint: str) -> str:
    from moto.sagemaker.models import sagemaker_backends

    config: str = sagemaker_backends[account][region].endpoints[endpoint].endpoint_config_name
    return config


def release_to_watching(arn: str, world: World) -> Release:
    deps = world.container.release_deps
    staging_answers(*r.GOOD_ANSWERS)
    on_approved(arn, deps)
    advance(r.GROUP, deps)  # staging InService: smoke tests, then production
    advance(r.GROUP, deps)  # production InService on the new config
    return world.release()


def sent_home(sent: list[SentTo]) -> list[SentTo]:
    """Endpoint, runtime and CloudWatch requests sent to the app's own account: never right for these stages."""
    return [
        request
        for request in sent
        if (request.account, request.region) == HOME
        and request.service in ("sagemaker", "sagemaker-runtime", "cloudwatch")
        and request.operation not in REGISTRY_CALLS
    ]
