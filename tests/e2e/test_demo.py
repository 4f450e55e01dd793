"""`make demo` on real models, as a fresh clone runs it: exit 0, the verdicts come from measured metrics, and
each step of the story (releases, Slack, rollbacks, cleanup, people) says what happened."""

from __future__ import annotations

import ast
import re

import pytest

from tests.support.demos import run_demo

pytestmark = pytest.mark.e2e


def test_the_demo_trains_measures_and_judges_real_models() -> None:
    done = run_demo("devstack.demo", timeout=240)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    measured = dict(re.findall(r"registered (\w+) as v\d+: .*?; measured (\{.*\})", out))
    assert set(measured) == {"good", "bad", "borderline", "canary", "regulated"}
    bad, borderline = ast.literal_eval(measured["bad"]), ast.literal_eval(measured["borderline"])
    assert bad["auc"] < 0.8 and "bad: Rejected (gate: reject)" in out  # shuffled labels: under the AUC floor
    assert borderline["recall"] < 0.75 and "borderline: PendingManualApproval (gate: review)" in out
    _story_told(out)
    assert "made about 90 days old" in out and "v1, v2 deleted" in out  # the clock control, then the cleanup
    assert "FAILED" not in out and "done: everything stopped" in out
    assert "the app's clock and its metrics run 60x faster" in out  # every chapter passes on the fast clock
    assert '{"level"' not in out  # the timeline only: the app's JSON logs are for CloudWatch (or --verbose)


def _story_told(out: str) -> None:
    # v1-v6: last quarter's rejected versions; good v7, bad v8, borderline v9, canary v10, second borderline v11
    assert "good (v7) is LIVE in production" in out
    assert "Slack: U024BE7LH clicks Approve" in out and "borderline (v9) is LIVE" in out
    assert "v10 ROLLED_BACK: SageMaker rolled the update back" in out
    assert "production goes from v9 back to v7" in out
    assert "would delete 2" in out and "registry: v1, v2 deleted" in out
    # a Reject in Slack asks why; the reason reaches the registry
    assert "clicks Reject on v11; a modal asks why" in out
    assert re.search(r"registry: v11 Rejected: .*recall too low for the holiday season", out), out
    _progressive_told(out)


def _progressive_told(out: str) -> None:
    # a second group released PROGRESSIVE: v1 LIVE, v2 judged at 5%, slowed at 25%, aborted by Mann-Whitney
    assert "fraud-progressive-prod weights: AllTraffic 0.95, Challenger 0.05" in out
    assert re.search(r"v2 judged: (PASS|INCONCLUSIVE): latency Average ModelLatency", out), out
    assert "fraud-progressive-prod weights: AllTraffic 0.75, Challenger 0.25" in out
    assert re.search(r"v2 judged: FAIL: latency Average ModelLatency worse than AllTraffic .*: U=\d+, p=0\.0\d+", out)
    assert re.search(r"v2 ROLLED_BACK: aborted at 25%: the metric analysis failed", out), out
    assert "fraud-progressive-prod weights: AllTraffic 1, Challenger 0" in out
    assert "InService on v1's own config, one variant (AllTraffic)" in out
    # a group whose policy asks for manual promotion waits for a person, who promotes it
    assert "v1 AWAITING_PROMOTION: staging serves it" in out
    assert re.search(r"v1 is LIVE on fraud-regulated-prod; history: PROMOTED by .*U024BE7LH", out), out
    assert "production history, newest first" in out
