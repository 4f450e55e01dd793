"""Manual promotion's use cases on the in-memory fakes: promote, stop, the reconciler's reminder and expiry,
a newer version superseding, refusals, and a click racing the expiry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.ports import PackageApproval
from chalicelib.release.promotion import promote, stop
from chalicelib.release.reconcile import reconcile
from chalicelib.release.rejection import on_rejected
from chalicelib.release.rollback import rollback
from chalicelib.release.service import advance, on_approved
from chalicelib.release.state import Stage
from chalicelib.shared.errors import PromotionRefusedError
from tests.fakes.gate import RecordingNotifier
from tests.fakes.policies import FakePolicies
from tests.fakes.release import GoodAnswers, MemoryEndpoints, MemoryStore, QuietAlarms, fixed_clock
from tests.support.policies import example_document, example_policy

GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/"
PROD = "fraud-detection-prod"
MANUAL = {"mode": "manual", "expires_hours": 72, "remind_after_hours": 24}


@dataclass
class Clock:
    now: datetime = field(default_factory=fixed_clock)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Packages:
    """Every version Approved unless told otherwise; `on_read` runs before an answer (a race's other side)."""

    status: dict[str, str] = field(default_factory=dict)
    on_read: list[object] = field(default_factory=list)

    def approval(self, arn: str) -> PackageApproval:
        while self.on_read:
            step = self.on_read.pop(0)
            assert callable(step)
            step()
        return PackageApproval(arn, GROUP, int(arn.rsplit("/", 1)[1]), self.status.get(arn, "Approved"), "gate")


@dataclass
class World:
    clock: Clock = field(default_factory=Clock)
    packages: Packages = field(default_factory=Packages)
    notifier: RecordingNotifier = field(default_factory=RecordingNotifier)
    endpoints: MemoryEndpoints = field(default_factory=MemoryEndpoints)
    store: MemoryStore = field(default_factory=MemoryStore)

    def deps(self) -> ReleaseDeps:
        release = {**example_document()["release"], "promotion": MANUAL}
        policies = FakePolicies({GROUP: example_policy(release=release)})
        return ReleaseDeps(
            self.store, self.endpoints, GoodAnswers(), QuietAlarms(), self.packages, policies, self.notifier, self.clock
        )

    def stage(self) -> Stage | None:
        release = self.store.load(GROUP).release
        return release.stage if release else None

    def kinds(self) -> list[str]:
        return [sent.kind for sent in self.notifier.sent]

    def rows(self) -> list[tuple[int, str, str]]:
        return [(row.version, row.outcome, row.reason) for row in sorted(self.store.rows.values(), key=lambda r: r.key)]


@pytest.fixture
def world() -> World:
    """v1 awaiting promotion: approved, staged, smoke-tested."""
    built = World()
    deps = built.deps()
    on_approved(ARN + "1", deps)
    advance(GROUP, deps)  # staging InService on its config: smoke tests pass
    assert built.stage() is Stage.AWAITING_PROMOTION
    return built


def test_production_is_untouched_while_the_release_awaits_promotion(world: World) -> None:
    assert PROD not in world.endpoints.endpoints
    assert world.kinds() == ["release.awaiting_promotion"]
    message = world.notifier.sent[0]
    buttons = next(block for block in message.blocks if block["type"] == "actions")["elements"]
    assert [button["action_id"] for button in buttons] == ["shepherd_promote", "shepherd_stop"]
    assert "all 2 passed on staging" in str(message.blocks)


def test_promote_deploys_production_and_the_history_says_who_when_and_why(world: World) -> None:
    world.clock.advance(hours=3)
    promote(GROUP, 1, "cli:jane", "reviewed the shadow traffic", world.deps())
    assert world.endpoints.endpoints[PROD].status == "InService"
    assert world.stage() in (Stage.PRODUCTION, Stage.WATCHING)
    promoted = [row for row in world.store.rows.values() if row.outcome == "PROMOTED"]
    assert [(row.reason, row.key[:19]) for row in promoted] == [
        ("by cli:jane: reviewed the shadow traffic", (fixed_clock() + timedelta(hours=3)).isoformat()[:19])
    ]


def test_a_second_promote_is_refused_and_changes_nothing(world: World) -> None:
    promote(GROUP, 1, "cli:jane", "go", world.deps())
    before = world.store.load(GROUP)
    with pytest.raises(PromotionRefusedError, match="nothing in"):
        promote(GROUP, 1, "cli:bo", "go too", world.deps())
    assert world.store.load(GROUP) == before


def test_stop_ends_it_and_production_stays_as_it_was(world: World) -> None:
    stop(GROUP, None, "cli:bo", "feature drift", world.deps())
    assert world.stage() is Stage.STOPPED
    assert PROD not in world.endpoints.endpoints
    assert (1, "STOPPED", "stopped by cli:bo: feature drift") in world.rows()
    assert world.kinds()[-1] == "release.stopped"


def test_promote_or_stop_of_another_version_is_refused(world: World) -> None:
    with pytest.raises(PromotionRefusedError, match="v1 does"):
        promote(GROUP, 2, "cli:jane", "go", world.deps())
    with pytest.raises(PromotionRefusedError, match="v1 does"):
        stop(GROUP, 7, "cli:jane", "no", world.deps())


def test_the_reconciler_reminds_once_then_expires_it_and_people_are_told(world: World) -> None:
    world.clock.advance(hours=23)
    reconcile(world.deps())
    assert world.kinds() == ["release.awaiting_promotion"]
    world.clock.advance(hours=1)
    reconcile(world.deps())
    reconcile(world.deps())
    assert world.kinds() == ["release.awaiting_promotion", "release.promotion_reminder"]
    world.clock.advance(hours=48)
    reconcile(world.deps())
    assert world.stage() is Stage.EXPIRED
    assert world.kinds()[-1] == "release.expired"
    assert PROD not in world.endpoints.endpoints
    assert world.rows()[-1][:2] == (1, "EXPIRED")


def test_promotion_after_the_candidate_was_rejected_is_refused(world: World) -> None:
    world.packages.status[ARN + "1"] = "Rejected"
    on_rejected(ARN + "1", world.deps())
    assert world.stage() is Stage.FAILED
    with pytest.raises(PromotionRefusedError, match="FAILED"):
        promote(GROUP, 1, "cli:jane", "go", world.deps())
    assert PROD not in world.endpoints.endpoints


def test_promotion_of_a_candidate_rejected_while_its_event_was_lost_is_refused_and_ends_it(world: World) -> None:
    world.packages.status[ARN + "1"] = "Rejected"  # no Rejected event reached the engine
    with pytest.raises(PromotionRefusedError, match="Rejected"):
        promote(GROUP, 1, "cli:jane", "go", world.deps())
    assert world.stage() is Stage.FAILED
    assert PROD not in world.endpoints.endpoints


def test_expiry_while_a_click_is_in_flight_wins_and_the_click_is_refused(world: World) -> None:
    deps = world.deps()

    def reconciler_expires_it_first() -> None:
        world.clock.advance(hours=72)
        reconcile(world.deps())

    world.packages.on_read.append(reconciler_expires_it_first)  # between the click's read and its write
    with pytest.raises(PromotionRefusedError, match="EXPIRED"):
        promote(GROUP, 1, "slack:jane", "go", deps)
    assert world.stage() is Stage.EXPIRED
    assert PROD not in world.endpoints.endpoints
    assert [row[1] for row in world.rows()].count("EXPIRED") == 1


def test_a_click_after_the_deadline_before_the_reconciler_ran_expires_it(world: World) -> None:
    world.clock.advance(hours=72, minutes=1)
    with pytest.raises(PromotionRefusedError, match="not promoted within 72 h"):
        promote(GROUP, 1, "slack:jane", "go", world.deps())
    assert world.stage() is Stage.EXPIRED


def test_a_newer_approved_version_supersedes_the_waiting_one_and_starts(world: World) -> None:
    on_approved(ARN + "2", world.deps())
    state = world.store.load(GROUP)
    assert state.release is not None and (state.release.version, state.release.stage) == (2, Stage.STAGING)
    assert (1, "SUPERSEDED", "v2 was approved while it awaited promotion") in world.rows()
    assert "release.superseded" in world.kinds()
    on_approved(ARN + "1", world.deps())  # a replayed Approved event for v1 restarts nothing
    assert world.store.load(GROUP).release == state.release


def go_live(world: World, version: int) -> None:
    if version > 1:
        on_approved(ARN + str(version), world.deps())
        advance(GROUP, world.deps())
    promote(GROUP, version, "cli:jane", "go", world.deps())
    reconcile(world.deps())  # production InService on its config: WATCHING
    world.clock.advance(hours=2)
    reconcile(world.deps())  # the watch window is over: LIVE


def test_a_rollback_stops_the_waiting_release(world: World) -> None:
    go_live(world, 1)
    go_live(world, 2)
    on_approved(ARN + "3", world.deps())
    advance(GROUP, world.deps())
    assert world.stage() is Stage.AWAITING_PROMOTION
    rollback(GROUP, None, "cli:bo", "v2 misbehaves", world.deps())
    assert world.stage() is Stage.STOPPED
    with pytest.raises(PromotionRefusedError):
        promote(GROUP, 3, "cli:jane", "go", world.deps())
    live = world.store.load(GROUP).live
    assert live is not None and live.version == 1
