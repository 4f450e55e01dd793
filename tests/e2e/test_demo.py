"""`make demo` on real models, as a fresh clone runs it: exit 0, and the verdicts come from measured metrics."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys

import pytest

from devstack.servers import free_port
from tests.support.local_stack import DUMMY_AWS, ROOT

pytestmark = pytest.mark.e2e


def test_the_demo_trains_measures_and_judges_real_models() -> None:
    ports = {"SHEPHERD_LOCAL_AWS_PORT": str(free_port()), "SHEPHERD_LOCAL_APP_PORT": str(free_port())}
    done = subprocess.run(
        [sys.executable, "-m", "devstack.demo"],
        cwd=ROOT,
        env={**os.environ, **DUMMY_AWS, **ports},
        capture_output=True,
        text=True,
        timeout=240,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    measured = dict(re.findall(r"registered (\w+) as v\d+: .*?; measured (\{.*\})", out))
    assert set(measured) == {"good", "bad", "borderline", "canary"}
    bad, borderline = ast.literal_eval(measured["bad"]), ast.literal_eval(measured["borderline"])
    assert bad["auc"] < 0.8 and "bad: Rejected (gate: reject)" in out  # shuffled labels: under the AUC floor
    assert borderline["recall"] < 0.75 and "borderline: PendingManualApproval (gate: review)" in out
    assert "made about 90 days old" in out and "v1, v2 deleted" in out  # the clock control, then the cleanup
    assert "FAILED" not in out
