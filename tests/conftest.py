"""Shared fixtures: dummy credentials always; moto and a fresh container where a test asks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib.bootstrap import Container, use_container
from chalicelib.shared.settings import load_settings
from devstack.aws_validation import client as strict_clients
from devstack.aws_validation import recorder as strict_recorder
from devstack.aws_validation import switch as strict_switch
from devstack.resources import LocalResources, create_resources
from tests.fakes.gate import RecordingNotifier
from tests.support.strict_refusals import REFUSES, unexpected_refusals

# Every botocore client a test makes, from here on, refuses what AWS would refuse (devstack.aws_validation).
strict_clients.install()


@pytest.fixture(autouse=True)
def _strict_aws(request: pytest.FixtureRequest) -> Iterator[None]:
    # On for every test; only a test of the unchecked state turns it off, and never beyond itself.
    strict_switch.reset()
    strict_recorder.take()
    yield
    strict_switch.reset()
    # A refusal the code swallowed (a notifier never fails its caller) still fails the test that caused it.
    if problem := unexpected_refusals(strict_recorder.take(), request.node.get_closest_marker(REFUSES) is not None):
        pytest.fail(problem, pytrace=False)


@pytest.fixture(autouse=True)
def _aws_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Never real AWS: dummy credentials, one region, no endpoint from the developer's shell.
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "ModelShepherd")
    yield
    use_container(None)


@pytest.fixture
def aws() -> Iterator[None]:
    from moto import mock_aws

    from devstack.moto_ext import install

    install()  # what moto 5.2.5 lacks (DeleteModelPackage, ...): the same patches the local stack uses
    with mock_aws():
        yield


@pytest.fixture
def resources(aws: None) -> LocalResources:
    import boto3

    return create_resources(boto3.client)


@pytest.fixture
def container(resources: LocalResources, monkeypatch: pytest.MonkeyPatch) -> Container:
    """The real composition (SNS, moto) with Slack left out; installed as the app's container."""
    for name, value in resources.environment().items():
        monkeypatch.setenv(name, value)
    built = Container(settings=load_settings())
    use_container(built)
    return built


@pytest.fixture
def notifications() -> RecordingNotifier:
    return RecordingNotifier()
