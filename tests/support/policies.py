"""Policies for unit tests, built the way the adapter builds them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from chalicelib.shared.policy import Policy
from devstack.batch_setup import batch_release

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


def serverless_endpoint(name: str, memory_mb: int = 2048, max_concurrency: int = 20, **more: Any) -> dict[str, Any]:
    return {
        "endpoint_name": name,
        "serverless": {"memory_size_mb": memory_mb, "max_concurrency": max_concurrency, **more},
    }


# The example group's release section made serverless: the same endpoints and smoke tests, all-at-once updates.
SERVERLESS_RELEASE: dict[str, Any] = {
    "target": "serverless",
    "staging": serverless_endpoint("fraud-detection-staging"),
    "production": serverless_endpoint("fraud-detection-prod", 4096, 50, provisioned_concurrency=5),
    "deployment": {"type": "ALL_AT_ONCE", "bake_minutes": 10},
}


def serverless_document() -> dict[str, Any]:
    document = example_document()
    document["release"].update(copy.deepcopy(SERVERLESS_RELEASE))  # a test may change its copy
    return document


# The example group's release section made async: the same endpoints (on instances), deployment and smoke tests.
ASYNC_RELEASE: dict[str, Any] = {
    "target": "async",
    "async_inference": {
        "output_path": "s3://my-bucket/async/answers",
        "failure_path": "s3://my-bucket/async/failures",
        "smoke_input_path": "s3://my-bucket/async/smoke",
        "max_concurrent_invocations": 4,
    },
}


def async_document() -> dict[str, Any]:
    document = example_document()
    document["release"].update(copy.deepcopy(ASYNC_RELEASE))  # a test may change its copy
    return document


# The example group's release section made batch: no endpoints, a smoke transform job on a sample per smoke test.
def batch_document() -> dict[str, Any]:
    document = example_document()
    document["release"] = batch_release(document["release"])
    return document


def policies_with_batch_release(directory: Path) -> Path:
    """A copy of the repository's policies whose example group's release is batch_release of its own."""
    policies_with(directory, "release", {})
    path = directory / EXAMPLE.name
    document = json.loads(path.read_text())
    document["release"] = batch_release(document["release"])
    path.write_text(json.dumps(document))
    return directory
