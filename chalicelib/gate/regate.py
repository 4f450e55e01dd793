"""Re-gate: a version in review is decided again after its policy or metrics were fixed (the CLI, Slack).

The gate decides a version once (its idempotency record, and `shepherd:outcome` on the package); a person
asking for a second look goes around both, and the decision records who asked and why.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.gate.result import GateResult
from chalicelib.gate.service import GateDeps, apply_decision, evaluate_version
from chalicelib.shared import decision_record as record
from chalicelib.shared.errors import RecoveryRefusedError
from chalicelib.shared.metadata_rules import safe_value
from chalicelib.shared.model_version import PENDING
from chalicelib.shared.observability import count, logger


def regate(arn: str, actor: str, reason: str, deps: GateDeps) -> GateResult:
    """Raises RecoveryRefusedError (nothing changed) unless the version waits in review."""
    version = deps.registry.get_version(arn)
    if version.status != PENDING:
        raise RecoveryRefusedError(f"{version.label} is {version.status}: only a version in review is re-gated")
    policy = deps.policies.get(version.group)  # an invalid or missing policy: the error says so, nothing changes
    decision = evaluate_version(version, policy, deps)
    asked = safe_value(f"{actor}: {reason}")  # within SageMaker's metadata alphabet and 256 characters
    logger.info("re-gated", extra={"arn": arn, "actor": actor, "why": reason, "outcome": decision.outcome.value})
    count("Regated", outcome=decision.outcome.value)
    return apply_decision(version, decision, policy, deps, {record.REGATED_BY_KEY: asked})


class GateRegates:
    """`regate` with the gate's deps bound, built on first use (the Slack route's port)."""

    def __init__(self, deps: Callable[[], GateDeps]) -> None:
        self._deps = deps

    def regate(self, arn: str, actor: str, reason: str) -> GateResult:
        return regate(arn, actor, reason, self._deps())
