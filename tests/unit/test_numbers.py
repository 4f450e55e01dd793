"""Numbers in reasons and in the CLI: the digits needed to see a comparison, and no binary float noise."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.gate.margins import Margin
from chalicelib.gate.thresholds import Thresholds
from chalicelib.shared.numbers import computed, exact
from shepherd_cli.comparison import compare

finite = st.floats(allow_nan=False, allow_infinity=False)


def test_a_failed_bound_shows_both_numbers_as_written() -> None:
    bar = Thresholds.from_schema("bar", {"required": ["rmse"], "properties": {"rmse": {"maximum": 40000}}})
    [check] = bar.check({"rmse": 40000.4})
    assert (check.passed, check.detail) == (False, "rmse 40000.4 <= 40000")


@given(value=finite, limit=finite)
def test_a_failed_check_never_renders_both_sides_alike(value: float, limit: float) -> None:
    [check] = Thresholds.from_schema("floor", {"properties": {"m": {"minimum": limit}}}).check({"m": value})
    left, right = check.detail.removeprefix("m ").split(" >= ")
    assert float(left) == value and float(right) == limit
    assert check.passed or left != right


def test_a_margin_met_exactly_passes_as_the_policy_author_reads_it() -> None:
    margin = Margin.from_spec("auc", {"better": "higher", "min_gain": 0.005})
    check = margin.check(0.95, 0.945)  # in binary floats 0.95 - 0.945 is 0.0049999999999999...
    assert check.passed, check.detail
    assert check.detail == "auc 0.95 vs champion 0.945 (higher is better): gain +0.005 >= +0.005"


def test_a_margin_missed_by_a_hair_shows_the_digits_that_miss() -> None:
    margin = Margin.from_spec("auc", {"better": "higher", "min_gain": 0.005})
    check = margin.check(0.9549999, 0.95)
    assert not check.passed
    assert "gain +0.0049999 >= +0.005" in check.detail


def test_a_percent_margin_keeps_its_unit_and_direction() -> None:
    margin = Margin.from_spec("latency_p99_ms", {"better": "lower", "max_loss_pct": 10})
    check = margin.check(44.0, 40.0)
    assert check.passed and check.detail.endswith("gain -10% >= -10%")


def test_exact_is_the_shortest_text_that_reads_back() -> None:
    assert [exact(v) for v in (0.95, 40000.0, 40000.4, 1e-07, 250)] == ["0.95", "40000", "40000.4", "1e-07", "250"]


def test_computed_numbers_get_more_digits_only_when_they_would_look_equal() -> None:
    assert computed(Decimal("0.0049999"), against=Decimal("0.005")) == "0.0049999"
    assert computed(Decimal(1) / Decimal(3) * 100) == "33.33"


def test_compare_deltas_carry_no_float_noise() -> None:
    [row] = compare({"auc": 0.94}, {"auc": 0.98}, ("v1", "v2"), {"auc": "higher"})
    assert (row.delta, row.change_pct, row.verdict) == (0.04, 4.255, "better")
