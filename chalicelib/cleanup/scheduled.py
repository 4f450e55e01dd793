"""A cleanup run that stops in time: before the Lambda's limit, or 15 minutes on from the CLI."""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.cleanup.report import GroupReport
from chalicelib.cleanup.service import CleanupDeps, run_cleanup
from chalicelib.cleanup.sweep import Deadline, Observer
from chalicelib.shared.clock import remaining_time


def run_in_time(
    deps: CleanupDeps,
    lambda_context: object = None,
    groups: Sequence[str] = (),
    dry_run: bool = False,
    observe: Observer | None = None,
) -> list[GroupReport]:
    """The retention sweep; it stops `deps.reserve_seconds` before the Lambda (or CLI) time limit."""
    deadline = Deadline(remaining_time(lambda_context, deps.clock), reserve_ms=deps.reserve_seconds * 1000)
    return run_cleanup(deps, deadline, groups, dry_run, observe)
