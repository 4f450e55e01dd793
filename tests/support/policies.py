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
    return policies_with(directory, "release", release)


def policies_with_slack(directory: Path, **slack: Any) -> Path:
    """A copy of the repository's policies whose example group's `slack` section has `slack` merged in."""
    return policies_with(directory, "slack", slack)


def policies_with(directory: Path, section: str, changes: dict[str, Any]) -> Path:
    """A copy of the repository's policies (made unless `directory` holds one) with `changes` merged into the
    example group's `section`."""
    import shutil

    from chalicelib.shared.settings import SOURCE_POLICIES

    path = directory / EXAMPLE.name
    if not path.exists():
        shutil.copytree(SOURCE_POLICIES, directory)
    document = json.loads(path.read_text())
    document[section].update(changes)
    path.write_text(json.dumps(document))
    return directory


MANUAL_PROMOTION = {"mode": "manual", "expires_hours": 72, "remind_after_hours": 24}
