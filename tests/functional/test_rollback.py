"""Manual rollback, as Slack's button and the CLI call it, and the history it leaves."""

from __future__ import annotations

import json

import boto3
import pytest

from chalicelib.bootstrap import Container
from chalicelib.release.history import history
from chalicelib.release.rollback import rollback
from chalicelib.shared.errors import ProductionBusyError, RollbackError
from devstack import seed
from devstack.moto_ext.endpoints import set_endpoint_status
from devstack.resources import LocalResources
from tests.fakes.gate import RecordingNotifier
from tests.support import release as r
from tests.support.sns_inbox import inbox


@pytest.fixture
def three_releases(container: Container, resources: LocalResources) -> r.Clock:
    """v1, v2 and v3 each went live in turn; v3 serves, watch windows over."""
    clock = r.release_world(container)  # moto_ext is installed by the aws fixture
    for name in ("v1", "v2", "v3"):
        r.release_to_live(r.register_approved(name), clock)
        clock.advance(minutes=61)
        r.reconcile()
    inbox(resources)
    return clock


def test_rollback_to_the_previous_good_version_records_who_and_why(
    three_releases: r.Clock, container: Container, resources: LocalResources
) -> None:
    result = rollback(r.GROUP, None, "U123 (alice)", "false positives spiking", container.release_deps)
    assert (result.from_version, result.to_version) == (3, 2)
    assert r.serving_version(r.production_config()) == 2
    rows = history(r.GROUP, container.release_store).rows
    newest = rows[0]
    assert (newest.version, newest.outcome, newest.replaced) == (2, "ROLLBACK", 3)
    assert newest.reason == "by U123 (alice): false positives spiking"
    rolled = next(row for row in rows if row.version == 3)
    assert (rolled.outcome, rolled.served_to) == ("ROLLED_BACK", newest.served_from)
    [message] = inbox(resources)
    assert (message["type"], message["actor"], message["rollback_to"]) == ("release.rolled_back", "U123 (alice)", 1)


def test_rollback_twice_walks_back_through_the_good_versions(three_releases: r.Clock, container: Container) -> None:
    rollback(r.GROUP, None, "alice", "bad", container.release_deps)
    rollback(r.GROUP, None, "alice", "still bad", container.release_deps)
    assert r.serving_version(r.production_config()) == 1
    with pytest.raises(RollbackError, match="no previous good version"):
        rollback(r.GROUP, None, "alice", "again", container.release_deps)


def test_rollback_to_a_named_version(three_releases: r.Clock, container: Container) -> None:
    assert rollback(r.GROUP, 1, "cli:bob", "audit asked", container.release_deps).to_version == 1
    assert r.serving_version(r.production_config()) == 1
    with pytest.raises(RollbackError, match="already live"):
        rollback(r.GROUP, 1, "cli:bob", "again", container.release_deps)


def test_rollback_refuses_a_rejected_version_and_production_mid_update(
    three_releases: r.Clock, container: Container
) -> None:
    rejected = seed.register_version(boto3.client("sagemaker"), None, "v4")
    r.set_status(rejected, "Rejected")
    with pytest.raises(RollbackError, match="v4 is Rejected"):
        rollback(r.GROUP, 4, "bob", "why not", container.release_deps)
    set_endpoint_status(r.PRODUCTION, "Updating")
    with pytest.raises(ProductionBusyError):
        rollback(r.GROUP, None, "bob", "now", container.release_deps)
    assert r.serving_version(r.production_config()) == 3  # nothing changed


def test_rollback_stops_a_release_in_flight(three_releases: r.Clock, container: Container) -> None:
    r.decided(r.register_approved("v4"), "Approved")
    rollback(r.GROUP, None, "alice", "freeze", container.release_deps)
    release = container.release_store.load(r.GROUP).release
    assert release is not None
    assert (release.version, release.stage.value) == (4, "FAILED")
    assert release.reason == "stopped: rollback to v2 by alice"
    assert r.serving_version(r.production_config()) == 2


def test_live_notification_carries_a_roll_back_button_to_the_previous_version(
    three_releases: r.Clock, container: Container
) -> None:
    notifier = RecordingNotifier()
    container.release_deps.notifier = notifier
    r.release_to_live(r.register_approved("v4"), three_releases)
    [live] = notifier.sent
    [button] = next(block for block in live.blocks if block["type"] == "actions")["elements"]
    assert button["action_id"] == "shepherd_rollback"
    assert json.loads(button["value"]) == {"group": r.GROUP, "to_version": 3}
    assert live.attributes == {"type": "release.live", "group": r.GROUP}


def test_the_gate_compares_against_the_live_version(three_releases: r.Clock, container: Container) -> None:
    rollback(r.GROUP, None, "alice", "bad", container.release_deps)
    assert container.live_versions.live_arn(r.GROUP).endswith("/2")  # type: ignore[union-attr]
    protected = {arn.rsplit("/", 1)[1] for arn in container.protected_versions.protected_arns(r.GROUP)}
    assert protected == {"2", "1"}
