"""The stages a release moves through, and which of them are in flight or serve production."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    STAGING = "STAGING"  # the staging endpoint is being created or updated
    SMOKE_TESTING = "SMOKE_TESTING"  # staging is InService; the smoke tests are running
    AWAITING_PROMOTION = "AWAITING_PROMOTION"  # smoke tests passed; a person promotes it (manual promotion)
    SHADOW = "SHADOW"  # the challenger answers copies of production's requests, judged against the champion
    PRODUCTION = "PRODUCTION"  # production is being created or updated (blue/green)
    WATCHING = "WATCHING"  # live, inside the watch window: alarms still roll it back
    LIVE = "LIVE"  # live, watch window over: the release ended well
    PAUSED = "PAUSED"  # the analysis had no data too often: people Continue it or roll it back
    FAILED = "FAILED"
    ROLLED_BACK = "ROLLED_BACK"
    SUPERSEDED = "SUPERSEDED"  # queued (or awaiting promotion), and a newer version arrived first
    STOPPED = "STOPPED"  # a person stopped it while it awaited promotion: production untouched
    EXPIRED = "EXPIRED"  # nobody promoted it in time: production untouched


IN_FLIGHT = frozenset(
    {
        Stage.STAGING,
        Stage.SMOKE_TESTING,
        Stage.AWAITING_PROMOTION,
        Stage.SHADOW,
        Stage.PRODUCTION,
        Stage.WATCHING,
        Stage.PAUSED,
    }
)
SERVING = frozenset({Stage.WATCHING, Stage.LIVE})
