"""The report's stage strip and judged rollout, pure: SHADOW only for a release with a shadow test, PAUSED where it
paused, the progressive steps done / current / to come / aborted, the judgements newest first and escaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from chalicelib.analysis.policy import Analysis
from chalicelib.hooks.record import HOOK_ROW
from chalicelib.release.rollout_view import ABORTED, CURRENT, DONE, TO_COME, RolloutView, StepView
from chalicelib.release.state import HistoryRow, Stage
from shepherd_cli.report.model import InFlight
from shepherd_cli.report.page import render_page
from shepherd_cli.report.rollout import rollout_block, stage_strip
from tests.unit.test_report_page import HOSTILE, picture

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def view(states: tuple[str, ...], step: int, **changes: object) -> RolloutView:
    values: dict[str, object] = {
        "version": 3,
        "phase": Stage.PRODUCTION,
        "steps": tuple(StepView(p, s) for p, s in zip((5, 25, 50, 100), states, strict=True)),
        "step": step,
        "since": NOW,
        "shadow_percent": 0,
        "last_judgement": "FAIL: latency p99 300000 > 250000",
        "failures": 1,
        "inconclusive": 0,
        "limits": Analysis(checks=(), failure_limit=0),
        "judgements": ("PASS: latency p99 180000 <= 250000", "FAIL: latency p99 300000 > 250000"),
    }
    return RolloutView(**{**values, **changes})  # type: ignore[arg-type]


def strip(flight: InFlight) -> list[tuple[str, str]]:
    return re.findall(r'<li class="stage (\w+)">([^<]+)</li>', stage_strip(flight))


def test_the_strip_shows_shadow_only_for_a_release_with_a_shadow_test() -> None:
    assert ("current", "SHADOW") in strip(InFlight(3, "SHADOW", shadowed=True))
    assert "SHADOW" not in str(strip(InFlight(3, "PRODUCTION")))
    assert strip(InFlight(3, "PRODUCTION", shadowed=True))[2] == ("done", "SHADOW")


def test_a_paused_release_is_marked_paused_at_the_stage_it_paused_at() -> None:
    found = strip(InFlight(3, "PAUSED", paused_at="PRODUCTION"))
    assert ("paused", "PRODUCTION (PAUSED)") in found and found[-1] == ("todo", "WATCHING")
    assert [state for state, _ in found[:2]] == ["done", "done"]


def test_a_step_in_flight_shows_its_steps_counts_and_judgements_newest_first() -> None:
    html = rollout_block(view((DONE, CURRENT, TO_COME, TO_COME), 1))
    assert "step 2/4: 25% to v3, since 2026-12-02 09:00 UTC &middot; failures 1/0, no data 0/2" in html
    steps = re.findall(r'<li class="step ([\w-]+)" title="[^"]+">(\d+)%</li>', html)
    assert steps == [("done", "5"), ("current", "25"), ("to-come", "50"), ("to-come", "100")]
    judged = re.findall(r'<li class="judgement (\w+)">', html)
    assert judged == ["fail", "pass"]


def test_an_aborted_rollout_says_how_it_ended_and_escapes_every_judgement() -> None:
    ended = view((DONE, ABORTED, TO_COME, TO_COME), 1, ended=Stage.ROLLED_BACK, judgements=(f"FAIL: {HOSTILE}",))
    html = rollout_block(ended)
    assert "Rollout of v3 (ended ROLLED_BACK)" in html and "aborted at step 2/4: 25% to v3" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert rollout_block(None) == ""
    assert "No measurement yet." in rollout_block(view((CURRENT, TO_COME, TO_COME, TO_COME), 0, judgements=()))


def test_the_page_shows_the_last_rollout_even_with_nothing_in_flight() -> None:
    ended = view((DONE, ABORTED, TO_COME, TO_COME), 1, ended=Stage.ROLLED_BACK)
    page = render_page(picture(in_flight=None, rollout=ended))
    assert "Nothing in flight." in page and 'class="step aborted"' in page


def test_the_history_table_names_a_hooks_row_and_shows_no_approver_on_acts() -> None:
    hook = HistoryRow("k-hook", 3, "arn:.../3", "model-shepherd gate", HOOK_ROW, "pre_rollout halted in 1.0 s: no")
    continued = HistoryRow("k-go", 3, "arn:.../3", "model-shepherd gate", "CONTINUED", "by alice: exporter down")
    page = render_page(picture(history=(hook, continued)))
    cells = re.findall(
        r"<tr><td>v3</td><td[^>]*>([^<]*)</td><td></td><td></td><td>([^<]*)</td><td></td><td>([^<]*)</td>", page
    )
    assert cells == [("HOOK pre_rollout", "", "halted in 1.0 s: no"), ("CONTINUED", "", "by alice: exporter down")]
