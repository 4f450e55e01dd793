"""`make demo-batch` as a fresh clone runs it: exit 0, and the timeline tells the batch story: the smoke transform
job scores the sample with the version's own model, the production parameter names it, a broken version's job
fails and the parameter keeps the last good value, the CLI rolls it back."""

from __future__ import annotations

import re

import pytest

from tests.support.demos import run_demo

pytestmark = pytest.mark.e2e
PARAMETER = "/model-shepherd/fraud-detection-models/production"


def test_the_batch_demo_publishes_keeps_the_last_good_value_and_rolls_back() -> None:
    done = run_demo("devstack.demo_batch", timeout=180)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    score = re.search(r"-stg scored the fraudulent sample ([0-9.]+)", out)
    assert score and float(score[1]) > 0.5, out  # the version's own model, not a canned answer
    assert f'{PARAMETER} = {{"model_name": "fraud-detection-models-' in out and '"version": 1}' in out
    assert '"version": 2}' in out  # the second good version published
    assert "v3 FAILED: staging transform job Failed" in out
    assert f"release of v3 FAILED; {PARAMETER} still names v2" in out
    assert "production goes from v2 back to v1" in out and f"{PARAMETER} names v1 again" in out
    assert "s] FAILED " not in out and "done: everything stopped" in out  # no step failed
