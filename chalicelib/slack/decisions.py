"""What an authorised click does: Approve/Reject a pending version, roll production back, or retry a failed
release. Once only."""

from __future__ import annotations

from chalicelib.shared import decision_record as record
from chalicelib.shared.errors import ModelPackageNotFoundError, ShepherdError
from chalicelib.shared.model_version import PENDING, ModelVersion
from chalicelib.shared.observability import count, logger
from chalicelib.slack.claim import decision_key, retry_key, rollback_key
from chalicelib.slack.click import Click, Decide, Retry, Rollback
from chalicelib.slack.deps import SlackActionDeps, reply
from chalicelib.slack.once import changed_nothing, confirm_lock, failed, free_lock, take_lock
from chalicelib.slack.replies import decided_by, decided_message, verb
from chalicelib.slack.result import ClickOutcome, ClickResult

ROLLED_BACK = "Rolled back"
RETRIED = "Retried"


def decide(click: Click, wanted: Decide, deps: SlackActionDeps, reason: str = "") -> ClickResult:
    """Lock, re-read, update: the first click wins; a version no longer pending is left alone.
    `reason`: what the person wrote in the reason modal (a Reject's), kept in ApprovalDescription."""
    try:
        claim, held = take_lock(decision_key(wanted.arn), click, verb(wanted.status), deps)
    except Exception as error:  # noqa: BLE001 - the lock table throttled or failed: nothing was changed
        return failed(click, None, error, deps)
    if held:
        return changed_nothing(click, f"{_label(wanted.arn)} was already {held.action.lower()} by {held.actor}", deps)
    try:
        version = deps.registry.get_version(wanted.arn)  # the button is a lookup key: trust only the registry
        if version.status != PENDING:
            free_lock(claim, deps)
            decided = f"{version.group} {version.label} is already {version.status}: {decided_by(version)}"
            return changed_nothing(click, decided, deps)
        left_out = _record(version, wanted.status, click, deps, reason)
    except ModelPackageNotFoundError:
        free_lock(claim, deps)
        return changed_nothing(click, f"{_label(wanted.arn)} no longer exists: nothing changed", deps)
    except Exception as error:  # noqa: BLE001 - throttled or broken: free the lock so a later click can decide
        return failed(click, claim, error, deps)
    confirm_lock(claim, deps)
    logger.info("slack decision", extra={"arn": wanted.arn, "status": wanted.status, "slack_user": click.user_id})
    count("SlackDecision", status=wanted.status)
    what = f"{claim.action} {version.label}" + (f" ({record.no_room_note(left_out)})" if left_out else "")
    reply(deps, click, decided_message(click, what, deps.clock(), reason=reason))
    return ClickResult(ClickOutcome.DONE, what)


def roll_back(click: Click, wanted: Rollback, deps: SlackActionDeps, reason: str = "") -> ClickResult:
    key = rollback_key(wanted.group, click.channel_id, click.message_ts, wanted.to_version)
    try:
        claim, held = take_lock(key, click, ROLLED_BACK, deps)
    except Exception as error:  # noqa: BLE001
        return failed(click, None, error, deps)
    if held:
        return changed_nothing(click, f"{wanted.group} was already rolled back from this message by {held.actor}", deps)
    why = reason or f"Roll back clicked in Slack by {click.actor}"
    try:
        result = deps.rollbacks.rollback(wanted.group, wanted.to_version, f"slack:{click.actor}", why)
    except ShepherdError as error:  # refused (nothing to roll back to, engine missing...): say why
        free_lock(claim, deps)
        return changed_nothing(click, f"Not rolled back: {error}", deps)
    except Exception as error:  # noqa: BLE001
        return failed(click, claim, error, deps)
    confirm_lock(claim, deps)
    target = result.to_version
    logger.info(
        "slack rollback", extra={"group": wanted.group, "result": result.as_dict(), "slack_user": click.user_id}
    )
    count("SlackRollback")
    what = f"{ROLLED_BACK} {wanted.group}" + (f" to v{target}" if target else "")
    reply(deps, click, decided_message(click, what, deps.clock(), reason=reason))
    return ClickResult(ClickOutcome.DONE, what)


def retry(click: Click, wanted: Retry, deps: SlackActionDeps) -> ClickResult:
    try:
        claim, held = take_lock(
            retry_key(wanted.group, wanted.version, click.channel_id, click.message_ts), click, RETRIED, deps
        )
    except Exception as error:  # noqa: BLE001
        return failed(click, None, error, deps)
    if held:
        return changed_nothing(click, f"{wanted.group} v{wanted.version} was already retried by {held.actor}", deps)
    try:
        deps.retries.retry(
            wanted.group, wanted.version, f"slack:{click.actor}", f"Retry clicked in Slack by {click.actor}"
        )
    except ShepherdError as error:  # refused (not failed, no longer Approved, in flight): say why
        free_lock(claim, deps)
        return changed_nothing(click, f"Not retried: {error}", deps)
    except Exception as error:  # noqa: BLE001
        return failed(click, claim, error, deps)
    confirm_lock(claim, deps)
    logger.info("slack retry", extra={"group": wanted.group, "version": wanted.version, "slack_user": click.user_id})
    count("SlackRetry")
    what = f"{RETRIED} {wanted.group} v{wanted.version}"
    reply(deps, click, decided_message(click, what, deps.clock()))
    return ClickResult(ClickOutcome.DONE, what)


def _record(version: ModelVersion, status: str, click: Click, deps: SlackActionDeps, reason: str) -> tuple[str, ...]:
    """Records the decision; returns our keys the team's metadata left no room for (the description names who)."""
    description = record.slack_description(status, click.actor, version.approval_description, reason)
    update = record.decided_by_metadata(version.metadata, f"slack:{click.actor}", deps.clock())
    deps.registry.record_decision(version, status, description, update.metadata)
    if update.left_out:
        logger.warning("no room for our metadata", extra={"left_out": update.left_out})
        count("MetadataBudgetExceeded")
    return update.left_out


def _label(arn: str) -> str:
    return arn.rsplit("/", 2)[-2] + " v" + arn.rsplit("/", 1)[-1]
