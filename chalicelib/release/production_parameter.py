"""Where a batch target's production lives: an SSM parameter the team's batch pipeline reads, naming the
approved model. Its value is JSON: the version, the package ARN and the SageMaker model's name.

A value that is not ours (hand-edited, another tool's) is not trusted as a rollback target: reading it gives
None, and the caller falls back on the release history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

PARAMETER_PREFIX = "/model-shepherd"
VALUE_LIMIT = 4096  # a Standard tier SSM parameter's value, in characters


@dataclass(frozen=True)
class PublishedModel:
    version: int
    package_arn: str
    model_name: str


def parameter_name(group: str) -> str:
    """`/model-shepherd/<group>/production`: group names are valid SSM path segments as SageMaker allows them."""
    return f"{PARAMETER_PREFIX}/{group}/production"


def parameter_value(model: PublishedModel) -> str:
    value = {"version": model.version, "model_package_arn": model.package_arn, "model_name": model.model_name}
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def published_model(value: str) -> PublishedModel | None:
    """The model a parameter value names, or None when the value is not one we wrote."""
    if len(value) > VALUE_LIMIT:
        return None
    try:
        document: Any = json.loads(value)
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    version, arn, name = (document.get(key) for key in ("version", "model_package_arn", "model_name"))
    if type(version) is not int or version < 1 or not isinstance(arn, str) or not isinstance(name, str):
        return None
    return PublishedModel(version, arn, name) if arn and name else None
