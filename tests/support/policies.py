"""Policies for unit tests, built the way the adapter builds them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chalicelib.shared.policy import Policy

EXAMPLE = Path(__file__).parents[2] / "policies" / "fraud-detection-models.json"


def example_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return document


def example_policy(**changes: Any) -> Policy:
    return Policy.from_document({**example_document(), **changes})
