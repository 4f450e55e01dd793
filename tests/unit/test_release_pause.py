"""People decide about a PAUSED release, on the in-memory fakes: Continue (each refusal, the happy path, a double
continue, a lost write race) and the Roll back of a paused release (never live, or live when it paused)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import pytest

from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.history import history
from chalicelib.release.pause import continue_paused, paused, roll_back_paused
from chalicelib.release.paused import resumed_stage, stage_deadline
from chalicelib.release.ports import EndpointView, PackageApproval
from chalicelib.release.results import Progress
from chalicelib.release.rollback import rollback
from chalicelib.release.state import Deployed, GroupState, HistoryRow, Rules, Stage
from chalicelib.shared.errors import ConflictError, PauseRefusedError, ProductionBusyError
from tests.fakes.gate import RecordingNotifier
from tests.fakes.policies import FakePolicies
from tests.fakes.release import GoodAnswers, MemoryEndpoints, MemoryStore, QuietAlarms, fixed_clock
from tests.support.paused import JUDGEMENTS, paused_state
from tests.support.policies import example_policy

GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/"
PROD = "fraud-detection-prod"
NOW = fixed_clock()


@dataclass
class Packages:
    status: dict[str, str] = field(default_factory=dict)

    def approval(self, arn: str) -> PackageApproval:
        return PackageApproval(arn, GROUP, int(arn.rsplit("/", 1)[1]), self.status.get(arn, "Approved"), "gate")


@dataclass
class RacingStore(MemoryStore):
    """Loses the next `races` writes to another writer (the reconciler, a second click)."""

    races: int = 0

    def save(self, state: GroupState, rows: Sequence[HistoryRow] = ()) -> GroupState:
        if self.races:
            self.races -= 1
            raise ConflictError(state.group)
        return super().save(state, rows)


@dataclass
class World:
    store: MemoryStore = field(default_factory=RacingStore)
    endpoints: MemoryEndpoints = field(default_factory=MemoryEndpoints)
    packages: Packages = field(default_factory=Packages)
    notifier: RecordingNotifier = field(default_factory=RecordingNotifier)
    now: datetime = NOW

    def deps(self) -> ReleaseDeps:
        policies = FakePolicies({GROUP: example_policy()})
        return ReleaseDeps(
            self.store,
            self.endpoints,
            GoodAnswers(),
            QuietAlarms(),
            self.packages,
            policies,
            self.notifier,
            lambda: self.now,
        )

    def pause(self, paused_from: Stage = Stage.PRODUCTION) -> None:
        """v1 was live (v0 before it); v2 paused at `paused_from`."""
        v0 = Deployed(0, ARN + "0", "fraud-v0-prod", "gate", NOW - timedelta(days=9))
        v1 = Deployed(1, ARN + "1", "fraud-v1-prod", "gate", NOW - timedelta(days=2), 0, "k1")
        state = paused_state(GroupState(GROUP, live=v1, good=(v0,)), 2, NOW, paused_from)
        self.store.save(state)
        config = state.release.production_config if state.release and paused_from is Stage.WATCHING else v1.config
        self.endpoints.endpoints[PROD] = EndpointView("InService", config)

    def state(self) -> GroupState:
        return self.store.load(GROUP)

    def kinds(self) -> list[str]:
        return [sent.kind for sent in self.notifier.sent]

    def outcomes(self) -> list[tuple[int, str, str]]:
        return [(row.version, row.outcome, row.reason) for row in history(GROUP, self.store).rows]


@pytest.fixture
def world() -> World:
    built = World()
    built.pause()
    return built


def test_continue_returns_it_to_the_stage_it_paused_at_with_a_fresh_deadline(world: World) -> None:
    world.now = NOW + timedelta(minutes=20)
    result = continue_paused(GROUP, 2, "cli:ana", "the metric exporter was down", world.deps())
    assert result == Progress(GROUP, 2, Stage.PRODUCTION, "continued by cli:ana: the metric exporter was down")
    release = world.state().release
    assert release is not None
    assert (release.stage, release.deadline) == (Stage.PRODUCTION, NOW + timedelta(minutes=20 + 60))
    assert (release.rollout.inconclusive, release.rollout.paused_from) == (0, None)
    assert (release.rollout.step, release.rollout.results) == (1, JUDGEMENTS)  # where it stood and why: kept
    assert world.outcomes() == [(2, "CONTINUED", "by cli:ana: the metric exporter was down")]
    assert world.kinds() == ["release.continued"]
    assert world.notifier.sent[0].body["actor"] == "cli:ana"


def test_a_release_paused_in_its_watch_window_goes_back_to_watching(world: World) -> None:
    watched = World()
    watched.pause(Stage.WATCHING)
    continue_paused(GROUP, None, "cli:ana", "no traffic at night", watched.deps())
    release = watched.state().release
    assert release is not None and release.stage is Stage.WATCHING
    assert release.deadline == NOW + release.rules.watch


def test_a_double_continue_continues_once(world: World) -> None:
    continue_paused(GROUP, 2, "cli:ana", "go", world.deps())
    before = world.state()
    with pytest.raises(PauseRefusedError, match=r"nothing in fraud-detection-models is PAUSED: .* v2, is PRODUCTION"):
        continue_paused(GROUP, 2, "cli:bo", "go too", world.deps())
    assert world.state() == before
    assert [outcome for _, outcome, _ in world.outcomes()] == ["CONTINUED"]


def test_continue_of_another_version_is_refused_naming_the_paused_one(world: World) -> None:
    with pytest.raises(PauseRefusedError, match="v3 is not PAUSED; fraud-detection-models v2 is"):
        continue_paused(GROUP, 3, "cli:ana", "go", world.deps())
    assert world.state().release.stage is Stage.PAUSED  # type: ignore[union-attr]


def test_continue_with_nothing_paused_names_the_stage_it_is_in() -> None:
    empty = World()
    with pytest.raises(PauseRefusedError, match="it has no release"):
        continue_paused(GROUP, None, "cli:ana", "go", empty.deps())
    with pytest.raises(PauseRefusedError, match="it has no release"):
        paused(GROUP, 1, empty.deps())


def test_continue_past_the_pause_deadline_is_refused_the_clock_decided_first(world: World) -> None:
    world.now = NOW + timedelta(hours=1)
    with pytest.raises(PauseRefusedError, match="paused past its deadline"):
        continue_paused(GROUP, 2, "cli:ana", "go", world.deps())
    assert world.state().release.stage is Stage.PAUSED  # type: ignore[union-attr]
    assert world.kinds() == []


def test_continue_of_a_version_rejected_meanwhile_is_refused(world: World) -> None:
    world.packages.status[ARN + "2"] = "Rejected"
    with pytest.raises(PauseRefusedError, match="v2 is Rejected"):
        continue_paused(GROUP, 2, "cli:ana", "go", world.deps())
    assert world.outcomes() == []


def test_a_lost_write_race_is_looked_at_again_and_continues_once(world: World) -> None:
    assert isinstance(world.store, RacingStore)
    world.store.races = 1
    continue_paused(GROUP, 2, "cli:ana", "go", world.deps())
    assert world.state().release.stage is Stage.PRODUCTION  # type: ignore[union-attr]
    assert world.kinds() == ["release.continued"]


def test_continual_races_give_up_changing_nothing(world: World) -> None:
    assert isinstance(world.store, RacingStore)
    world.store.races = 3
    with pytest.raises(ConflictError, match="kept changing"):
        continue_paused(GROUP, 2, "cli:ana", "go", world.deps())
    assert world.state().release.stage is Stage.PAUSED  # type: ignore[union-attr]


def test_rolling_back_a_release_paused_before_it_went_live_serves_the_live_version_alone(world: World) -> None:
    world.endpoints.endpoints[PROD] = EndpointView("InService", "fraud-v2-split")  # champion and challenger
    result = rollback(GROUP, None, "cli:bo", "latency unknown, not worth it", world.deps())
    assert (result.from_version, result.to_version) == (2, 1)
    state = world.state()
    assert state.release is not None and state.release.stage is Stage.ROLLED_BACK
    assert state.release.reason == "rolled back by cli:bo: latency unknown, not worth it"
    assert state.release.reached == "PAUSED"
    assert state.live is not None and state.live.version == 1
    assert [deployed.version for deployed in state.good] == [0]  # v1 stays live: still v0 behind it
    assert world.endpoints.endpoints[PROD].config == "fraud-v1-prod"
    assert world.outcomes() == [(2, "ROLLED_BACK", "rolled back by cli:bo: latency unknown, not worth it")]
    assert world.kinds() == ["release.rolled_back"]


def test_rolling_back_a_release_paused_in_its_watch_window_returns_to_its_predecessor() -> None:
    watched = World()
    watched.pause(Stage.WATCHING)
    result = roll_back_paused(GROUP, 2, "slack:bo (U1)", "no data is bad data", watched.deps())
    assert (result.from_version, result.to_version) == (2, 1)
    state = watched.state()
    assert state.release is not None and state.release.stage is Stage.ROLLED_BACK
    assert state.live is not None and state.live.version == 1
    assert watched.endpoints.endpoints[PROD].config == "fraud-v1-prod"
    assert (1, "ROLLBACK", "by slack:bo (U1): no data is bad data") in watched.outcomes()


def test_rolling_back_a_paused_release_to_a_named_older_version_ends_it_too(world: World) -> None:
    rollback(GROUP, 0, "cli:bo", "v1 suspect too", world.deps())
    state = world.state()
    assert state.release is not None and state.release.stage is Stage.ROLLED_BACK
    assert state.live is not None and state.live.version == 0


def test_the_paused_roll_back_is_refused_once_the_release_moved_on(world: World) -> None:
    continue_paused(GROUP, 2, "cli:ana", "go", world.deps())
    with pytest.raises(PauseRefusedError, match="is PRODUCTION"):
        roll_back_paused(GROUP, 2, "slack:bo (U1)", "too late", world.deps())
    assert world.endpoints.endpoints[PROD].config == "fraud-v1-prod"
    assert world.state().live is not None and world.state().live.version == 1  # type: ignore[union-attr]


def test_the_paused_roll_back_waits_while_production_is_mid_update(world: World) -> None:
    world.endpoints.endpoints[PROD] = replace(world.endpoints.endpoints[PROD], status="Updating")
    with pytest.raises(ProductionBusyError):
        roll_back_paused(GROUP, 2, "slack:bo (U1)", "now", world.deps())
    assert world.state().release.stage is Stage.PAUSED  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("stage", "deadline"),
    [
        (Stage.STAGING, Rules().staging_deadline),
        (Stage.SMOKE_TESTING, Rules().staging_deadline),
        (Stage.SHADOW, Rules().production_deadline),
        (Stage.PRODUCTION, Rules().production_deadline),
        (Stage.WATCHING, Rules().watch),
    ],
)
def test_each_stage_gets_its_own_deadline_from_the_rules_it_started_under(stage: Stage, deadline: timedelta) -> None:
    assert stage_deadline(Rules(), stage) == deadline


def test_a_release_paused_before_paused_from_was_recorded_resumes_by_what_it_did(world: World) -> None:
    release = world.state().release
    assert release is not None
    unrecorded = replace(release, rollout=replace(release.rollout, paused_from=None))
    assert resumed_stage(unrecorded) is Stage.PRODUCTION
    assert resumed_stage(replace(unrecorded, live_since=NOW)) is Stage.WATCHING
