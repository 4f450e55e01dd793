"""A release engine on fakes for the judged rollouts' service tests: a clock, a scripted judge, variants beside
the endpoints, and the example policy with the rollout keys a test gives it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from chalicelib.adapters.endpoints import SageMakerEndpoints
from chalicelib.adapters.variants import SageMakerVariants
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.service import advance
from chalicelib.release.state import Deployed, Release, Rules, Stage
from tests.fakes.judge import ANALYSIS, ScriptedJudge
from tests.fakes.release import MemoryEndpoints, MemoryStore, memory_deps
from tests.fakes.variants import MemoryVariants
from tests.support.release import Clock

GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/"
PROD = "fraud-detection-prod"
PROGRESSIVE = {"type": "PROGRESSIVE", "steps": [5, 25, 100], "step_minutes": 10}


def judged_policy(monkeypatch: pytest.MonkeyPatch, **release: Any) -> None:
    """The example policy's release section with `release` merged in, and `release.analysis` (its parsing is
    the analysis part's: stubbed here, in tests only)."""
    parse: Any = ReleasePolicy.__dict__["from_section"].__func__

    def with_analysis(cls: type[ReleasePolicy], section: Any, held: str = "") -> ReleasePolicy:
        parsed: ReleasePolicy = parse(cls, {**section, **release}, held)
        return replace(parsed, analysis=ANALYSIS)

    monkeypatch.setattr(ReleasePolicy, "from_section", classmethod(with_analysis))


@dataclass
class World:
    deps: ReleaseDeps
    clock: Clock
    judge: ScriptedJudge
    variants: MemoryVariants

    @property
    def release(self) -> Release:
        found = self.deps.store.load(GROUP).release
        assert found is not None
        return found

    def advance(self, minutes: float = 0) -> None:
        self.clock.advance(minutes=minutes)
        advance(GROUP, self.deps)


def world(store: MemoryStore | None = None, variants: MemoryVariants | None = None) -> World:
    clock, judge = Clock(), ScriptedJudge()
    endpoints = variants.endpoints if variants else MemoryEndpoints()
    assert isinstance(endpoints, MemoryEndpoints)
    deps = memory_deps(GROUP, store, endpoints)
    variants = variants or MemoryVariants(endpoints)
    deps.clock, deps.judge, deps.variants = clock, judge, variants
    return World(deps, clock, judge, variants)


def challenger(weight: int) -> dict[str, int]:
    """The weights of a step: the champion's variant and the challenger's."""
    return {"AllTraffic": 100 - weight, "Challenger": weight}


T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
V1 = Deployed(1, "arn:.../1", "cfg-v1-prd", "gate", T0 - timedelta(days=1))  # the champion


def v2(stage: Stage, rules: Rules, deadline: datetime, **changes: Any) -> Release:
    """Version 2 of group g in `stage` (its model m-v2), v1 before it: the pure machine tests' release."""
    base = Release(
        "g",
        2,
        "arn:.../2",
        "gate",
        stage,
        T0 - timedelta(minutes=20),
        deadline,
        "m-v2",
        "m-v2-stg",
        "m-v2-prd",
        rules,
        previous=V1,
    )
    return replace(base, **changes)


def on_moto(judge: ScriptedJudge) -> tuple[Any, Clock, SageMakerVariants, Any]:
    """The release engine with SageMaker's endpoints and variants on moto (inside `mock_aws`): its deps, clock,
    variants adapter and SageMaker client."""
    client = boto3.client("sagemaker")
    deps = memory_deps(GROUP, endpoints=SageMakerEndpoints(client))  # type: ignore[arg-type]
    clock = Clock()
    variants = SageMakerVariants(client)
    deps.clock, deps.judge, deps.variants = clock, judge, variants
    return deps, clock, variants, client


def step(deps: Any, clock: Clock, minutes: float = 0) -> None:
    clock.advance(minutes=minutes)
    advance(GROUP, deps)
