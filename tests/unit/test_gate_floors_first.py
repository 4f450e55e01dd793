"""Floors decide first on the metrics a version has: a broken floor rejects, whatever else is missing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.gate.decision import Champion, evaluate
from chalicelib.gate.verdict import Outcome
from tests.support.policies import example_policy

GOOD = {"auc": 0.95, "precision": 0.91, "recall": 0.84, "latency_p99_ms": 42.0}
POLICY = example_policy()  # floors: auc >= 0.8, precision >= 0.7; the bar also needs recall and latency
FLOORS = {bound.metric: bound for bound in POLICY.floors.bounds}


def test_rejects_a_version_below_a_floor_when_a_bar_only_metric_is_missing() -> None:
    decision = evaluate(POLICY, {"auc": 0.52, "precision": 0.91, "recall": 0.84}, None)
    assert decision.outcome is Outcome.REJECT
    assert "auc 0.52 >= 0.8 FAIL" in decision.reasons
    assert any("metrics missing: latency_p99_ms" in line for line in decision.reasons), decision.reasons


def test_the_reasons_list_every_check_not_only_the_first_problem() -> None:
    decision = evaluate(POLICY, {"auc": 0.52, "precision": 0.91, "recall": 0.5}, None)
    assert decision.outcome is Outcome.REJECT
    for line in ("auc 0.52 >= 0.8 FAIL", "precision 0.91 >= 0.7 ok", "recall 0.5 >= 0.75 FAIL"):
        assert line in decision.reasons, decision.reasons
    assert any("latency_p99_ms" in line and "FAIL" in line for line in decision.reasons), decision.reasons


def test_a_missing_metric_with_every_present_floor_met_still_goes_to_review() -> None:
    decision = evaluate(POLICY, {"auc": 0.95, "precision": 0.91}, None)
    assert decision.outcome is Outcome.REVIEW
    assert "auc 0.95 >= 0.9 ok" in decision.reasons  # the bar is checked on what is there


def test_a_missing_floor_metric_is_not_a_broken_floor() -> None:
    assert evaluate(POLICY, {"auc": 0.95, "recall": 0.84, "latency_p99_ms": 42.0}, None).outcome is Outcome.REVIEW


champions = st.none() | st.builds(
    Champion,
    st.just("v1"),
    st.none() | st.dictionaries(st.sampled_from(sorted(GOOD)), st.floats(0, 1000), max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(
    broken=st.sampled_from(sorted(FLOORS)),
    shortfall=st.floats(min_value=1e-6, max_value=1e6, allow_nan=False),
    present=st.sets(st.sampled_from(sorted(GOOD))),
    champion=champions,
)
def test_a_version_failing_any_floor_on_present_metrics_is_always_rejected(
    broken: str, shortfall: float, present: set[str], champion: Champion | None
) -> None:
    metrics = {name: GOOD[name] for name in present} | {broken: FLOORS[broken].limit - shortfall}
    decision = evaluate(POLICY, metrics, champion)
    assert decision.outcome is Outcome.REJECT, decision.reasons
    assert any(line.startswith(f"{broken} ") and line.endswith("FAIL") for line in decision.reasons)
