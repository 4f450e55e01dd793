"""Comparing two versions' metrics: deltas, and verdicts in the policy's directions."""

from __future__ import annotations

import json
from pathlib import Path

from chalicelib.shared.policy import Policy
from shepherd_cli.comparison import compare, directions

POLICY = Policy.from_document(
    json.loads((Path(__file__).parents[2] / "policies" / "fraud-detection-models.json").read_text())
)
LABELS = ("v1", "v2")


def test_directions_come_from_margins_then_bounds() -> None:
    found = directions(POLICY)
    assert found["auc"] == "higher"  # margin and minimum agree
    assert found["latency_p99_ms"] == "lower"  # a maximum bound and a lower-is-better margin
    assert found["recall"] == "higher"  # only a minimum bound
    assert "f1" not in found


def test_no_policy_means_no_direction() -> None:
    assert directions(None) == {}


def test_verdicts_follow_each_metrics_direction() -> None:
    rows = {
        row.metric: row
        for row in compare(
            {"auc": 0.95, "latency_p99_ms": 42, "recall": 0.84, "f1": 0.87},
            {"auc": 0.952, "latency_p99_ms": 61, "recall": 0.84, "f1": 0.88},
            LABELS,
            directions(POLICY),
        )
    }
    assert rows["auc"].verdict == "better"
    assert rows["latency_p99_ms"].verdict == "worse"
    assert rows["recall"].verdict == "same"
    assert rows["f1"].verdict == "changed"  # no direction: shown, not judged
    assert round(rows["latency_p99_ms"].delta or 0, 6) == 19
    assert round(rows["latency_p99_ms"].change_pct or 0, 2) == 45.24


def test_metric_on_one_side_only_is_named() -> None:
    rows = compare({"auc": 0.9}, {"auc": 0.9, "ks": 0.4}, LABELS, {})
    assert [(r.metric, r.verdict, r.delta) for r in rows] == [("auc", "same", 0.0), ("ks", "only in v2", None)]


def test_zero_baseline_has_a_delta_but_no_percentage() -> None:
    [row] = compare({"errors": 0.0}, {"errors": 2.0}, LABELS, {"errors": "lower"})
    assert (row.delta, row.change_pct, row.verdict) == (2.0, None, "worse")


def test_policy_metrics_come_first() -> None:
    rows = compare(
        {"zeta": 1.0, "auc": 0.9, "alpha": 1.0}, {"zeta": 1.0, "auc": 0.9, "alpha": 1.0}, LABELS, {"zeta": "higher"}
    )
    assert [row.metric for row in rows] == ["zeta", "alpha", "auc"]
