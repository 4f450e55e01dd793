"""What a release carries besides its stage: its policy's timings, frozen when it starts (Rules), and where
its judged rollout stands (Rollout)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.release.stages import Stage


@dataclass(frozen=True)
class Rules:
    """The policy's timings, frozen into a release when it starts so a policy edit cannot move them."""

    staging_deadline: timedelta = timedelta(minutes=30)
    production_deadline: timedelta = timedelta(minutes=60)
    watch: timedelta = timedelta(minutes=60)
    min_canary_invocations: int = 0
    manual_promotion: bool = False  # after the smoke tests, wait for a person's Promote
    promotion_expires: timedelta = timedelta(hours=72)  # then EXPIRED, production untouched
    promotion_reminder: timedelta = timedelta(hours=24)  # one reminder this long after it started waiting
    progressive_steps: tuple[int, ...] = ()  # PROGRESSIVE: the challenger's percent of traffic per step, up to 100
    step_duration: timedelta = timedelta(0)  # PROGRESSIVE: how long each step is held (and judged)
    shadow_percent: int = 0  # the shadow test's sampling of production's requests; 0: no shadow test
    shadow_duration: timedelta = timedelta(0)  # how long the shadow test runs (and is judged)
    hooks: tuple[str, ...] = ()  # the rollout hooks its policy names (pre_rollout, confirm_promotion, post_rollout)


@dataclass(frozen=True)
class Rollout:
    """Where a judged rollout stands: the progressive step, the shadow test, the metric analysis's counts."""

    step: int = 0  # index into the policy's progressive steps
    step_since: datetime | None = None  # when the current step (or the shadow test) started taking traffic
    judged_until: datetime | None = None  # the end of the last measurement: the next is due an interval later
    failures: int = 0  # failed measurements so far
    inconclusive: int = 0  # measurements without enough data so far
    results: tuple[str, ...] = ()  # the measurements' summaries, oldest first (kept short): history, notices
    paused_from: Stage | None = None  # PAUSED: the stage a person's Continue returns it to
    # The last measurement's verdict (PASS, FAIL, INCONCLUSIVE; "" before one): a step, a shadow test or a watch
    # window ends only on a PASS, never on no data.
    last_verdict: str = ""
