"""POST /slack/actions: verify, parse, authorise, then hand the click to the decision it asks for.

Reject, Decide again, Roll back, Stop and a paused release's Continue first ask why (a modal); its submission
comes back here, is verified and authorised again, and only then acts, once.

Answers inside Slack's 3 s and does all the work before answering: Slack never retries a click, and
nothing is left to a background invocation that could be lost. Replies go to the click's response_url.
A request that is not Slack's, or not readable, raises (logged and counted here); handlers.py answers it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from chalicelib.shared.errors import MalformedActionError, ShepherdError
from chalicelib.shared.model_version import APPROVED
from chalicelib.shared.observability import count, logger
from chalicelib.slack.approvals import ApprovalRules
from chalicelib.slack.auth import Approvers, Permission, authorise
from chalicelib.slack.click import Click, Decide, Paused, Promotion, Regate, Request, Retry, click_from, requested
from chalicelib.slack.decisions import decide, retry, roll_back
from chalicelib.slack.deps import SlackActionDeps, reply
from chalicelib.slack.four_eyes import approve_continue, approve_promotion, approve_version
from chalicelib.slack.modal import ASKS_REASON, CLOSE, parse_submission, reason_required
from chalicelib.slack.pauses import continue_or_roll_back
from chalicelib.slack.payload import read_payload
from chalicelib.slack.promotions import promote_or_stop
from chalicelib.slack.reasons import ask_reason
from chalicelib.slack.regates import decide_again
from chalicelib.slack.replies import ephemeral
from chalicelib.slack.result import IGNORED, ClickOutcome, ClickResult
from chalicelib.slack.stale import stale
from chalicelib.slack.verified import members_or_nobody, verify_request

S = TypeVar("S")
T = TypeVar("T")


def handle_action(body: bytes, headers: Mapping[str, str], deps: SlackActionDeps) -> ClickResult:
    """Raises InvalidSignatureError, ConfigurationError (no signing secret) or MalformedActionError."""
    verify_request(body, headers, deps.signing_secret, deps.clock)
    payload = _read(read_payload, body)
    if payload.get("type") == "view_submission":
        return _submitted(payload, deps)
    click = _read(click_from, payload)
    wanted = _read(requested, click) if click else None
    if click is None or wanted is None:
        return IGNORED  # not a click on one of our buttons: nothing to do
    refused = _refused(click, wanted.group, deps)
    if refused:
        return refused
    if click.action_id in ASKS_REASON:  # nothing changes until the reason comes back, if it may still be asked
        return stale(click, wanted, deps) or ask_reason(click, wanted, deps)
    return _act(click, wanted, deps)


def _submitted(payload: Mapping[str, Any], deps: SlackActionDeps) -> ClickResult:
    """The reason modal submitted: verified like a click, authorised again, then the click's action, once."""
    submission = _read(parse_submission, payload)
    wanted = _read(requested, submission.click) if submission else None
    if submission is None or wanted is None:
        return IGNORED  # a view that is not ours
    refused = _refused(submission.click, wanted.group, deps)
    if refused:
        return replace(refused, response=reason_required(f"You may not do this for {wanted.group}."))
    if not submission.reason:
        count("SlackReasonMissing")
        return ClickResult(ClickOutcome.REFUSED, "no reason given", response=reason_required())
    return replace(_act(submission.click, wanted, deps, submission.reason), response=CLOSE)


def _act(click: Click, wanted: Request, deps: SlackActionDeps, reason: str = "") -> ClickResult:
    """Approve, Promote and Continue are approvals (counted, four eyes); Reject, Stop and Roll back act at once."""
    if isinstance(wanted, Decide):
        if wanted.status == APPROVED:
            return approve_version(click, wanted, deps, _rules(wanted.group, deps))
        return decide(click, wanted, deps, reason)
    if isinstance(wanted, Regate):
        return decide_again(click, wanted, deps, reason)
    if isinstance(wanted, Retry):
        return retry(click, wanted, deps)
    if isinstance(wanted, Promotion):
        if wanted.promote:
            return approve_promotion(click, wanted, deps, _rules(wanted.group, deps))
        return promote_or_stop(click, wanted, deps, reason)
    if isinstance(wanted, Paused) and wanted.go_on:
        return approve_continue(click, wanted, deps, _rules(wanted.group, deps), reason)
    if isinstance(wanted, Paused):
        return continue_or_roll_back(click, wanted, deps, reason)
    return roll_back(click, wanted, deps, reason)


def _rules(group: str, deps: SlackActionDeps) -> ApprovalRules:
    # Read after _authorise found the policy usable: the same (cached) document.
    return ApprovalRules.from_section(deps.policies.get(group).section("slack"))


def _refused(click: Click, group: str, deps: SlackActionDeps) -> ClickResult | None:
    permission = _authorise(click, group, deps)
    if permission.allowed:
        return None
    # Keys passed per line, not appended: a warm process (or chalice local) must not carry them over.
    where = {"slack_user": click.user_id, "slack_action": click.action_id, "model_package_group": group}
    logger.warning("slack click refused", extra={"why": permission.reason, **where})
    count("SlackClickRefused")
    reply(deps, click, ephemeral(f":no_entry: You may not do this for {group}: {permission.reason}."))
    return ClickResult(ClickOutcome.REFUSED, permission.reason)


def _read(parse: Callable[[S], T], source: S) -> T:
    """`parse(source)`; a payload we cannot read is logged and counted, then raised (the route answers 400)."""
    try:
        return parse(source)
    except MalformedActionError as error:
        logger.warning("malformed slack action", extra={"why": str(error)})
        count("SlackActionMalformed")
        raise


def _authorise(click: Click, group: str, deps: SlackActionDeps) -> Permission:
    try:
        approvers = Approvers.from_section(deps.policies.get(group).section("slack"))
    except ShepherdError as error:  # no policy, or an invalid one: nobody may act
        return Permission(False, f"no usable policy ({type(error).__name__})")
    return authorise(click, deps.workspace, approvers, lambda group_id: members_or_nobody(group_id, deps.user_groups))
