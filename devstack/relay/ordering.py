"""Which events the relay must hand over in order: those about the same model package group, or endpoint.

A group's versions are decided and released one after another, as one serial handler would see them;
an endpoint's (or an alarm's) state changes arrive in the order they happened. Anything else shares
one key per detail-type, so it keeps today's serial order.
"""

from __future__ import annotations

import json
from typing import Any

_PACKAGE_MARK = ":model-package/"


def ordering_key(body: str) -> str:
    try:
        event = json.loads(body)
    except ValueError:
        return ""
    detail = event.get("detail") if isinstance(event, dict) else None
    if not isinstance(detail, dict):
        return ""
    return _group(detail) or _named(detail) or f"type:{event.get('detail-type', '')}"


def _group(detail: dict[str, Any]) -> str:
    group = detail.get("ModelPackageGroupName")
    if isinstance(group, str) and group:
        return f"group:{group.lower()}"
    arn = detail.get("ModelPackageArn")
    if isinstance(arn, str) and _PACKAGE_MARK in arn:  # arn:...:model-package/<group>/<version>
        return f"group:{arn.split(_PACKAGE_MARK, 1)[1].rsplit('/', 1)[0].lower()}"
    return ""


def _named(detail: dict[str, Any]) -> str:
    for field, kind in (("EndpointName", "endpoint"), ("alarmName", "alarm")):
        name = detail.get(field)
        if isinstance(name, str) and name:
            return f"{kind}:{name}"
    return ""
