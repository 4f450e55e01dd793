"""Approve, Promote and a paused release's Continue under four eyes: an approval is counted per distinct
person, and the decision is applied (through the once-only decisions in chalicelib.slack.decisions, .promotions
and .pauses) by the click that completes the count. The registrant's own approval is not counted. Reject, Stop
and Roll back end it at once. A Continue is counted when its reason modal is submitted; Slack sends no message
with a submission, so its progress is told to the submitter alone and the message keeps its buttons.

What is approved is re-read first (the version still pending; the release still awaiting promotion, or still
PAUSED), and the click that applies re-reads it again under the once-only lock, so an approval never outlives
a Rejected candidate, an expired release or someone else's decision.
"""

from __future__ import annotations

from chalicelib.shared.errors import ModelPackageNotFoundError, ShepherdError
from chalicelib.shared.model_version import PENDING, ModelVersion
from chalicelib.shared.observability import count, logger
from chalicelib.slack.approvals import (
    APPROVALS,
    CONTINUES,
    PROMOTIONS,
    ApprovalRules,
    Clicks,
    Email,
    Tally,
    approvers_reason,
    needs_email,
    progress_line,
    registrant,
    self_approval_refusal,
)
from chalicelib.slack.claim import approvals_key, continue_approvals_key, promotion_approvals_key
from chalicelib.slack.click import Click, Decide, Paused, Promotion
from chalicelib.slack.decisions import decide
from chalicelib.slack.deps import SlackActionDeps, reply
from chalicelib.slack.once import changed_nothing, failed
from chalicelib.slack.pauses import continue_or_roll_back
from chalicelib.slack.promotions import promote_or_stop
from chalicelib.slack.replies import approvals_message, ephemeral
from chalicelib.slack.result import ClickOutcome, ClickResult


def approve_version(click: Click, wanted: Decide, deps: SlackActionDeps, rules: ApprovalRules) -> ClickResult:
    try:
        version = deps.registry.get_version(wanted.arn)
    except ModelPackageNotFoundError:
        return changed_nothing(click, f"{wanted.group} {wanted.arn.rsplit('/', 1)[-1]} no longer exists", deps)
    except Exception as error:  # noqa: BLE001 - throttled or failing: nothing was counted
        return failed(click, None, error, deps)
    if version.status != PENDING:
        return decide(click, wanted, deps)  # decided already: it says by whom, and changes nothing
    counted = _count(click, version, approvals_key(wanted.arn), rules, deps)
    if isinstance(counted, ClickResult):
        return counted
    return decide(click, wanted, deps, reason=counted)


def approve_promotion(click: Click, wanted: Promotion, deps: SlackActionDeps, rules: ApprovalRules) -> ClickResult:
    try:
        awaiting = deps.promotions.awaiting(wanted.group, wanted.version)
        version = deps.registry.get_version(awaiting.arn)
    except ShepherdError as error:  # nothing awaits promotion (expired, stopped, promoted), or the package is gone
        return changed_nothing(click, f"Not promoted: {error}", deps)
    except Exception as error:  # noqa: BLE001
        return failed(click, None, error, deps)
    key = promotion_approvals_key(wanted.group, wanted.version, awaiting.started_at.timestamp())
    counted = _count(click, version, key, rules, deps, PROMOTIONS)
    if isinstance(counted, ClickResult):
        return counted
    return promote_or_stop(click, wanted, deps, reason=counted)


def approve_continue(
    click: Click, wanted: Paused, deps: SlackActionDeps, rules: ApprovalRules, reason: str
) -> ClickResult:
    """A Continue submission counts like a Promote; the one that completes the count continues the release."""
    try:
        pause = deps.pauses.paused(wanted.group, wanted.version)
        version = deps.registry.get_version(pause.arn)
    except ModelPackageNotFoundError:
        return changed_nothing(click, f"Not continued: {wanted.group} v{wanted.version} no longer exists", deps)
    except ShepherdError as error:  # no longer PAUSED: continued, rolled back, or its pause ran out
        return changed_nothing(click, f"Not continued: {error}", deps)
    except Exception as error:  # noqa: BLE001
        return failed(click, None, error, deps)
    key = continue_approvals_key(wanted.group, wanted.version, pause.until.timestamp())
    counted = _count(click, version, key, rules, deps, CONTINUES)
    if isinstance(counted, ClickResult):
        return counted
    return continue_or_roll_back(click, wanted, deps, f"{reason} ({counted})" if counted else reason)


def _count(
    click: Click,
    version: ModelVersion,
    key: str,
    rules: ApprovalRules,
    deps: SlackActionDeps,
    clicks: Clicks = APPROVALS,
) -> str | ClickResult:
    """The reason the applying click records ("" with one approver), or the answer to a click that does not apply."""
    refusal = _self_approval(click, version, rules, deps)
    if refusal:
        logger.warning("slack approval not counted", extra={"why": refusal, "slack_user": click.user_id})
        count("SlackApprovalNotCounted")
        reply(deps, click, ephemeral(f":no_entry: {refusal}"))
        return ClickResult(ClickOutcome.NOT_COUNTED, refusal)
    if rules.required <= 1:
        return ""
    try:
        tally = deps.tallies.add(key, click.user_id, click.actor, rules.required, deps.clock().timestamp())
    except Exception as error:  # noqa: BLE001 - the table throttled or failed: not counted, click again
        return failed(click, None, error, deps)
    if tally.complete(rules.required):
        return approvers_reason(tally)  # this click applies (or retries a lost application: the lock decides)
    return _waiting(click, version, tally, rules, deps, clicks)


def _waiting(
    click: Click, version: ModelVersion, tally: Tally, rules: ApprovalRules, deps: SlackActionDeps, clicks: Clicks
) -> ClickResult:
    progress = progress_line(tally, rules.required, clicks)
    logger.info("slack approval counted", extra={"arn": version.arn, "slack_user": click.user_id, "progress": progress})
    count("SlackApprovalCounted")
    if tally.counted and _shown(click):
        reply(deps, click, approvals_message(click, f":eyes: {progress}"))
    elif tally.counted:  # a modal's submission: Slack sent no message to rewrite, so the buttons stay as they are
        reply(deps, click, ephemeral(f":eyes: Counted. {progress}"))
    else:
        reply(deps, click, ephemeral(f":information_source: {clicks.already} {progress}"))
    return ClickResult(ClickOutcome.COUNTED, progress)


def _shown(click: Click) -> bool:
    return bool((click.message or {}).get("blocks"))


def _self_approval(click: Click, version: ModelVersion, rules: ApprovalRules, deps: SlackActionDeps) -> str | None:
    registered_by = registrant(version.metadata)
    if not needs_email(rules, registered_by):
        return None
    return self_approval_refusal(rules, registered_by, _email(click, deps))


def _email(click: Click, deps: SlackActionDeps) -> Email:
    """Asked once per click: no cache across requests, so a changed profile is seen at once."""
    try:
        return Email(deps.users.email(click.user_id))
    except Exception as error:  # noqa: BLE001 - rate limited, missing scope, Slack down: counted as unknown
        logger.warning("cannot read slack user", extra={"slack_user": click.user_id, "error": repr(error)[:200]})
        count("SlackUserUnreadable")
        return Email(error=_short(error))


def _short(error: Exception) -> str:
    response = getattr(error, "response", None)  # slack_sdk's SlackApiError carries Slack's error code
    code = response.get("error") if response is not None and hasattr(response, "get") else None
    return str(code or type(error).__name__)[:100]
