"""What a decision writes back to the registry: the description people read, the metadata we read.

The one place for it, whoever decides: the gate, a click in Slack, or `shepherd approve|reject`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from chalicelib.gate.metrics import flatten_metrics
from chalicelib.gate.verdict import Decision
from chalicelib.shared.errors import MetricsUnavailableError
from chalicelib.shared.model_version import REJECTED, ModelVersion
from chalicelib.shared.policy import Policy

DESCRIPTION_LIMIT = 1024  # SageMaker's ApprovalDescription maximum
METADATA_VALUE_LIMIT = 256  # SageMaker's CustomerMetadataProperties value maximum
PREFIX = "shepherd:"
OUTCOME_KEY = f"{PREFIX}outcome"
METRICS_KEY = f"{PREFIX}metrics"
POLICY_HASH_KEY = f"{PREFIX}policy-hash"
DECIDED_AT_KEY = f"{PREFIX}decided-at"
DECIDED_BY_KEY = f"{PREFIX}decided-by"  # a person's decision: "slack:<who>" or "cli:<who>"
REGATED_BY_KEY = f"{PREFIX}regated-by"  # who asked the gate to decide a version in review again, and why


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
            POLICY_HASH_KEY: policy.digest[:12] if policy else "invalid",
            DECIDED_AT_KEY: decided_at.isoformat(timespec="seconds"),
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


# --- a person's decision: a click in Slack, or `shepherd approve|reject` ----------------------------


def slack_description(status: str, actor: str, gate_description: str | None) -> str:
    """``Approved by Jane (U123) in Slack: <what the gate said>``."""
    return truncate(f"{status} by {actor} in Slack: {gate_description or 'no gate description'}", DESCRIPTION_LIMIT)


def cli_description(status: str, actor: str, reason: str) -> str:
    """``Rejected by jane (shepherd CLI): <the reason given>``."""
    return truncate(f"{status} by {actor} (shepherd CLI): {reason}", DESCRIPTION_LIMIT)


def decided_by_metadata(
    existing: Mapping[str, str], decided_by: str, decided_at: datetime | None = None
) -> dict[str, str]:
    """The package's metadata plus who decided (and when): UpdateModelPackage must not lose the team's
    keys or the gate's, and the release history names the person who approved."""
    merged = dict(existing)
    merged[DECIDED_BY_KEY] = truncate(decided_by, METADATA_VALUE_LIMIT)
    if decided_at is not None:
        merged[DECIDED_AT_KEY] = decided_at.isoformat(timespec="seconds")
    return merged


def recorded_decider(metadata: Mapping[str, str]) -> str | None:
    """Who decided by hand (``slack:...``, ``cli:...``), if a person did."""
    return metadata.get(DECIDED_BY_KEY) or None


def refusal(version: ModelVersion, status: str, live_arn: str | None) -> str | None:
    """Why a person may not set `status` on `version`, or None when they may.

    Rejecting the version production serves would leave it serving a Rejected version: roll back first.
    """
    if status == REJECTED and version.arn == live_arn:
        return f"{version.group} {version.label} is LIVE: roll back first, then reject it"
    return None
