"""Across the functional suite: every action each function's role grants is used by a recorded call.

Each process keeps the requests its tests recorded; an xdist worker writes them beside the run's
base directory and the controller, which ends last, reads them all. Checked only when the whole
functional suite ran (a single file or `-k` leaves most grants unexercised, by design).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from infra.iam_grants import LAMBDA_RUNTIME
from tests.support.function_roles import LOCAL_NAMES, rendered_roles
from tests.support.role_check import unused_grants

FUNCTIONAL = Path(__file__).resolve().parents[1] / "functional"
_used: set[tuple[str, str, str]] = set()  # (function, Sid, action)

# Grants the code needs on paths no functional test drives yet: each says which path. Shrink this list
# by adding the functional test; never grow it for a grant no code path calls.
NOT_YET_RECORDED: dict[tuple[str, str], str] = {
    ("gate", "dynamodb:GetItem"): "Powertools idempotency reads a record it could not overwrite",
    ("gate", "dynamodb:DeleteItem"): "Powertools idempotency deletes the record of a decision that raised",
    ("api_handler", "sagemaker:CreateModel"): "Slack's Retry button starts the release again",
    ("api_handler", "iam:PassRole"): "Slack's Retry button starts the release again (CreateModel)",
    ("api_handler", "sagemaker:DeleteEndpoint"): "a retried release finds the staging endpoint Failed",
    ("release_decided", "sagemaker:DeleteEndpoint"): "a release finds the staging endpoint Failed",
    ("release_reconcile", "sagemaker:DeleteEndpoint"): "a repaired release finds the staging endpoint Failed",
    ("release_reconcile", "cloudwatch:GetMetricStatistics"): "the reconciler resumes a canary's traffic check",
    ("release_reconcile", "dynamodb:Query"): "the sweep admits an Approved version whose event was lost",
    ("release_reconcile", "sagemaker:UpdateModelPackage"): "the sweep hands a lost registration to the gate",
    ("release_reconcile", "s3:GetObject"): "the sweep hands a lost registration to the gate",
    ("release_reconcile", "sagemaker:ListModelPackages"): "the sweep's gate hand-off: a group's first champion",
    ("release_reconcile", "dynamodb:GetItem"): "the sweep's gate hand-off: the idempotency record",
    ("release_reconcile", "dynamodb:PutItem"): "the sweep's gate hand-off: the idempotency record",
    ("release_reconcile", "dynamodb:UpdateItem"): "the sweep's gate hand-off: the idempotency record",
    ("release_reconcile", "dynamodb:DeleteItem"): "the sweep's gate hand-off: the idempotency record",
    ("release_alarm", "secretsmanager:GetSecretValue"): "a rollback's notice to Slack",
    ("cleanup", "secretsmanager:GetSecretValue"): "the cleanup's report to Slack",
}


def record(function: str, grants: set[tuple[str, str]]) -> None:
    _used.update((function, sid, action) for sid, action in grants)


def unused(recorded: set[tuple[str, str, str]], roles: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """'function: Sid grants action' for every grant no recorded request of that function used."""
    found = []
    for function, document in (roles or rendered_roles(LOCAL_NAMES)).items():
        used = {(sid, action) for f, sid, action in recorded if f == function}
        found += [
            f"{function}: {sid} grants {action}"
            for sid, action in unused_grants(document, used, LAMBDA_RUNTIME)
            if (function, action) not in NOT_YET_RECORDED
        ]
    return found


def check_at_end(session: pytest.Session) -> None:
    base = session.config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # each worker collects the whole run; the controller, which ends last, has no items
        entry = {"whole": _whole_suite_ran(session), "used": sorted(_used)}
        (base.parent / f"aws-calls-{worker}.json").write_text(json.dumps(entry))
        return
    recorded = set(_used)
    entries = [json.loads(path.read_text()) for path in base.glob("aws-calls-*.json")]
    for entry in entries:
        recorded.update(tuple(used) for used in entry["used"])
    whole = all(e["whole"] for e in entries) and not session.testsfailed if entries else _whole_suite_ran(session)
    if not whole:
        return
    if found := unused(recorded):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("grants no functional test's call used (infra/iam_grants.py):", red=True)
            for line in found:
                reporter.write_line(f"  {line}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _whole_suite_ran(session: pytest.Session) -> bool:
    ran = {Path(str(item.fspath)).name for item in session.items if FUNCTIONAL in Path(str(item.fspath)).parents}
    everything = {path.name for path in FUNCTIONAL.glob("test_*.py")}
    deselected = session.config.getoption("keyword") or session.config.getoption("markexpr")
    if session.config.getoption("collectonly") or deselected or session.testsfailed:
        return False
    return bool(ran) and ran == everything
