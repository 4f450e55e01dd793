"""`make demo-accounts` as a fresh clone runs it: exit 0, and the timeline tells the release across accounts, each
step saying where it happened: registered in the registry account, staged in the staging account and region,
LIVE in the production account, a canary rolled back there."""

from __future__ import annotations

import pytest

from tests.support.demos import run_demo

pytestmark = pytest.mark.e2e
REGISTRY, STAGING = "registry account 123456789012 (us-east-1)", "staging account 222222222222 (eu-west-1)"
PRODUCTION = "production account 333333333333 (us-east-1)"


def test_the_accounts_demo_goes_live_in_the_production_account_and_rolls_back_there() -> None:
    done = run_demo("devstack.demo_accounts", timeout=240)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert f"in the {REGISTRY}: fraud-detection-models/v1 Approved (gate: approve)" in out
    assert f"in the {STAGING}: fraud-detection-staging InService" in out
    assert f"in the {PRODUCTION}: fraud-detection-prod serves v1: LIVE" in out
    assert f"in the {REGISTRY}: 0 endpoint(s)" in out  # nothing of the release in the registry's account
    assert "v2 ROLLED_BACK: the canary saw 0 invocations" in out
    assert f"in the {PRODUCTION}: fraud-detection-prod serves v1 again" in out
    assert "staging: fraud-detection-staging (account 222222222222, region eu-west-1)" in out
    assert "s] FAILED " not in out and "done: everything stopped" in out  # no step failed
