"""What a step of the release state machine comes to: the release after it, the actions, who is told."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from chalicelib.release.state import Release, Stage


class Action(StrEnum):
    DEPLOY_STAGING = "deploy_staging"  # also a repair: the first attempt never landed
    RUN_SMOKE_TESTS = "run_smoke_tests"
    DEPLOY_PRODUCTION = "deploy_production"
    RESTORE_PREVIOUS = "restore_previous"  # production back to the release's rollback target
    DEPLOY_SHADOW = "deploy_shadow"  # production on the shadow config: the champion serves, the challenger copies
    SET_WEIGHTS = "set_weights"  # PROGRESSIVE: the current step's weights (also a repair: compared first)
    CONFIRM_PROMOTION = "confirm_promotion"  # ask the confirm_promotion hook before the release is LIVE
    POST_ROLLOUT = "post_rollout"  # tell the post_rollout hook it is LIVE (its answer is recorded only)


@dataclass(frozen=True)
class Transition:
    release: Release
    actions: tuple[Action, ...] = ()
    notify: str | None = None  # notification kind, e.g. "release.live"

    def moved(self, before: Release) -> bool:
        """True when the release itself changed (a write); False for a repair or nothing to do."""
        return self.release != before


ENDED_KINDS = {
    Stage.ROLLED_BACK: "release.rolled_back",
    Stage.STOPPED: "release.stopped",
    Stage.EXPIRED: "release.expired",
    Stage.SUPERSEDED: "release.superseded",
}


def end(release: Release, stage: Stage, reason: str, now: datetime, restore: bool = False) -> Transition:
    ended = replace(release, stage=stage, reason=reason, ended_at=now, reached=release.stage.value)
    actions = (Action.RESTORE_PREVIOUS,) if restore and release.previous else ()
    return Transition(ended, actions, notify=ENDED_KINDS.get(stage, "release.failed"))
