"""The release engine through Chalice's test client against moto: happy path and every failure."""

from __future__ import annotations

import pytest

from chalicelib.bootstrap import Container
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.sns_inbox import inbox


@pytest.fixture
def clock(container: Container) -> r.Clock:
    return r.release_world(container)  # moto_ext is installed by the aws fixture


def test_happy_path_from_approved_to_live_driven_by_endpoint_events(
    clock: r.Clock, container: Container, resources: LocalResources
) -> None:
    arn = r.register_approved("v1")
    assert r.decided(arn, "Approved")["stage"] == "STAGING"
    clock.advance(minutes=8)
    r.answers(*r.GOOD_ANSWERS)
    assert r.endpoint_event(r.STAGING)["groups"][r.GROUP]["stage"] == "PRODUCTION"
    clock.advance(minutes=5)
    r.canary_invocations(150, clock.now)
    clock.advance(minutes=20)
    assert r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]["stage"] == "WATCHING"
    assert r.serving_version(r.production_config()) == 1
    assert container.live_versions.live_arn(r.GROUP) == arn
    assert r.sns_types(inbox(resources)) == ["release.live"]


def test_first_release_creates_production_and_needs_no_canary_traffic(clock: r.Clock, container: Container) -> None:
    # CreateEndpoint has no canary: min_canary_invocations guards updates of a serving endpoint only.
    arn = r.register_approved("v1")
    r.decided(arn, "Approved")
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    assert r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]["stage"] == "WATCHING"
    assert container.live_versions.live_arn(r.GROUP) == arn
