"""The event handlers with any field of a documented event dropped or mistyped, envelope included: each
answers, skips, or raises MalformedEventError (so the event is kept in the dead-letter queue); never
another exception. The use cases run on in-memory fakes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib import handlers
from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.bootstrap import Container, use_container
from chalicelib.cleanup.service import CleanupDeps
from chalicelib.gate.once import OnceGate
from chalicelib.gate.result import GateResult
from chalicelib.gate.verdict import Outcome
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.sweep import SweepDeps
from chalicelib.review.service import ReviewDeps
from chalicelib.shared.errors import MalformedEventError
from chalicelib.shared.settings import SOURCE_POLICIES
from tests.fakes.gate import RecordingNotifier
from tests.fakes.policies import FakePolicies
from tests.fakes.registry import EventedRegistry, MemoryCursor
from tests.fakes.release import (
    ApprovedPackages,
    GoodAnswers,
    MemoryEndpoints,
    MemoryStore,
    QuietAlarms,
    fixed_clock,
)
from tests.fakes.slack import FakeLocks
from tests.support.event_shapes import at, fixture, mistyped, paths, replaced, without

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
HANDLERS: list[tuple[str, Handler]] = [
    ("aws-docs-model-package-state-change.json", handlers.on_model_package_pending),
    ("aws-docs-model-package-state-change.json", handlers.on_model_package_decided),
    ("aws-docs-model-package-state-change-update.json", handlers.on_model_package_pending),
    ("aws-docs-model-package-state-change-update.json", handlers.on_model_package_decided),
    ("aws-docs-endpoint-state-change.json", handlers.on_endpoint_state_change),
    ("aws-docs-alarm-state-change-single-metric.json", handlers.on_alarm_state_change),
    ("aws-docs-alarm-state-change-anomaly-detection.json", handlers.on_alarm_state_change),
    ("aws-docs-scheduled-event.json", handlers.on_reconcile_schedule),
    ("aws-docs-scheduled-event.json", handlers.on_cleanup_schedule),
]
ids = [f"{name.removeprefix('aws-docs-').removesuffix('.json')}-{handler.__name__}" for name, handler in HANDLERS]


class ApprovingGate(OnceGate):
    """The gate's once-only wrapper without its idempotency table: every version is approved."""

    def __init__(self) -> None:
        pass

    def decide(self, arn: str, status: str, lambda_context: Any = None) -> GateResult:
        return GateResult(arn, Outcome.APPROVE, applied=True)


def no_cleanup() -> CleanupDeps:
    """Cleanup over no group at all: the scheduled run has nothing to visit."""
    from tests.fakes.cleanup import FakeArtifacts, FakeCleanupRegistry, FakeCleanupState, FakeProtected

    return CleanupDeps(
        FakeCleanupRegistry(),
        FakeArtifacts(),
        FakePolicies({}),
        FakeProtected(),
        FakeCleanupState(),
        RecordingNotifier(),
        fixed_clock,
        reserve_seconds=30,
    )


@pytest.fixture(autouse=True)
def fake_container() -> Iterator[None]:
    deps = ReleaseDeps(
        MemoryStore(),
        MemoryEndpoints(),
        GoodAnswers(),
        QuietAlarms(),
        ApprovedPackages("churn-models"),
        FilePolicyRepository(SOURCE_POLICIES),
        RecordingNotifier(),
        fixed_clock,
    )
    sweep = SweepDeps(EventedRegistry(), ApprovingGate(), MemoryCursor())
    reviews = ReviewDeps(deps.store, EventedRegistry(), FakeLocks(), deps.notifier, fixed_clock)
    gate = ApprovingGate()
    use_container(
        Container(release_deps=deps, sweep_deps=sweep, gate_once=gate, cleanup_deps=no_cleanup(), review_deps=reviews)
    )
    yield
    use_container(None)


@pytest.mark.parametrize(("name", "handler"), HANDLERS, ids=ids)
def test_each_documented_event_is_answered(name: str, handler: Handler) -> None:
    assert isinstance(handler(fixture(name), None), dict)


@pytest.mark.parametrize(("name", "handler"), HANDLERS, ids=ids)
@settings(deadline=None)
@given(data=st.data())
def test_any_field_dropped_or_mistyped_is_answered_or_a_malformed_event(name: str, handler: Handler, data: Any) -> None:
    event = fixture(name)
    path = data.draw(st.sampled_from(paths(event)), label="path")
    if data.draw(st.booleans(), label="drop"):
        broken = without(event, path)
    else:
        broken = replaced(event, path, data.draw(mistyped(at(event, path)), label="value"))
    answer = answered(handler, broken)
    # only what the parsers read can make an event malformed: the envelope never does
    assert isinstance(answer, dict) or (answer is MalformedEventError and path[0] == "detail")


def answered(handler: Handler, event: dict[str, Any]) -> dict[str, Any] | type[MalformedEventError]:
    """The handler's answer, or MalformedEventError when it raised that. Any other exception escapes."""
    try:
        return handler(event, None)
    except MalformedEventError:
        return MalformedEventError
