"""Mann-Whitney U against published values, brute force, and its own symmetries."""

from __future__ import annotations

import itertools
import math
import random
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.analysis.mann_whitney import EXACT_MAX, greater, midranks


def brute_force_upper_tail(worse: list[float], better: list[float]) -> float:
    """P(U >= observed U) over every way of splitting the pooled values into samples of these sizes."""
    pooled = [*worse, *better]
    observed = _u(worse, better)
    splits = list(itertools.combinations(range(len(pooled)), len(worse)))
    as_large = 0
    for chosen in splits:
        first = [pooled[i] for i in chosen]
        rest = [pooled[i] for i in range(len(pooled)) if i not in chosen]
        as_large += _u(first, rest) >= observed - 1e-9
    return as_large / len(splits)


def _u(first: list[float], second: list[float]) -> float:
    return sum((a > b) + 0.5 * (a == b) for a in first for b in second)


def test_midranks_share_the_mean_rank_of_a_tie() -> None:
    assert midranks([10, 20, 20, 5, 20]) == [2.0, 4.0, 4.0, 1.0, 4.0]


def test_scipy_documentation_example_exact() -> None:
    # scipy.stats.mannwhitneyu docs (Conover's example): males [19, 22, 16, 29, 24], females [20, 11, 17, 12]:
    # U1 = 17, exact two-sided p = 0.1111 = 14/126, so one-sided ("greater") p = 7/126 = 0.0556.
    test = greater([19, 22, 16, 29, 24], [20, 11, 17, 12])
    assert (test.u, test.u_other, test.exact) == (17, 3, True)
    assert test.p_value == pytest.approx(7 / 126)


def test_textbook_table_critical_value() -> None:
    # Mann-Whitney table, n1 = n2 = 5, one-sided alpha 0.05: reject when min(U) <= 4. P(U <= 4) = 0.0476
    # (12 of the 252 arrangements), P(U <= 5) = 0.0754 (19 of 252).
    four = greater([1.5, 6, 7, 8, 9], [0, 2, 3, 4, 5])
    assert four.u_other == 4  # U of the better sample: 2, 3, 4 and 5 above 1.5
    assert four.p_value == pytest.approx(12 / 252)
    five = greater([0.5, 4.5, 7, 8, 9], [0, 1, 3, 4, 5])
    assert five.u_other == 5
    assert five.p_value == pytest.approx(19 / 252)


@pytest.mark.parametrize("sizes", [(1, 1), (1, 5), (3, 3), (4, 6), (6, 4), (7, 7)])
def test_exact_tail_equals_enumeration_of_every_split(sizes: tuple[int, int]) -> None:
    rng = random.Random(sum(sizes))
    for _ in range(5):
        values = [float(v) for v in rng.sample(range(100), sum(sizes))]
        worse, better = values[: sizes[0]], values[sizes[0] :]
        assert greater(worse, better).p_value == pytest.approx(brute_force_upper_tail(worse, better))


def test_normal_approximation_with_ties_and_continuity_correction() -> None:
    # x = [1, 2, 2, 3, 4], y = [2, 3, 3, 5, 6]: pairs x > y, a tie a half: 0 + 0.5 + 0.5 + 2 + 3, U_x = 6.
    # Ties: 2 three times, 3 three times, so var = 25/12 * (11 - (24 + 24) / 90) = 21.8056, sigma = 4.6696;
    # z = (6 - 12.5 - 0.5) / 4.6696 = -1.4990; p = sf(z) = 0.93307, what scipy's
    # mannwhitneyu(x, y, alternative="greater", method="asymptotic") computes by the same formula.
    test = greater([1, 2, 2, 3, 4], [2, 3, 3, 5, 6])
    assert (test.u, test.exact) == (6, False)
    assert test.p_value == pytest.approx(0.93307, abs=1e-5)


def test_large_samples_use_the_normal_approximation_close_to_the_exact_tail() -> None:
    worse, better = [v + 0.5 for v in range(10, 31)], [float(v) for v in range(21)]  # 21 each, no ties
    test = greater(worse, better)
    assert not test.exact
    # U = 21*21 - (pairs where better > worse) = 441 - 55 = 386; mu = 220.5, sigma = sqrt(441*43/12) = 39.75;
    # z = (386 - 220.5 - 0.5) / 39.7524 = 4.1507, p = sf(z) = 1.6573e-05
    assert test.u == 386
    assert test.p_value == pytest.approx(1.6573e-05, rel=1e-3)


def test_all_equal_samples_are_no_evidence() -> None:
    assert greater([5.0] * 8, [5.0] * 8).p_value == 1.0
    assert greater([5.0] * 30, [5.0] * 30).p_value == 1.0


def test_one_value_each() -> None:
    assert greater([2], [1]).p_value == 0.5  # one of the two orders: never significant
    assert greater([1], [2]).p_value == 1.0


def test_an_empty_sample_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        greater([], [1.0])
    with pytest.raises(ValueError, match="at least one value"):
        greater([1.0], [])


def test_a_clear_shift_is_significant_and_the_reverse_is_not() -> None:
    rng = random.Random(7)
    champion = [rng.gauss(100, 10) for _ in range(60)]
    challenger = [rng.gauss(130, 10) for _ in range(60)]
    assert greater(challenger, champion).p_value < 1e-6
    assert greater(champion, challenger).p_value > 0.999


def test_identical_distributions_rarely_look_worse() -> None:
    rng = random.Random(11)
    significant = sum(
        greater([rng.gauss(100, 10) for _ in range(30)], [rng.gauss(100, 10) for _ in range(30)]).p_value < 0.05
        for _ in range(400)
    )
    assert significant < 400 * 0.05 * 1.6  # about 5% by design; far from every time


def test_huge_samples_take_well_under_a_second() -> None:
    rng = random.Random(3)
    worse, better = [rng.random() for _ in range(50_000)], [rng.random() for _ in range(50_000)]
    started = time.perf_counter()
    test = greater(worse, better)
    assert time.perf_counter() - started < 2.0
    assert 0.0 <= test.p_value <= 1.0


def test_the_largest_exact_table_is_cheap() -> None:
    started = time.perf_counter()
    test = greater(list(range(EXACT_MAX, 2 * EXACT_MAX)), list(range(EXACT_MAX)))
    assert time.perf_counter() - started < 0.1
    assert test.exact
    assert test.p_value == pytest.approx(1 / math.comb(2 * EXACT_MAX, EXACT_MAX))


samples = st.lists(st.integers(-50, 50).map(float), min_size=1, max_size=25)


@given(samples, samples)
def test_the_two_us_add_up_to_the_number_of_pairs(worse: list[float], better: list[float]) -> None:
    test = greater(worse, better)
    assert test.u + test.u_other == pytest.approx(len(worse) * len(better))
    assert test.u == pytest.approx(_u(worse, better))


@given(samples, samples)
def test_swapping_the_samples_swaps_the_us(worse: list[float], better: list[float]) -> None:
    forward, backward = greater(worse, better), greater(better, worse)
    assert (forward.u, forward.u_other) == pytest.approx((backward.u_other, backward.u))
    assert 0.0 <= forward.p_value <= 1.0


@given(samples, samples, st.floats(0.1, 100), st.floats(-100, 100))
def test_ranks_ignore_a_shared_positive_rescaling(
    worse: list[float], better: list[float], scale: float, shift: float
) -> None:
    moved = greater([v * scale + shift for v in worse], [v * scale + shift for v in better])
    assert moved.p_value == pytest.approx(greater(worse, better).p_value)


@given(st.lists(st.integers(0, 1000), min_size=2, max_size=12, unique=True), st.integers(1, 11))
def test_exact_tails_match_enumeration(values: list[int], split: int) -> None:
    split = min(split, len(values) - 1)
    worse, better = [float(v) for v in values[:split]], [float(v) for v in values[split:]]
    assert greater(worse, better).p_value == pytest.approx(brute_force_upper_tail(worse, better))
