"""Samples per query Id -> the Judgement: thresholds on the challenger's window, the comparison with the champion."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.analysis.judging import judgement
from chalicelib.analysis.policy import Analysis, MetricCheck
from chalicelib.analysis.ports import Subject
from chalicelib.analysis.verdict import Verdict
from chalicelib.analysis.window import aggregate, number

LATENCY = MetricCheck("latency", "ModelLatency", "p99", maximum=250000)
COMPARED = MetricCheck("latency", "ModelLatency", "p99", tolerance=0.1)
ERRORS = MetricCheck("errors", "Invocation5XXErrors", "Sum", per="Invocations", maximum=0.01)
AUC = MetricCheck("auc", "LiveAuc", "Average", namespace="Fraud/Online", tolerance=0.05, higher_is_worse=False)
BLUE_GREEN = Subject("fraud-prod", "AllTraffic")
PROGRESSIVE = Subject("fraud-prod", "Challenger", baseline="AllTraffic")


def judged(check: MetricCheck, subject: Subject, min_samples: int = 5, **samples: list[float]) -> tuple[Verdict, str]:
    [result] = judgement(Analysis((check,), min_samples=min_samples), subject, samples).checks
    return result.verdict, result.detail


def test_a_p99_above_its_maximum_fails_and_says_so() -> None:
    assert judged(LATENCY, BLUE_GREEN, c0=[120000, 312000, 140000]) == (
        Verdict.FAIL,
        "p99 ModelLatency 312000 > 250000 on AllTraffic",
    )


def test_a_value_within_its_bounds_passes() -> None:
    verdict, detail = judged(LATENCY, BLUE_GREEN, c0=[120000, 140000])
    assert (verdict, detail) == (Verdict.PASS, "p99 ModelLatency 140000 <= 250000 on AllTraffic")


def test_below_a_minimum_fails() -> None:
    check = MetricCheck("auc", "LiveAuc", "Average", minimum=0.8)
    assert judged(check, BLUE_GREEN, c0=[0.7, 0.8]) == (Verdict.FAIL, "Average LiveAuc 0.75 < 0.8 on AllTraffic")
    assert judged(check, BLUE_GREEN, c0=[0.9]) == (Verdict.PASS, "Average LiveAuc 0.9 >= 0.8 on AllTraffic")
    both = MetricCheck("auc", "LiveAuc", "Average", minimum=0.8, maximum=0.99)
    assert judged(both, BLUE_GREEN, c0=[0.9]) == (Verdict.PASS, "Average LiveAuc 0.9 within 0.8..0.99 on AllTraffic")


def test_no_data_is_inconclusive_never_a_pass() -> None:
    assert judged(LATENCY, BLUE_GREEN) == (Verdict.INCONCLUSIVE, "no data for p99 ModelLatency on AllTraffic")


def test_a_ratio_is_the_windows_sum_over_sum() -> None:
    # per minute 0/100 and 3/100 average 1.5%, but the minutes' per-minute ratios are not what is judged:
    # (0 + 3 + 0) / (100 + 100 + 100) = 1% on the window: exactly the maximum, a pass
    verdict, _ = judged(ERRORS, BLUE_GREEN, c0_n=[0, 3, 0], c0_d=[100, 100, 100])
    assert verdict is Verdict.PASS
    [result] = judgement(Analysis((ERRORS,)), BLUE_GREEN, {"c0_n": [2, 3], "c0_d": [100, 100]}).checks
    assert (result.verdict, result.detail) == (
        Verdict.FAIL,
        "Invocation5XXErrors/Invocations 0.025 > 0.01 on AllTraffic",
    )


def test_a_ratio_without_traffic_is_inconclusive() -> None:
    [result] = judgement(Analysis((ERRORS,)), BLUE_GREEN, {"c0_n": [0, 0], "c0_d": [0, 0]}).checks
    assert result.verdict is Verdict.INCONCLUSIVE


@pytest.mark.parametrize(
    ("statistic", "expected"),
    [("Sum", 10), ("SampleCount", 10), ("Minimum", 1), ("Maximum", 4), ("Average", 2.5), ("p50", 2), ("p99", 4)],
)
def test_the_window_value_follows_the_statistic(statistic: str, expected: float) -> None:
    assert aggregate(statistic, [3, 1, 4, 2]) == expected


def shifted(seed: int, mean: float, count: int = 30) -> list[float]:
    rng = random.Random(seed)
    return [rng.gauss(mean, 10) for _ in range(count)]


def test_a_clear_regression_against_the_champion_fails_with_u_and_p() -> None:
    verdict, detail = judged(COMPARED, PROGRESSIVE, c0=shifted(1, 150), b0=shifted(2, 100))
    assert verdict is Verdict.FAIL
    assert detail.startswith("p99 ModelLatency worse than AllTraffic by more than 10%: U=")
    assert detail.endswith("< 0.05")


def test_the_same_distribution_is_not_worse() -> None:
    verdict, detail = judged(COMPARED, PROGRESSIVE, c0=shifted(3, 100), b0=shifted(4, 100))
    assert verdict is Verdict.PASS
    assert detail.startswith("p99 ModelLatency not worse than AllTraffic by more than 10%: U=")


def test_worse_within_the_tolerance_passes() -> None:
    champion = shifted(5, 100)
    assert judged(COMPARED, PROGRESSIVE, c0=[v * 1.05 for v in champion], b0=champion)[0] is Verdict.PASS
    strict = MetricCheck("latency", "ModelLatency", "p99", tolerance=0.0)
    assert judged(strict, PROGRESSIVE, c0=[v * 1.3 for v in champion], b0=champion)[0] is Verdict.FAIL


def test_lower_is_worse_for_a_quality_metric() -> None:
    champion = [0.9 + n / 1000 for n in range(20)]
    assert judged(AUC, PROGRESSIVE, c0=[v - 0.2 for v in champion], b0=champion)[0] is Verdict.FAIL
    assert judged(AUC, PROGRESSIVE, c0=[v + 0.2 for v in champion], b0=champion)[0] is Verdict.PASS


def test_too_few_samples_on_either_variant_is_inconclusive() -> None:
    verdict, detail = judged(COMPARED, PROGRESSIVE, c0=[1.0, 2, 3], b0=[1.0] * 10)
    assert verdict is Verdict.INCONCLUSIVE
    assert detail == "p99 ModelLatency: too few samples to compare (3 on Challenger, 10 on AllTraffic; 5 needed)"
    assert judged(COMPARED, PROGRESSIVE, c0=[1.0] * 10)[0] is Verdict.INCONCLUSIVE


def test_all_equal_samples_pass_the_comparison() -> None:
    assert judged(COMPARED, PROGRESSIVE, c0=[5.0] * 10, b0=[5.0] * 10)[0] is Verdict.PASS


def test_without_a_champion_variant_only_the_threshold_is_judged() -> None:
    verdict, detail = judged(COMPARED, BLUE_GREEN, c0=[1.0] * 10)
    assert verdict is Verdict.PASS
    assert detail == "p99 ModelLatency not compared: no champion variant beside AllTraffic"


def test_the_worst_part_of_a_check_decides_it_and_both_are_said() -> None:
    both = MetricCheck("latency", "ModelLatency", "p99", maximum=250000, tolerance=0.1)
    verdict, detail = judged(both, PROGRESSIVE, c0=[300000.0] * 3, b0=[100000.0] * 3)
    assert verdict is Verdict.FAIL
    assert detail == (
        "p99 ModelLatency 300000 > 250000 on Challenger; "
        "p99 ModelLatency: too few samples to compare (3 on Challenger, 3 on AllTraffic; 5 needed)"
    )


def test_the_judgement_holds_every_check_in_order() -> None:
    analysis = Analysis((LATENCY, ERRORS))
    found = judgement(analysis, BLUE_GREEN, {"c0": [100.0], "c1_n": [0], "c1_d": [10]})
    assert [check.name for check in found.checks] == ["latency", "errors"]
    assert found.verdict is Verdict.PASS


@pytest.mark.parametrize(("value", "text"), [(312000.0, "312000"), (0.0043, "0.0043"), (1.5, "1.5"), (1e20, "1e+20")])
def test_numbers_read_as_people_write_them(value: float, text: str) -> None:
    assert number(value) == text


def test_three_samples_a_side_can_never_fail_a_comparison() -> None:
    # the smallest exact p-value at 3 and 3 is 1/C(6, 3) = 0.05, not below 0.05: policy docs say so
    assert judged(COMPARED, PROGRESSIVE, min_samples=3, c0=[400.0, 500, 600], b0=[1.0, 2, 3])[0] is Verdict.PASS
    assert judged(COMPARED, PROGRESSIVE, min_samples=4, c0=[400.0, 500, 600, 700], b0=[1.0, 2, 3, 4])[0] is Verdict.FAIL


values = st.lists(st.floats(0, 1e6, allow_nan=False), min_size=5, max_size=40)


@given(values, st.floats(0, 10))
def test_a_challenger_identical_to_the_champion_never_fails_a_comparison(
    samples: list[float], tolerance: float
) -> None:
    check = MetricCheck("latency", "ModelLatency", "p99", tolerance=tolerance)
    assert judged(check, PROGRESSIVE, c0=samples, b0=list(samples))[0] is Verdict.PASS
    quality = MetricCheck("auc", "LiveAuc", "Average", tolerance=min(tolerance, 0.99), higher_is_worse=False)
    assert judged(quality, PROGRESSIVE, c0=samples, b0=list(samples))[0] is Verdict.PASS


@given(values, values, st.floats(0, 1e6))
def test_a_challenger_made_worse_never_turns_a_failure_into_a_pass(
    challenger: list[float], champion: list[float], more: float
) -> None:
    before = judged(COMPARED, PROGRESSIVE, c0=challenger, b0=champion)[0]
    after = judged(COMPARED, PROGRESSIVE, c0=[v + more for v in challenger], b0=champion)[0]
    assert not (before is Verdict.FAIL and after is Verdict.PASS)
