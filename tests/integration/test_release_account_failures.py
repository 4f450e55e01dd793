"""Stages in other accounts when they cannot be reached: a refused AssumeRole, credentials that expire
mid-release, a region outage. The release fails safely or waits, says which stage, account and role, and
never sends a stage's request with the app's own credentials."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from chalicelib.release.service import advance, on_approved
from chalicelib.shared.errors import StageUnreachableError
from devstack.resources import LocalResources
from tests.support import accounts as a
from tests.support import release as r


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resources: LocalResources) -> Iterator[a.World]:
    with a.world_elsewhere(tmp_path, monkeypatch, resources) as built:
        yield built


@pytest.fixture
def outage() -> Iterator[set[str]]:
    """Regions added here refuse every connection, as an outage does once botocore's retries ran out."""
    from botocore import handlers

    down: set[str] = set()

    def refuse(request: Any, **_: Any) -> None:
        if any(f".{region}." in request.url for region in down):
            raise EndpointConnectionError(endpoint_url=request.url)

    entry = ("before-send", refuse)
    handlers.BUILTIN_HANDLERS.append(entry)
    yield down
    handlers.BUILTIN_HANDLERS.remove(entry)


def live_v1_then_v2_in_staging(world: a.World) -> str:
    """v1 serves production (its watch window over); v2 is approved and staging is InService."""
    a.release_to_watching(r.register_approved("v1"), world)
    world.clock.advance(minutes=61)
    advance(r.GROUP, world.container.release_deps)  # the watch window ends: v1 LIVE
    serving = a.serving_config(*a.PRODUCTION_AT, r.PRODUCTION)
    a.staging_answers(*r.GOOD_ANSWERS)
    on_approved(r.register_approved("v2"), world.container.release_deps)
    assert world.release().version == 2
    return serving


def assumed_roles(world: a.World) -> int:
    return sum(request.operation == "AssumeRole" for request in world.sent)


def test_a_refused_assume_role_fails_the_release_before_any_endpoint_is_touched(world: a.World) -> None:
    world.sts.refused.add(a.PRODUCTION_ROLE)
    on_approved(r.register_approved("v1"), world.container.release_deps)
    release = world.release()
    assert release.stage.value == "FAILED"
    assert "production (account 333333333333, region of the app, role " + a.PRODUCTION_ROLE in release.reason
    assert "AssumeRole refused: AccessDenied" in release.reason
    assert a.endpoints_in(*a.STAGING_AT) == a.endpoints_in(*a.PRODUCTION_AT) == set()
    assert a.sent_home(world.sent) == []  # no fallback to the app's own credentials


def test_credentials_expiring_mid_release_are_renewed_and_the_release_goes_on(world: a.World) -> None:
    deps = world.container.release_deps
    a.staging_answers(*r.GOOD_ANSWERS)
    on_approved(r.register_approved("v1"), deps)
    assert assumed_roles(world) == 2  # staging's and production's
    world.credentials_clock.advance(minutes=55)  # inside botocore's mandatory refresh window
    advance(r.GROUP, deps)
    advance(r.GROUP, deps)
    assert world.release().stage.value == "WATCHING"
    # Assumed again by itself before the credentials ran out (moto dates new credentials by the wall clock,
    # so they look near their end to the moved clock too and are renewed more than once: only "again" counts).
    assert assumed_roles(world) > 2
    assert a.sent_home(world.sent) == []


def test_renewal_refused_mid_release_fails_it_and_production_keeps_the_live_version(world: a.World) -> None:
    serving = live_v1_then_v2_in_staging(world)
    world.sts.refused.add(a.PRODUCTION_ROLE)  # the production account's trust policy no longer names the app
    world.credentials_clock.advance(minutes=55)
    advance(r.GROUP, world.container.release_deps)  # smoke tests pass (staging renewed), production refused
    release = world.release()
    assert (release.version, release.stage.value) == (2, "FAILED")
    assert release.reason.startswith("deploy_production refused: production (account 333333333333")
    assert a.PRODUCTION_ROLE in release.reason
    assert a.serving_config(*a.PRODUCTION_AT, r.PRODUCTION) == serving  # v1 still serves
    assert a.sent_home(world.sent) == []


def test_a_staging_region_outage_fails_the_release_with_production_untouched(world: a.World, outage: set[str]) -> None:
    outage.add(a.STAGING_AT[1])
    on_approved(r.register_approved("v1"), world.container.release_deps)
    release = world.release()
    assert release.stage.value == "FAILED"
    assert "staging (account 222222222222, region eu-west-1, role " in release.reason
    assert "cannot be reached" in release.reason
    assert a.endpoints_in(*a.PRODUCTION_AT) == set()
    assert a.sent_home(world.sent) == []


def test_a_production_region_outage_while_it_updates_changes_nothing_until_it_ends(
    world: a.World, outage: set[str]
) -> None:
    deps = world.container.release_deps
    a.staging_answers(*r.GOOD_ANSWERS)
    on_approved(r.register_approved("v1"), deps)
    advance(r.GROUP, deps)  # production is updating
    outage.add(a.PRODUCTION_AT[1])
    with pytest.raises(StageUnreachableError, match=r"production \(account 333333333333.*cannot be reached"):
        advance(r.GROUP, deps)  # the event is retried (and the reconciler asks again): nothing is decided blind
    assert world.release().stage.value == "PRODUCTION"
    outage.clear()
    advance(r.GROUP, deps)
    assert world.release().stage.value == "WATCHING"
    assert a.sent_home(world.sent) == []
