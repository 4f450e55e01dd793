"""Ways a group's life ended wrong or stuck, each driven over the in-memory fakes. No moto."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.events import firing_alarm
from chalicelib.release.policy import Deployment
from chalicelib.release.ports import EndpointView, PackageApproval
from chalicelib.release.reactions import on_alarm_firing, on_endpoint_change
from chalicelib.release.reconcile import reconcile_group
from chalicelib.release.rejection import on_rejected
from chalicelib.release.results import Skipped
from chalicelib.release.retry import retry
from chalicelib.release.rollback import rollback
from chalicelib.release.service import advance, on_approved
from chalicelib.release.state import GroupState, Stage
from chalicelib.shared.errors import ProductionBusyError, RecoveryRefusedError, ReleaseStepError, RollbackError
from tests.fakes.release import MemoryEndpoints, MemoryStore, memory_deps

GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/"
STAGING = "fraud-detection-staging"
PROD = "fraud-detection-prod"


@dataclass
class Clock:
    now: datetime = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Registry:
    """Model packages whose status people change (Approved unless told otherwise)."""

    statuses: dict[int, str] = field(default_factory=dict)

    def approval(self, arn: str) -> PackageApproval:
        version = int(arn.rsplit("/", 1)[1])
        return PackageApproval(arn, GROUP, version, self.statuses.get(version, "Approved"), "a person")


@dataclass
class SageMakerLike(MemoryEndpoints):
    """Refuses what SageMaker refuses: any update of a Failed endpoint, any update while Updating."""

    blue_green_updating: bool = False  # a blue/green production update stays Updating until told

    def deploy(self, name: str, config: str, deployment: Deployment | None = None) -> None:
        current = self.endpoints.get(name)
        if current is not None and current.status == "Failed":
            raise ReleaseStepError("update_endpoint: ValidationException: endpoint is Failed")
        if current is not None and current.status == "Updating":
            raise ProductionBusyError("update_endpoint: Cannot update in-progress endpoint")
        updating = self.blue_green_updating and deployment is not None
        self.endpoints[name] = EndpointView("Updating" if updating else "InService", config)


@dataclass
class World:
    deps: ReleaseDeps
    clock: Clock
    registry: Registry
    endpoints: SageMakerLike

    def live(self, version: int) -> None:
        """The version released through its watch window."""
        on_approved(ARN + str(version), self.deps)
        advance(GROUP, self.deps)  # staging InService: smoke tests pass, production deploys
        advance(GROUP, self.deps)  # production InService: watching
        self.clock.advance(minutes=61)
        advance(GROUP, self.deps)  # the window closed
        live = self.state().live
        assert live is not None and live.version == version

    def state(self) -> GroupState:
        return self.deps.store.load(GROUP)

    def stage(self) -> str:
        release = self.state().release
        return f"v{release.version} {release.stage.value}" if release else "none"

    def production_version(self) -> int:
        config = self.endpoints.endpoints[PROD].config or ""
        return int(config.split("-v")[1].split("-")[0]) if "-v" in config else -1

    def fail_staging(self, version: int) -> None:
        on_approved(ARN + str(version), self.deps)
        self.fail_staging_again()
        assert self.stage() == f"v{version} FAILED"

    def fail_staging_again(self) -> None:
        self.endpoints.endpoints[STAGING] = EndpointView("Failed", None, "image pull failed")
        advance(GROUP, self.deps)


@pytest.fixture
def world() -> World:
    clock, registry, endpoints = Clock(), Registry(), SageMakerLike()
    deps = memory_deps(GROUP, MemoryStore(), endpoints)
    deps.clock, deps.packages = clock, registry
    return World(deps, clock, registry, endpoints)


def config_of(world: World, version: int) -> str:
    for deployed in (world.state().live, *world.state().good):
        if deployed is not None and deployed.version == version:
            return deployed.config
    raise AssertionError(f"v{version} was never live")


def test_a_version_rejected_after_it_became_a_rollback_target_is_no_target_any_more(world: World) -> None:
    world.live(1)
    world.live(2)
    world.registry.statuses[1] = "Rejected"
    on_rejected(ARN + "1", world.deps)
    assert [deployed.version for deployed in world.state().good] == []
    with pytest.raises(RollbackError, match="no previous good version"):
        rollback(GROUP, None, "ana", "latency", world.deps)
    assert world.endpoints.endpoints[PROD].config == config_of(world, 2)


def test_a_rollback_asks_the_registry_again_when_the_rejection_event_was_lost(world: World) -> None:
    world.live(1)
    world.live(2)
    world.registry.statuses[1] = "Rejected"  # rejected in the console; the event never came
    with pytest.raises(RollbackError, match="v1 is Rejected"):
        rollback(GROUP, None, "ana", "latency", world.deps)
    live = world.state().live
    assert live is not None and live.version == 2
    assert world.endpoints.endpoints[PROD].config == config_of(world, 2)


def test_an_automatic_restore_never_sends_production_to_a_rejected_version(world: World) -> None:
    world.live(1)
    on_approved(ARN + "2", world.deps)
    advance(GROUP, world.deps)
    advance(GROUP, world.deps)  # v2 watching, v1 its way back
    v2_config = world.endpoints.endpoints[PROD].config
    world.registry.statuses[1] = "Rejected"  # the event was lost
    on_alarm_firing("fraud-detection-prod-5xx", world.deps, world.clock.now)
    assert world.stage() == "v2 ROLLED_BACK"
    assert world.endpoints.endpoints[PROD].config == v2_config


def test_a_staging_endpoint_left_failed_is_deleted_and_created_again(world: World) -> None:
    world.fail_staging(1)
    on_approved(ARN + "2", world.deps)  # the Failed endpoint is deleted; SageMaker refuses any update
    advance(GROUP, world.deps)  # gone: created afresh
    advance(GROUP, world.deps)
    assert world.stage() == "v2 PRODUCTION"  # staging came up and passed its smoke tests
    release = world.state().release
    assert release is not None and release.reason == ""


def test_the_reconciler_retries_a_restore_left_in_update_rollback_failed_for_a_bounded_time(world: World) -> None:
    world.live(1)
    world.endpoints.endpoints[PROD] = EndpointView("UpdateRollbackFailed", "mixed", "rollback failed")
    assert reconcile_group(GROUP, world.deps).restored == 1
    assert world.endpoints.endpoints[PROD] == EndpointView("InService", config_of(world, 1))
    world.clock.advance(hours=3)
    world.endpoints.endpoints[PROD] = EndpointView("UpdateRollbackFailed", "mixed", "rollback failed")
    assert reconcile_group(GROUP, world.deps).restored is None  # given up on: RestoreAbandoned is alarmed
    assert world.endpoints.endpoints[PROD].status == "UpdateRollbackFailed"


def test_an_alarm_that_fired_inside_the_window_rolls_back_when_handled_after_it(world: World) -> None:
    world.live(1)
    on_approved(ARN + "2", world.deps)
    advance(GROUP, world.deps)
    advance(GROUP, world.deps)
    fired = world.clock.now + timedelta(minutes=59)
    world.clock.advance(minutes=62)
    advance(GROUP, world.deps)  # the reconciler closed the window first
    assert world.stage() == "v2 LIVE"
    on_alarm_firing("fraud-detection-prod-5xx", world.deps, fired)
    assert world.stage() == "v2 ROLLED_BACK"
    assert world.endpoints.endpoints[PROD].config == config_of(world, 1)


def test_the_alarm_event_carries_the_alarms_own_state_change_time() -> None:
    detail = {"alarmName": "p99", "state": {"value": "ALARM", "timestamp": "2026-11-26T12:59:00.000+0000"}}
    fired = firing_alarm(detail)
    assert fired is not None and fired.at == datetime(2026, 11, 26, 12, 59, tzinfo=UTC)
    assert firing_alarm({"alarmName": "p99", "state": {"value": "ALARM", "timestamp": "9" * 5000}}) is not None


def test_a_replayed_approval_of_a_version_whose_release_failed_does_not_start_it(world: World) -> None:
    world.live(1)
    world.fail_staging(2)
    world.fail_staging(3)
    replayed = on_approved(ARN + "2", world.deps)
    assert isinstance(replayed, Skipped) and "already ended FAILED" in replayed.reason
    assert world.stage() == "v3 FAILED"


def test_a_version_rejected_mid_production_update_returns_production_on_the_updates_end(world: World) -> None:
    world.live(1)
    world.endpoints.blue_green_updating = True
    on_approved(ARN + "2", world.deps)
    advance(GROUP, world.deps)  # production Updating (blue/green canary)
    assert world.stage() == "v2 PRODUCTION"
    world.registry.statuses[2] = "Rejected"
    on_rejected(ARN + "2", world.deps)  # SageMaker refuses the restore: still Updating
    assert world.stage() == "v2 FAILED"
    world.endpoints.endpoints[PROD] = EndpointView("InService", world.endpoints.endpoints[PROD].config)
    on_endpoint_change(PROD, world.deps)  # the update ended: the restore goes now, not at the next tick
    assert world.endpoints.endpoints[PROD].config == config_of(world, 1)


def test_of_three_versions_approved_at_once_each_one_not_released_has_a_history_row(world: World) -> None:
    for version in (2, 3, 1):  # delivered out of order
        on_approved(ARN + str(version), world.deps)
    rows = {row.version: row.outcome for row in world.deps.store.history(GROUP)}
    assert rows == {1: Stage.SUPERSEDED.value}
    queued = world.state().queued
    assert queued is not None and queued.version == 3


def test_a_failed_releases_message_carries_a_retry_button_and_a_live_ones_none(world: World) -> None:
    world.live(1)
    world.fail_staging(2)
    sent = world.deps.notifier.sent  # type: ignore[attr-defined]
    buttons = [
        [element["action_id"] for block in note.blocks if block["type"] == "actions" for element in block["elements"]]
        for note in sent
    ]
    assert buttons[-1] == ["shepherd_retry"]  # production untouched: v1 serves, nothing to roll back to
    assert all(
        "shepherd_retry" not in ids for note, ids in zip(sent, buttons, strict=True) if note.kind != "release.failed"
    )


def test_retry_releases_a_failed_version_again_and_only_that(world: World) -> None:
    world.live(1)
    world.fail_staging(2)
    with pytest.raises(RecoveryRefusedError, match="ended LIVE"):
        retry(GROUP, 1, "ana", "again", world.deps)
    world.endpoints.endpoints.pop(STAGING)
    retry(GROUP, 2, "ana", "quota raised", world.deps)
    assert world.stage() == "v2 STAGING"
    rows = sorted(world.deps.store.history(GROUP), key=lambda row: row.key)
    assert (rows[-1].outcome, rows[-1].reason) == ("RETRY", "by ana: quota raised")
    world.registry.statuses[2] = "Rejected"
    world.fail_staging_again()
    with pytest.raises(RecoveryRefusedError, match="v2 is Rejected"):
        retry(GROUP, 2, "ana", "again", world.deps)
