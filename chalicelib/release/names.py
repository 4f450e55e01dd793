"""Names of the SageMaker resources a release creates: unique per attempt, within SageMaker's 63 characters."""

from __future__ import annotations

import re
from datetime import datetime

NAME_LIMIT = 63
_INVALID = re.compile(r"[^a-zA-Z0-9-]+")


def resource_names(group: str, version: int, started: datetime) -> tuple[str, str, str]:
    """(model, staging endpoint config, production endpoint config) for one release attempt."""
    stamp = started.strftime("%Y%m%d%H%M%S")
    suffix = f"-v{version}-{stamp}"
    base = _INVALID.sub("-", group).strip("-")[: NAME_LIMIT - len(suffix) - 4]
    model = f"{base}{suffix}"
    return model, f"{model}-stg", f"{model}-prd"
