"""A PAUSED release stored directly, as the release engine leaves one when its analysis found no data too often."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.release.state import GroupState, Release, Rollout, Stage

JUDGEMENTS = (
    "PASS: ModelLatency p99 180000 <= 250000",
    "INCONCLUSIVE: ModelLatency: no data on Challenger",
    "INCONCLUSIVE: ModelLatency: 2 samples < 5",
)


def paused_state(
    state: GroupState, version: int, now: datetime, paused_from: Stage = Stage.PRODUCTION, policy: str | None = None
) -> GroupState:
    """`state` (its live version the champion) with `version` PAUSED since `now` at `paused_from`; its pause
    runs out in an hour. Paused from WATCHING, it serves production (it went live first)."""
    live = state.live
    arn = (live.arn.rsplit("/", 1)[0] if live else "arn:aws:sagemaker:us-east-1:123456789012:model-package/g") + (
        f"/{version}"
    )
    serving = paused_from is Stage.WATCHING
    release = Release(
        group=state.group,
        version=version,
        arn=arn,
        approved_by="model-shepherd gate",
        stage=Stage.PAUSED,
        started_at=now - timedelta(minutes=30),
        deadline=now + timedelta(hours=1),
        model=f"{state.group}-v{version}-model",
        staging_config=f"{state.group}-v{version}-staging",
        production_config=f"{state.group}-v{version}-prod",
        previous=live,
        live_since=now - timedelta(minutes=10) if serving else None,
        watch_until=now + timedelta(minutes=50) if serving else None,
        policy=policy,
        rollout=Rollout(step=1, inconclusive=3, results=JUDGEMENTS, paused_from=paused_from),
    )
    if serving:  # it went live before it paused: production serves it, its predecessor is the way back
        assert live is not None
        good = (live, *state.good)
        return replace(state, release=release, live=release.as_deployed(now - timedelta(minutes=10)), good=good)
    return replace(state, release=release)
