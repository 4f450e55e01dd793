"""What a decision writes back to the registry: the description people read, the metadata we read."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from chalicelib.gate.metrics import flatten_metrics
from chalicelib.gate.verdict import Decision
from chalicelib.shared.errors import MetricsUnavailableError
from chalicelib.shared.policy import Policy

DESCRIPTION_LIMIT = 1024  # SageMaker's ApprovalDescription maximum
METADATA_VALUE_LIMIT = 256  # SageMaker's CustomerMetadataProperties value maximum
PREFIX = "shepherd:"
OUTCOME_KEY = f"{PREFIX}outcome"
METRICS_KEY = f"{PREFIX}metrics"


def approval_description(decision: Decision, policy_name: str) -> str:
    text = f"model-shepherd {decision.outcome.value} ({policy_name}): " + "; ".join(decision.reasons)
    return truncate(text, DESCRIPTION_LIMIT)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decision_metadata(
    existing: Mapping[str, str], decision: Decision, policy: Policy | None, decided_at: datetime
) -> dict[str, str]:
    """The package's metadata with the decision added; the team's own keys are kept as they were."""
    merged = dict(existing)
    merged.update(
        {
            OUTCOME_KEY: decision.outcome.value,
            f"{PREFIX}policy-hash": policy.digest[:12] if policy else "invalid",
            f"{PREFIX}decided-at": decided_at.isoformat(timespec="seconds"),
        }
    )
    snapshot = metrics_snapshot(decision.metrics, policy.metric_names) if policy else None
    if snapshot:
        merged[METRICS_KEY] = snapshot
    return merged


def metrics_snapshot(metrics: Mapping[str, float], names: frozenset[str]) -> str | None:
    """The policy's metrics as compact JSON, so a later gate can compare without reading S3."""
    chosen = {name: metrics[name] for name in sorted(names) if name in metrics}
    text = json.dumps(chosen, separators=(",", ":"))
    return text if chosen and len(text) <= METADATA_VALUE_LIMIT else None


def recorded_outcome(metadata: Mapping[str, str]) -> str | None:
    return metadata.get(OUTCOME_KEY)


def recorded_metrics(metadata: Mapping[str, str]) -> dict[str, float] | None:
    """The snapshot a previous decision left, or None when there is none we can trust."""
    raw = metadata.get(METRICS_KEY)
    if raw is None:
        return None
    try:
        return flatten_metrics(json.loads(raw))
    except (ValueError, MetricsUnavailableError):  # hand-edited? read the S3 document instead
        return None
