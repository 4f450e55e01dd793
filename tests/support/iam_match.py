"""Does an IAM policy document allow one action on one resource ARN? Allow statements, matched as IAM does."""

from __future__ import annotations

import re
from typing import Any


def allows(document: dict[str, Any], action: str, arn: str) -> bool:
    return any(
        statement.get("Effect") == "Allow"
        and any(_matches(pattern, action, re.IGNORECASE) for pattern in _as_list(statement.get("Action")))
        and any(_matches(pattern, arn) for pattern in _as_list(statement.get("Resource")))
        for statement in _as_list(document.get("Statement"))
    )


def _matches(pattern: str, value: str, flags: int = 0) -> bool:
    """IAM wildcards: `*` any run of characters, `?` one. Actions compare case-insensitively, resources not."""
    regex = "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern)
    return re.fullmatch(regex, value, flags) is not None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
