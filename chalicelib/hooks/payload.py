"""What a hook is sent: the release it is asked about, small and bounded, never a secret.

Every value is bounded by AWS's own limits (group names 63 characters, ARNs 2048), so the document
stays well under MAX_PAYLOAD_BYTES, the size a receiver may refuse anything beyond.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from chalicelib.release.state import Release

PAYLOAD_VERSION = 1  # a receiver may refuse a version it does not know
MAX_PAYLOAD_BYTES = 8 * 1024


def hook_payload(hook: str, release: Release, now: datetime) -> bytes:
    document: dict[str, Any] = {
        "payload_version": PAYLOAD_VERSION,
        "hook": hook,
        "group": release.group,
        "model_version": release.version,
        "model_package_arn": release.arn,
        "approved_by": release.approved_by[:256],
        "stage": release.stage.value,
        "release_key": release.key,
        "started_at": _time(release.started_at),
        "deadline": _time(release.deadline),
        "live_since": _time(release.live_since),
        "endpoint_config": release.production_config,
        "previous_version": release.previous.version if release.previous else None,
        "sent_at": _time(now),
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
