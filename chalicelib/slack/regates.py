"""Decide again from Slack: an authorised reason-modal submission asks the gate for a second look at a version
in review (the same re-gate as `shepherd regate`). Once only.

It takes the version's decision lock, like Approve and Reject: a second look never races a person's decision.
The lock is confirmed only when the gate decided the version; a version still in review stays open to people.
"""

from __future__ import annotations

from chalicelib.gate.result import GateResult
from chalicelib.gate.verdict import Outcome
from chalicelib.shared.errors import ModelPackageNotFoundError, ShepherdError
from chalicelib.shared.model_version import PENDING
from chalicelib.shared.observability import count, logger
from chalicelib.slack.claim import Claim, decision_key
from chalicelib.slack.click import Click, Regate
from chalicelib.slack.deps import SlackActionDeps, reply
from chalicelib.slack.once import changed_nothing, confirm_lock, failed, free_lock, take_lock
from chalicelib.slack.replies import decided_by, decided_message
from chalicelib.slack.result import ClickOutcome, ClickResult

DECIDED_AGAIN = "Decided again"
_SAID = {Outcome.APPROVE: "approved", Outcome.REJECT: "rejected", Outcome.REVIEW: "still in review"}


def decide_again(click: Click, wanted: Regate, deps: SlackActionDeps, reason: str) -> ClickResult:
    try:
        claim, held = take_lock(decision_key(wanted.arn), click, DECIDED_AGAIN, deps)
    except Exception as error:  # noqa: BLE001 - the lock table failed: nothing was changed
        return failed(click, None, error, deps)
    if held:
        return changed_nothing(click, f"{_label(wanted)} was already {held.action.lower()} by {held.actor}", deps)
    try:
        version = deps.registry.get_version(wanted.arn)  # who decided it, when it is no longer in review
        if version.status != PENDING:
            free_lock(claim, deps)
            return changed_nothing(click, f"{_label(wanted)} is already {version.status}: {decided_by(version)}", deps)
        result = deps.regates.regate(wanted.arn, f"slack:{click.actor}", reason)
    except ModelPackageNotFoundError:
        free_lock(claim, deps)
        return changed_nothing(click, f"{_label(wanted)} no longer exists: nothing changed", deps)
    except ShepherdError as error:  # refused, or the policy is missing or invalid: nothing changed
        free_lock(claim, deps)
        return changed_nothing(click, f"Not decided again: {error}", deps)
    except Exception as error:  # noqa: BLE001 - throttled or failing: free the lock so a later click can try
        return failed(click, claim, error, deps)
    _settle(claim, result, deps)
    what = f"{DECIDED_AGAIN} {_label(wanted)}: {said(result)}"
    logger.info("slack regate", extra={"arn": wanted.arn, "result": result.as_dict(), "slack_user": click.user_id})
    count("SlackRegate", outcome=result.outcome.value if result.outcome else "none")
    reply(deps, click, decided_message(click, what, deps.clock(), ":repeat:", reason=reason))
    return ClickResult(ClickOutcome.DONE, what)


def said(result: GateResult) -> str:
    """What the gate decided now, as people read it: `still in review: auc 0.81 < 0.85`."""
    verdict = _SAID[result.outcome] if result.outcome else "nothing decided"
    if not result.applied:
        verdict += " (dry-run: nothing changed)"
    return verdict + (f": {'; '.join(result.reasons)}" if result.reasons else "")


def _settle(claim: Claim, result: GateResult, deps: SlackActionDeps) -> None:
    if result.applied and result.outcome in (Outcome.APPROVE, Outcome.REJECT):
        confirm_lock(claim, deps)  # decided: a late Approve or Reject is told who decided
    else:
        free_lock(claim, deps)  # still in review (or a dry run): people decide it from the new message


def _label(wanted: Regate) -> str:
    return f"{wanted.group} v{wanted.arn.rsplit('/', 1)[-1]}"
