"""What a deployment step's outcome means for a release: staging InService -> smoke tests; smoke tests
passed -> production (or promotion, or the shadow test); production InService on the new config -> LIVE or
WATCHING; a refusal or SageMaker's own rollback -> FAILED or ROLLED_BACK."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from chalicelib.hooks.engine import going_live
from chalicelib.release.awaiting import await_promotion
from chalicelib.release.judged import judging_from
from chalicelib.release.machine_events import FAILED_STATUSES, IN_SERVICE, MISSING, EndpointSeen, SmokeTested
from chalicelib.release.progressive import aborted, split_seen, stepping
from chalicelib.release.shadow_stage import enter_shadow, shadowing
from chalicelib.release.state import Release, Stage
from chalicelib.release.transition import Action, Transition, end


def endpoint_seen(release: Release, seen: EndpointSeen) -> Transition:
    if seen.role == "staging" and release.stage is Stage.STAGING:
        if seen.status == IN_SERVICE and seen.config == release.staging_config:
            return Transition(replace(release, stage=Stage.SMOKE_TESTING), (Action.RUN_SMOKE_TESTS,))
        if seen.status in FAILED_STATUSES or (seen.status == IN_SERVICE and seen.failure):
            # InService on another config with a FailureReason: SageMaker refused our update.
            why = f"staging {seen.kind} {seen.status}: {seen.failure or 'no reason'}"
            return end(release, Stage.FAILED, why, seen.at)
        if seen.status in (IN_SERVICE, MISSING):
            return Transition(release, (Action.DEPLOY_STAGING,))  # our deploy never landed: repair
    if seen.role == "production" and release.stage is Stage.PRODUCTION:
        return aborted(_production_seen(release, seen), release)
    return Transition(release)


def _production_seen(release: Release, seen: EndpointSeen) -> Transition:
    if seen.status in FAILED_STATUSES:
        why = f"production endpoint {seen.status}: {seen.failure or 'no reason'}"
        return end(release, Stage.FAILED, why, seen.at, restore=True)
    if seen.status not in (IN_SERVICE, MISSING):
        return Transition(release)  # Creating, Updating, RollingBack: the next event will tell
    if stepping(release):
        config = seen.config if seen.status == IN_SERVICE else None
        return split_seen(release, seen.at, config, seen.failure, seen.challenger_weight)
    if seen.status == MISSING or (seen.config != release.production_config and not seen.failure):
        return Transition(release, (Action.DEPLOY_PRODUCTION,))  # our deploy never landed: repair
    if seen.config != release.production_config:
        why = f"SageMaker rolled the update back: {seen.failure or 'a guardrail alarm fired'}"
        # "Back" may be a split or shadow config (PROGRESSIVE, a shadow test): the champion's own is restored then.
        back_on_champion = release.previous is None or seen.config == release.previous.config
        return end(release, Stage.ROLLED_BACK, why, seen.at, restore=not back_on_champion)
    minimum = release.rules.min_canary_invocations
    if seen.canary_invocations is not None and seen.canary_invocations < minimum:
        why = f"the canary saw {seen.canary_invocations} invocations, fewer than the {minimum} required"
        return end(release, Stage.ROLLED_BACK, why, seen.at, restore=True)
    # A judged release is watched for at least one measurement's interval, even with no watch window.
    watch = max(release.rules.watch, seen.judged_every or timedelta(0))
    watching = watch.total_seconds() > 0
    live = replace(
        release,
        stage=Stage.WATCHING if watching else Stage.LIVE,
        live_since=seen.at,
        watch_until=seen.at + watch if watching else None,
        ended_at=None if watching else seen.at,
    )
    live_transition = Transition(judging_from(live, seen.at) if seen.judged_every else live, notify="release.live")
    return going_live(release, live_transition)


def smoke_tested(release: Release, tested: SmokeTested) -> Transition:
    if tested.failures:
        return end(release, Stage.FAILED, "smoke tests failed: " + "; ".join(tested.failures), tested.at)
    if release.rules.manual_promotion:
        return await_promotion(release, tested.at)
    if shadowing(release):
        return enter_shadow(release, tested.at)
    deadline = tested.at + release.rules.production_deadline
    return Transition(replace(release, stage=Stage.PRODUCTION, deadline=deadline), (Action.DEPLOY_PRODUCTION,))
