"""POST /slack/actions: verify, parse, authorise, then hand the click to the decision it asks for.

Answers inside Slack's 3 s and does all the work before answering: Slack never retries a click, and
nothing is left to a background invocation that could be lost. Replies go to the click's response_url.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.shared.errors import ConfigurationError, InvalidSignatureError, MalformedActionError, ShepherdError
from chalicelib.shared.observability import count, logger
from chalicelib.slack import signature as slack_signature
from chalicelib.slack.auth import Approvers, Verdict, authorise
from chalicelib.slack.click import Click, Decide, parse_click, requested
from chalicelib.slack.decisions import decide, roll_back
from chalicelib.slack.deps import SlackActionDeps, reply
from chalicelib.slack.replies import ephemeral


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: Mapping[str, Any]


OK = HttpAnswer(200, {})  # Slack ignores the body of a block_actions answer; replies go to response_url


def handle_action(body: bytes, headers: Mapping[str, str], deps: SlackActionDeps) -> HttpAnswer:
    try:
        slack_signature.verify(deps.signing_secret(), headers, body, deps.clock().timestamp())
    except InvalidSignatureError as error:
        # Only the reason: never the body, the headers or anything derived from the secret.
        logger.warning("slack request refused", extra={"why": str(error)})
        count("SlackRequestRefused")
        return HttpAnswer(401, {"error": "invalid or missing Slack signature"})
    except ConfigurationError as error:
        logger.error("slack route not configured", extra={"error": str(error)})
        count("SlackNotConfigured")
        return HttpAnswer(503, {"error": "model-shepherd is not configured for Slack"})
    try:
        click = parse_click(body)
        wanted = requested(click) if click else None
    except MalformedActionError as error:
        logger.warning("malformed slack action", extra={"why": str(error)})
        count("SlackActionMalformed")
        return HttpAnswer(400, {"error": str(error)})
    if click is None or wanted is None:
        return OK  # not a click on one of our buttons: nothing to do
    verdict = _authorise(click, wanted.group, deps)
    if not verdict.allowed:
        # Keys passed per line, not appended: a warm process (or chalice local) must not carry them over.
        where = {"slack_user": click.user_id, "slack_action": click.action_id, "model_package_group": wanted.group}
        logger.warning("slack click refused", extra={"why": verdict.reason, **where})
        count("SlackClickRefused")
        reply(deps, click, ephemeral(f":no_entry: You may not do this for {wanted.group}: {verdict.reason}."))
        return OK
    if isinstance(wanted, Decide):
        decide(click, wanted, deps)
    else:
        roll_back(click, wanted, deps)
    return OK


def _authorise(click: Click, group: str, deps: SlackActionDeps) -> Verdict:
    try:
        approvers = Approvers.from_section(deps.policies.get(group).section("slack"))
    except ShepherdError as error:  # no policy, or an invalid one: nobody may act
        return Verdict(False, f"no usable policy ({type(error).__name__})")
    return authorise(click, deps.workspace, approvers, lambda group_id: _members(group_id, deps))


def _members(group_id: str, deps: SlackActionDeps) -> frozenset[str]:
    try:
        return deps.user_groups.members(group_id)
    except Exception as error:  # noqa: BLE001 - cannot tell who is in the group: nobody is (fail closed)
        logger.warning("cannot read slack user group", extra={"group_id": group_id, "error": repr(error)[:200]})
        count("SlackUserGroupUnreadable")
        return frozenset()
