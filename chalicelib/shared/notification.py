"""A notification as one value: the JSON for SNS, its filterable attributes, and the Slack message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Notification:
    kind: str  # e.g. "gate.decision"; also the SNS attribute subscribers filter on
    text: str  # one line of plain text: the SNS subject, and Slack's fallback (escaped by the Slack notifier)
    body: Mapping[str, Any]  # the SNS message, as JSON
    attributes: Mapping[str, str] = field(default_factory=dict)
    blocks: Sequence[Mapping[str, Any]] = ()  # Slack Block Kit, its mrkdwn escaped (chalicelib.shared.slack_text)
