"""`shepherd status` and `shepherd history` on a judged rollout, against moto: the progressive step or the shadow
test, since when, the last judgement, the counts against the limits, production's weights when one group is asked;
where a progressive release ended, its judgement, the hook and continue rows."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Container
from chalicelib.hooks.record import HOOK_ROW
from chalicelib.release.state import HistoryRow, Rollout, Rules, Stage
from devstack.resources import LocalResources
from shepherd_cli import exit_codes
from tests.support import release as r
from tests.support.cli_container import cli_container, run
from tests.support.paused import paused_state
from tests.support.policies import policies_with_release

ANALYSIS = {
    "checks": [{"name": "latency", "metric": "ModelLatency", "statistic": "p99", "maximum": 250000}],
    "failure_limit": 1,
    "inconclusive_limit": 2,
}
RULES = Rules(progressive_steps=(5, 25, 50, 100), step_duration=timedelta(minutes=10), shadow_percent=100)


@pytest.fixture
def container(resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Container:
    """v1 LIVE; v2 registered (stored in flight by each test as the engine leaves it)."""
    built = cli_container(
        resources, policies_with_release(tmp_path / "policies"), monkeypatch, "status", "history", "report"
    )
    clock = r.release_world(built)
    r.release_to_live(r.register_approved("v1"), clock)
    clock.advance(minutes=61)
    r.reconcile()
    r.register_approved("v2")
    return built


def store_v2(container: Container, stage: Stage, rollout: Rollout) -> None:
    """v2 in `stage` with `rollout`, its policy the group's release section with PROGRESSIVE steps and an analysis."""
    section = dict(container.policies.get(r.GROUP).section("release"))
    policy = json.dumps({**section, "analysis": ANALYSIS})
    state = paused_state(container.release_store.load(r.GROUP), 2, r.Clock().now, policy=policy)
    assert state.release is not None
    release = replace(state.release, stage=stage, rules=RULES, rollout=rollout)
    container.release_store.save(replace(state, release=release))


def test_a_progressive_step_shows_where_since_when_the_weights_and_the_judgement(
    container: Container, capsys: Any
) -> None:
    since = r.Clock().now
    judged = ("PASS: latency p99 180000 <= 250000", "FAIL: latency p99 300000 > 250000")
    store_v2(container, Stage.PRODUCTION, Rollout(step=1, step_since=since, failures=1, results=judged))
    code, out, _ = run(capsys, "status", r.GROUP)
    assert code == exit_codes.OK
    assert f"rollout: step 2/4: 25% to v2, since {since:%Y-%m-%d %H:%M} UTC" in out
    assert "  weights: AllTraffic 100%" in out  # production as DescribeEndpoint shows it (moto: v1 alone)
    assert "  last judgement: FAIL: latency p99 300000 > 250000" in out
    assert "  failures 1/1, no data 0/2" in out
    _, out, _ = run(capsys, "status", r.GROUP, "--json")
    [entry] = json.loads(out)["groups"]
    rollout = entry["rollout"]
    assert (rollout["step"], rollout["failures"], rollout["failure_limit"]) == (2, 1, 1)
    assert [step["state"] for step in rollout["steps"]] == ["done", "current", "to come", "to come"]
    assert rollout["weights"] == {"AllTraffic": 100}


def test_every_group_at_once_reads_no_weights(container: Container, capsys: Any) -> None:
    store_v2(container, Stage.PRODUCTION, Rollout(step=0, step_since=r.Clock().now))
    _, out, _ = run(capsys, "status", "--json")
    [entry] = [group for group in json.loads(out)["groups"] if group["group"] == r.GROUP]
    assert entry["rollout"]["headline"] == "step 1/4: 5% to v2"
    assert entry["rollout"]["weights"] is None


def test_the_shadow_test_and_a_paused_step_are_shown_with_their_counts(container: Container, capsys: Any) -> None:
    store_v2(container, Stage.SHADOW, Rollout(inconclusive=1, results=("INCONCLUSIVE: latency: no data",)))
    _, out, _ = run(capsys, "status", r.GROUP)
    assert "rollout: shadow test: 100% of requests copied to v2, since not serving yet" in out
    assert "  failures 0/1, no data 1/2" in out
    store_v2(container, Stage.PAUSED, Rollout(step=2, inconclusive=3, paused_from=Stage.PRODUCTION))
    _, out, _ = run(capsys, "status", r.GROUP)
    assert "in flight: v2 PAUSED" in out and "rollout: step 3/4: 50% to v2" in out


def test_a_release_without_a_judged_rollout_shows_no_rollout(container: Container, capsys: Any) -> None:
    store_v2(container, Stage.PRODUCTION, Rollout())
    release = container.release_store.load(r.GROUP)
    assert release.release is not None
    plain = replace(release.release, rules=Rules())
    container.release_store.save(replace(release, release=plain))
    _, out, _ = run(capsys, "status", r.GROUP)
    assert "rollout:" not in out
    _, out, _ = run(capsys, "status", r.GROUP, "--json")
    assert json.loads(out)["groups"][0]["rollout"] is None


def test_history_says_where_a_progressive_release_ended_its_judgement_and_reads_hook_and_continue_rows(
    container: Container, capsys: Any
) -> None:
    state = container.release_store.load(r.GROUP)
    judged = "FAIL: latency p99 300000 > 250000; errors 0.02 > 0.01"
    why = f"aborted at 25%: the metric analysis failed 2 time(s): {judged}"
    assert state.live is not None
    arn = state.live.arn.rsplit("/", 1)[0] + "/2"
    at = r.Clock().now
    rows = [
        HistoryRow(f"{at.isoformat()}#v000002", 2, arn, "model-shepherd gate", "ROLLED_BACK", why, ended_at=at),
        HistoryRow(f"{at.isoformat()}#v000002#hook-pre_rollout", 2, arn, "model-shepherd gate", HOOK_ROW,
                   "pre_rollout proceed in 0.3 s", ended_at=at),
        HistoryRow(f"{at.isoformat()}#v000002#continue", 2, arn, "model-shepherd gate", "CONTINUED",
                   "by alice (shepherd CLI): exporter was down"),
    ]  # fmt: skip
    container.release_store.save(state, rows)
    code, out, _ = run(capsys, "history", r.GROUP)
    assert code == exit_codes.OK
    lines = {line.split()[1]: line for line in out.splitlines() if line.startswith("v2 ")}
    assert f"aborted at 25%: {judged} (2 measurement(s) failed)" in lines["ROLLED_BACK"]
    assert "HOOK pre_rollout" in lines["HOOK"] and lines["HOOK"].rstrip().endswith("  proceed in 0.3 s")
    assert "gate" not in lines["HOOK"] and "gate" not in lines["CONTINUED"]  # acts name their actor in the reason
    assert "by alice (shepherd CLI): exporter was down" in lines["CONTINUED"]
    _, out, _ = run(capsys, "history", r.GROUP, "--json")
    assert why in [row["reason"] for row in json.loads(out)["history"]]  # --json keeps the words as stored


def test_the_report_shows_the_steps_the_judgements_and_a_paused_stage(
    container: Container, capsys: Any, tmp_path: Path
) -> None:
    judged = ("PASS: latency p99 180000 <= 250000", "INCONCLUSIVE: latency: no data on Challenger")
    rollout = Rollout(step=1, step_since=r.Clock().now, inconclusive=3, results=judged, paused_from=Stage.PRODUCTION)
    store_v2(container, Stage.PAUSED, rollout)
    page = tmp_path / "report.html"
    assert run(capsys, "report", r.GROUP, "--html", str(page))[0] == exit_codes.OK
    html = page.read_text()
    assert '<li class="stage paused">PRODUCTION (PAUSED)</li>' in html
    assert '<li class="stage done">SHADOW</li>' in html  # its rules have a shadow test, passed before production
    assert "step 2/4: 25% to v2" in html and "failures 0/1, no data 3/2" in html
    assert re.findall(r'class="step ([\w-]+)"', html) == ["done", "current", "to-come", "to-come"]
    assert html.index("INCONCLUSIVE: latency: no data on Challenger") < html.index("PASS: latency p99")
