"""A history reason as a table cell: a repeated smoke test failure said once, a long text clipped."""

from __future__ import annotations

from shepherd_cli.reasons import TABLE_WIDTH, short_reason

MODEL_ERROR = "status 424, expected 200 (ModelError: " + "image cannot serve this model " * 12 + ")"


def test_a_failure_repeated_per_smoke_test_is_said_once_and_clipped() -> None:
    reason = "smoke tests failed: " + "; ".join(f"{name}: {MODEL_ERROR}" for name in ("a", "b", "c"))
    shown = short_reason(reason)
    assert shown.startswith("3 smoke tests: status 424, expected 200 (ModelError: image cannot")
    assert len(shown) == TABLE_WIDTH and shown.endswith("…")


def test_different_smoke_failures_are_kept_apart() -> None:
    reason = "smoke tests failed: a: status 500, expected 200; b: latency 900 ms over the 500 ms budget"
    assert short_reason(reason) == reason


def test_a_short_reason_is_unchanged_and_newlines_do_not_break_the_row() -> None:
    assert short_reason("replaced by v2") == "replaced by v2"
    assert short_reason("stopped by bo:\nlabel leak") == "stopped by bo: label leak"


def test_the_analysis_judgement_comes_before_its_counts_so_a_clipped_cell_still_shows_it() -> None:
    paused = "the metric analysis had no verdict 3 time(s): INCONCLUSIVE: latency: no data on Challenger"
    assert short_reason(paused) == "INCONCLUSIVE: latency: no data on Challenger (3 measurement(s) without data)"
    long = "aborted at 5%: the metric analysis failed 1 time(s): FAIL: " + "latency p99 300000 > 250000; " * 5
    assert short_reason(long).startswith("aborted at 5%: FAIL: latency p99 300000 > 250000;")
    assert len(short_reason(long)) == TABLE_WIDTH
