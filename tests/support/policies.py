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


def policies_with_release(directory: Path, **release: Any) -> Path:
    """A copy of the repository's policies whose example group's `release` section has `release` merged in."""
    import shutil

    from chalicelib.shared.settings import SOURCE_POLICIES

    shutil.copytree(SOURCE_POLICIES, directory)
    path = directory / EXAMPLE.name
    document = example_document()
    document["release"].update(release)
    path.write_text(json.dumps(document))
    return directory


MANUAL_PROMOTION = {"mode": "manual", "expires_hours": 72, "remind_after_hours": 24}


def policies_with_slack(directory: Path, **slack: Any) -> Path:
    """A copy of the repository's policies whose example group's `slack` section has `slack` merged in."""
    policies_with_release(directory)
    path = directory / EXAMPLE.name
    document = json.loads(path.read_text())
    document["slack"].update(slack)
    path.write_text(json.dumps(document))
    return directory
