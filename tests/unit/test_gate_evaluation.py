"""The gate's pure decision, table-driven against the example fraud-detection policy."""

from __future__ import annotations

import pytest

from chalicelib.gate.decision import Champion, evaluate, invalid_metrics
from chalicelib.gate.verdict import Outcome
from tests.support.policies import example_policy

GOOD = {"auc": 0.95, "precision": 0.91, "recall": 0.84, "latency_p99_ms": 42.0}
CHAMPION = Champion("v3 (live)", {"auc": 0.94, "precision": 0.9, "recall": 0.8, "latency_p99_ms": 40.0})


@pytest.mark.parametrize(
    ("name", "metrics", "champion", "outcome", "reason"),
    [
        ("first version meeting the bar", GOOD, None, Outcome.APPROVE, "no champion yet"),
        ("beats the champion", GOOD, CHAMPION, Outcome.APPROVE, "beats v3 (live)"),
        ("auc below floor", {**GOOD, "auc": 0.79}, CHAMPION, Outcome.REJECT, "auc 0.79 >= 0.8 FAIL"),
        ("precision below floor", {**GOOD, "precision": 0.5}, None, Outcome.REJECT, "precision 0.5 >= 0.7 FAIL"),
        ("floor met, bar missed", {**GOOD, "auc": 0.85}, None, Outcome.REVIEW, "auc 0.85 >= 0.9 FAIL"),
        ("latency over the bar", {**GOOD, "latency_p99_ms": 300.0}, None, Outcome.REVIEW, "300 <= 250 FAIL"),
        ("auc gain too small", {**GOOD, "auc": 0.943}, CHAMPION, Outcome.REVIEW, "gain +0.003 >= +0.005 FAIL"),
        ("latency 10% worse is allowed", {**GOOD, "latency_p99_ms": 44.0}, CHAMPION, Outcome.APPROVE, "gain -10%"),
        ("latency 12.5% worse", {**GOOD, "latency_p99_ms": 45.0}, CHAMPION, Outcome.REVIEW, "-12.5% >= -10% FAIL"),
        ("required metric missing", {"auc": 0.95}, None, Outcome.REVIEW, "metrics missing: latency_p99_ms"),
        (
            "champion metrics unreadable",
            GOOD,
            Champion("v3 (live)", None, problem="NoSuchKey"),
            Outcome.REVIEW,
            "cannot compare with v3 (live): NoSuchKey",
        ),
        ("champion lacks a margin metric", GOOD, Champion("v2", {"auc": 0.9}), Outcome.REVIEW, "v2 has no latency"),
    ],
)
def test_gate_outcome(
    name: str, metrics: dict[str, float], champion: Champion | None, outcome: Outcome, reason: str
) -> None:
    decision = evaluate(example_policy(), metrics, champion)
    assert decision.outcome is outcome, name
    assert any(reason in line for line in decision.reasons), decision.reasons


def test_a_broken_floor_rejects_even_when_the_champion_is_unreadable() -> None:
    decision = evaluate(example_policy(), {**GOOD, "auc": 0.5}, Champion("v1", None, "AccessDenied"))
    assert decision.outcome is Outcome.REJECT


def test_every_check_states_its_numbers() -> None:
    decision = evaluate(example_policy(), GOOD, CHAMPION)
    assert [c.render() for c in decision.checks][:2] == ["auc 0.95 >= 0.8 ok", "precision 0.91 >= 0.7 ok"]
    assert "auc 0.95 vs champion 0.94 (higher is better): gain +0.01 >= +0.005 ok" in decision.reasons


def test_invalid_metrics_go_to_review_by_default_and_reject_when_the_policy_says_so() -> None:
    assert invalid_metrics(example_policy(), "not JSON").outcome is Outcome.REVIEW
    assert invalid_metrics(example_policy(on_invalid_metrics="reject"), "not JSON").outcome is Outcome.REJECT


def test_lower_is_better_min_gain_pct_requires_improvement() -> None:
    policy = example_policy(champion_margins={"latency_p99_ms": {"better": "lower", "min_gain_pct": 5}})
    faster = evaluate(policy, {**GOOD, "latency_p99_ms": 37.0}, CHAMPION)
    slower = evaluate(policy, {**GOOD, "latency_p99_ms": 39.0}, CHAMPION)
    assert (faster.outcome, slower.outcome) == (Outcome.APPROVE, Outcome.REVIEW)


def test_absolute_max_loss_allows_a_bounded_drop() -> None:
    policy = example_policy(champion_margins={"recall": {"better": "higher", "max_loss": 0.02}})
    assert evaluate(policy, {**GOOD, "recall": 0.785}, CHAMPION).outcome is Outcome.APPROVE
    assert evaluate(policy, {**GOOD, "recall": 0.775}, CHAMPION).outcome is Outcome.REVIEW


def test_percent_margin_against_a_zero_champion_is_defined() -> None:
    policy = example_policy(champion_margins={"auc": {"better": "higher", "min_gain_pct": 1}})
    zero = Champion("v1", {"auc": 0.0})
    assert evaluate(policy, GOOD, zero).outcome is Outcome.APPROVE


def test_the_review_headline_names_the_bar_it_is_under_or_says_not_clearly_better() -> None:
    under = evaluate(example_policy(), {**GOOD, "latency_p99_ms": 250.0004, "recall": 0.7}, CHAMPION)
    assert under.summary == "under the approval bar (recall, latency_p99_ms): people decide"
    short_of_champion = evaluate(example_policy(), {**GOOD, "auc": 0.943}, CHAMPION)
    assert short_of_champion.summary == "not clearly better: people decide"
