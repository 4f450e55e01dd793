"""The reconciler says when a stage account's events stop arriving: it repairs a release whose endpoint settled
in the staging account with no event, and says (log, metric, one notification, the arrivals item) that the
account's forwarding seems broken; an event arriving clears it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chalicelib.release.reconcile import reconcile
from chalicelib.release.service import on_approved
from devstack.resources import LocalResources
from tests.fakes.gate import RecordingNotifier
from tests.fakes.release import UnreadableArrivals
from tests.support import accounts as a
from tests.support import release as r


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resources: LocalResources) -> Iterator[a.World]:
    with a.world_elsewhere(tmp_path, monkeypatch, resources) as built:
        built.clock.now = datetime.now(UTC).replace(
            microsecond=0
        )  # moto stamps the endpoints' LastModifiedTime with the wall clock
        built.container.release_deps.notifier = RecordingNotifier()
        yield built


def sent_kinds(world: a.World) -> list[str]:
    notifier = world.container.release_deps.notifier
    assert isinstance(notifier, RecordingNotifier)
    return [notification.kind for notification in notifier.sent]


def staging_settled_without_an_event(world: a.World) -> None:
    a.staging_answers(*r.GOOD_ANSWERS)
    on_approved(r.register_approved("v1"), world.container.release_deps)
    assert world.release().stage.value == "STAGING"  # waiting for staging's event, which never comes


def test_a_stage_that_settled_long_ago_with_no_event_is_repaired_and_said(world: a.World) -> None:
    staging_settled_without_an_event(world)
    world.clock.advance(minutes=11)
    reconcile(world.container.release_deps)
    assert world.release().stage.value != "STAGING"  # repaired all the same
    arrivals = world.container.release_deps.arrivals
    assert arrivals is not None and arrivals.load(a.STAGING_AT[0]).suspect
    [kind] = [kind for kind in sent_kinds(world) if kind.startswith("events.")]
    assert kind == "events.forwarding_suspect"


def test_within_the_margin_nothing_is_suspected(world: a.World) -> None:
    staging_settled_without_an_event(world)
    world.clock.advance(minutes=3)  # an event may still be on its way
    reconcile(world.container.release_deps)
    arrivals = world.container.release_deps.arrivals
    assert arrivals is not None and not arrivals.load(a.STAGING_AT[0]).suspect
    assert "events.forwarding_suspect" not in sent_kinds(world)


def test_an_event_from_the_account_since_the_change_clears_the_suspicion(world: a.World) -> None:
    staging_settled_without_an_event(world)
    arrivals = world.container.release_deps.arrivals
    assert arrivals is not None
    arrivals.suspect(a.STAGING_AT[0], world.clock())
    world.clock.advance(minutes=11)
    arrivals.heard(a.STAGING_AT[0], world.clock())  # an event arrived, another step's
    reconcile(world.container.release_deps)
    assert not arrivals.load(a.STAGING_AT[0]).suspect
    assert "events.forwarding_suspect" not in sent_kinds(world)


def test_people_are_told_once_while_the_events_stay_away(world: a.World) -> None:
    arrivals = world.container.release_deps.arrivals
    assert arrivals is not None
    account = a.STAGING_AT[0]
    assert arrivals.suspect(account, world.clock())
    world.clock.advance(minutes=5)
    assert not arrivals.suspect(account, world.clock())  # still suspected: not news
    heard = world.clock()
    arrivals.heard(account, heard)
    world.clock.advance(minutes=5)
    arrivals.heard(account, heard.replace(year=2020))  # a late, replayed event never moves it back
    assert arrivals.load(account).heard_at == heard
    assert arrivals.suspect(account, world.clock())  # an event came, then silence again: news again


def test_an_endpoint_event_marks_when_its_account_was_last_heard_from(world: a.World) -> None:
    event = r.cw_event("aws.sagemaker", "SageMaker Endpoint State Change", {"EndpointName": r.STAGING})
    r.invoke("release_endpoint", {**event, "account": a.STAGING_AT[0]})
    arrivals = world.container.release_deps.arrivals
    assert arrivals is not None and arrivals.load(a.STAGING_AT[0]).heard_at == world.clock()
    r.invoke("release_endpoint", {**event, "account": "not-an-account"})  # malformed: the event goes on unmarked
    assert arrivals.load("not-an-account").heard_at is None


def test_arrivals_that_cannot_be_read_or_written_never_stop_the_repair_nor_the_event(world: a.World) -> None:
    staging_settled_without_an_event(world)
    world.container.release_deps.arrivals = UnreadableArrivals()
    world.clock.advance(minutes=11)
    reconcile(world.container.release_deps)
    assert world.release().stage.value != "STAGING"  # repaired; the check's failure only logged
    event = r.cw_event("aws.sagemaker", "SageMaker Endpoint State Change", {"EndpointName": r.PRODUCTION})
    answer = r.invoke("release_endpoint", {**event, "account": a.PRODUCTION_AT[0]})
    assert answer["groups"][r.GROUP]["stage"] == "WATCHING"  # the event did its work all the same
