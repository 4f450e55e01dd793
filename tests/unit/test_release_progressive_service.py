"""PROGRESSIVE through the release services, on fakes: the split config, weights step by step, the challenger
judged against the champion, a failed step drained and restored, repeated and refused moves, a restart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from chalicelib.analysis.ports import Subject
from chalicelib.release.policy import Deployment
from chalicelib.release.ports import EndpointView
from chalicelib.release.reactions import on_endpoint_change
from chalicelib.release.service import on_approved
from chalicelib.release.state import Stage
from chalicelib.shared.errors import ProductionBusyError
from tests.fakes.endpoints import SettlingEndpoints
from tests.fakes.gate import RecordingNotifier
from tests.fakes.judge import FAIL
from tests.fakes.release import MemoryEndpoints, MemoryStore
from tests.fakes.variants import MemoryVariants
from tests.support.rollout import ARN, GROUP, PROD, PROGRESSIVE, World, challenger, judged_policy, world


@pytest.fixture(autouse=True)
def progressive_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    judged_policy(monkeypatch, deployment=PROGRESSIVE)


def with_v1_live() -> World:
    """v1, the first release, goes all at once (no champion), judged in its watch window; then v2 starts."""
    here = world()
    on_approved(ARN + "1", here.deps)
    here.advance()
    here.advance()
    watching = here.release
    here.advance(61)
    assert (watching.stage, here.release.stage, here.variants.calls) == (Stage.WATCHING, Stage.LIVE, [])
    on_approved(ARN + "2", here.deps)
    here.advance()  # staging InService: smoke tests, then the split config deployed
    here.advance()  # production InService on the split: the first step starts
    assert (here.release.stage, here.release.rollout.step_since) == (Stage.PRODUCTION, here.clock.now)
    return here


def test_each_step_is_held_judged_against_the_champion_then_the_challenger_takes_production() -> None:
    here = with_v1_live()
    v1 = here.deps.store.load(GROUP).live
    assert v1 is not None and v1.version == 1
    split = f"{here.release.model}-spl"
    assert here.variants.configs[split].champion_config == v1.config
    asked_from = len(here.judge.asked)
    for _ in range(3):
        here.advance(10)
    assert here.variants.calls == [
        f"create_split_config {split} 5",
        f"set_weights {challenger(25)}",
        f"set_weights {challenger(100)}",
    ]
    subjects = [subject for subject, _, _ in here.judge.asked[asked_from:]]
    compared, alone = Subject(PROD, "Challenger", "AllTraffic"), Subject(PROD, "Challenger")
    assert subjects == [compared, compared, alone]  # at 100% the champion serves nothing to compare with
    assert (here.release.rollout.step, here.deps.endpoints.describe(PROD).config) == (  # type: ignore[union-attr]
        3,
        here.release.production_config,
    )
    here.advance()
    assert here.release.stage is Stage.WATCHING
    assert here.deps.store.load(GROUP).live.version == 2  # type: ignore[union-attr]
    assert isinstance(here.deps.notifier, RecordingNotifier)
    live = here.deps.notifier.sent[-1]
    assert (live.kind, live.body["last_measurement"]) == ("release.live", here.release.rollout.results[-1])


def test_a_failed_step_drains_the_challenger_then_restores_the_champion() -> None:
    here = with_v1_live()
    v1_config = here.deps.store.load(GROUP).live.config  # type: ignore[union-attr]
    here.advance(10)  # 5% passed: 25%
    here.judge.script.append(FAIL)
    here.advance(2)
    ended = here.release
    assert ended.stage is Stage.ROLLED_BACK
    assert ended.reason == f"aborted at 25%: the metric analysis failed 1 time(s): {FAIL.summary}"
    assert here.variants.calls[-1] == f"set_weights {challenger(0)}"
    assert here.deps.endpoints.describe(PROD).config == v1_config  # type: ignore[union-attr]
    assert here.deps.store.load(GROUP).live.version == 1  # type: ignore[union-attr]
    [row] = [row for row in here.deps.store.history(GROUP) if row.version == 2]
    assert (row.outcome, row.reason) == ("ROLLED_BACK", ended.reason)


def test_repeated_looks_at_a_step_set_no_weight_twice_and_judge_nothing_twice() -> None:
    here = with_v1_live()
    here.advance(10)
    calls, asked = list(here.variants.calls), list(here.judge.asked)
    for _ in range(3):
        here.advance()  # duplicated events, the reconciler: the same moment
    assert (here.variants.calls, here.judge.asked) == (calls, asked)


@dataclass
class BusyOnce(MemoryVariants):
    busy: bool = True

    def set_weights(self, endpoint: str, weights: Mapping[str, int]) -> None:
        if self.busy:
            self.busy = False
            raise ProductionBusyError("update_endpoint_weights_and_capacities: Cannot update in-progress endpoint")
        super().set_weights(endpoint, weights)


def test_weights_refused_while_production_updates_are_set_on_the_next_look() -> None:
    here = with_v1_live()
    busy = BusyOnce(here.variants.endpoints, here.variants.configs)
    here.deps.variants = busy
    here.advance(10)  # the step passed; the weights were refused: the step is recorded, the weights wait
    assert (here.release.rollout.step, busy.calls) == (1, [])
    here.advance()
    assert busy.calls == [f"set_weights {challenger(25)}"]
    assert here.release.stage is Stage.PRODUCTION


def test_a_restarted_process_continues_the_step_from_the_stored_state() -> None:
    here = with_v1_live()
    here.advance(10)
    judged_until = here.release.rollout.judged_until
    store = here.deps.store
    assert isinstance(store, MemoryStore)
    fresh = world(store, MemoryVariants(here.variants.endpoints, here.variants.configs, here.variants.weights))
    fresh.clock.now = here.clock.now
    fresh.advance(10)
    assert fresh.variants.calls == [f"set_weights {challenger(100)}"]
    assert fresh.judge.asked[0][1] == judged_until  # measured from where the stopped process left off
    assert fresh.release.rollout.step == 2


def test_a_step_is_not_judged_or_moved_while_production_updates() -> None:
    here = with_v1_live()
    here.advance(10)  # 25%: the weights change, production Updating until they settle
    split = here.deps.endpoints.describe(PROD)
    assert isinstance(here.deps.endpoints, MemoryEndpoints) and split is not None
    here.deps.endpoints.endpoints[PROD] = EndpointView("Updating", split.config)
    before, asked = here.release, len(here.judge.asked)
    here.advance(15)  # the step's time is over, but nothing is judged on an endpoint mid-update
    assert (here.release, len(here.judge.asked)) == (before, asked)
    here.deps.endpoints.endpoints[PROD] = split  # settled: the whole step is judged, then the next one
    here.advance()
    since = before.rollout.step_since
    assert since is not None and here.judge.asked[-1][1:] == (since, since + timedelta(minutes=10))
    assert here.release.rollout.step == 2


@dataclass
class RecordingEndpoints(MemoryEndpoints):
    moves: list[tuple[str, str | None]] = field(default_factory=list)  # (config, its DeploymentConfig's traffic)

    def deploy(self, name: str, config: str, deployment: Deployment | None = None) -> None:
        self.moves.append((config, deployment.traffic if deployment else None))
        super().deploy(name, config, deployment)


def test_a_first_release_goes_all_at_once_and_the_last_move_off_the_split_is_a_plain_update() -> None:
    endpoints = RecordingEndpoints()
    here = world(variants=MemoryVariants(endpoints))
    on_approved(ARN + "1", here.deps)
    for minutes in (0, 0, 61):
        here.advance(minutes)
    on_approved(ARN + "2", here.deps)
    for minutes in (0, 0, 10, 10, 10):
        here.advance(minutes)
    production = [move for move in endpoints.moves if move[0].endswith(("-prd", "-spl"))]
    v2 = here.release.model
    assert production[0][1] == "ALL_AT_ONCE"  # v1: no champion, the policy's blue/green all at once
    assert production[1:] == [(f"{v2}-spl", None), (f"{v2}-prd", None)]


def test_a_restore_refused_while_the_drain_settles_goes_on_productions_next_event() -> None:
    here = with_v1_live()
    state = here.deps.store.load(GROUP)
    assert state.live is not None and state.release is not None
    endpoints = SettlingEndpoints(dict(here.variants.endpoints.endpoints))  # production now takes time
    variants = MemoryVariants(endpoints, here.variants.configs)
    here.deps.endpoints, here.deps.variants = endpoints, variants
    here.judge.script.append(FAIL)
    here.advance(2)  # failed: the challenger drained (production Updating), the restore refused meanwhile
    assert here.release.stage is Stage.ROLLED_BACK
    assert variants.calls == [f"set_weights {challenger(0)}"] and endpoints.deploys == []
    endpoints.settle(PROD, "in_service")  # the weights settled: SageMaker's endpoint event
    on_endpoint_change(PROD, here.deps)
    assert endpoints.deploys == [(PROD, state.live.config)]
    endpoints.settle(PROD, "in_service")
    assert endpoints.describe(PROD) == EndpointView("InService", state.live.config)


def test_an_alarm_event_mid_step_drains_the_challenger_and_restores_the_champion() -> None:
    from chalicelib.release.machine import AlarmsFiring
    from chalicelib.release.service import advance

    here = with_v1_live()
    v1_config = here.deps.store.load(GROUP).live.config  # type: ignore[union-attr]
    here.advance(10)  # 5% passed: 25%
    now = here.clock.now
    advance(GROUP, here.deps, AlarmsFiring(now, ("fraud-detection-prod-5xx",), now))
    ended = here.release
    assert (ended.stage, ended.reason) == (
        Stage.ROLLED_BACK,
        "aborted at 25%: alarm fraud-detection-prod-5xx fired while the challenger took traffic",
    )
    assert here.variants.calls[-1] == f"set_weights {challenger(0)}"
    assert here.deps.endpoints.describe(PROD).config == v1_config  # type: ignore[union-attr]
