"""The fake Slack's control routes, so a person (or `shepherd slack ...`) in another process can use it.

GET  /fake/messages                         every message posted, as it looks now
POST /fake/click {"group", "version", "action", "user", "reason"?}
    clicks the newest message's button for that version (approve, reject, regate, rollback, promote, stop,
    continue, rollback-paused), signed as Slack signs it, on the app's /slack/actions; when the click opens a
    modal (Reject, Decide again, Roll back, Stop and Continue ask why) and a "reason" is given, the clicker
    types it and submits. Answers the app's status, what it replied and the modal's state (open with the
    app's errors, or submitted).
POST /fake/users {"U...": "e-mail", ...}     the profile e-mails users.info gives from now on
POST /fake/command {"text", "user"}
    the user types `/shepherd TEXT`: posted signed to the app's /slack/commands; answers the app's status and
    its JSON answer (devstack.fake_slack_commands).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from devstack.fake_slack import FakeSlack

ACTIONS = {
    "approve": "shepherd_approve",
    "reject": "shepherd_reject",
    "regate": "shepherd_regate",
    "rollback": "shepherd_rollback",
    "promote": "shepherd_promote",
    "stop": "shepherd_stop",
    "continue": "shepherd_continue",  # a PAUSED release's message
    "rollback-paused": "shepherd_paused_rollback",
}


def messages(slack: FakeSlack) -> list[dict[str, Any]]:
    return [{**message, "buttons": buttons(message)} for message in list(slack.messages)]


def buttons(message: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {"action_id": str(element.get("action_id")), "value": str(element.get("value", ""))}
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]


def click(slack: FakeSlack, request: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
    action_id = ACTIONS.get(str(request.get("action")))
    if action_id is None:
        return 400, {"error": f"action must be one of {', '.join(ACTIONS)}"}
    if not slack.actions_url:
        return 409, {"error": "this fake Slack knows no app to send clicks to"}
    try:
        version = int(request.get("version", 0))
    except (TypeError, ValueError):
        return 400, {"error": "version must be a whole number"}
    group, user = str(request.get("group")), str(request.get("user"))
    message = find_message(slack, action_id, group, version)
    if message is None:
        return 404, {"error": f"no message with a {request.get('action')} button for {group} v{version}"}
    before, modals = len(slack.replies), len(slack.views.opened)
    status, body = slack.click(slack.actions_url, message, action_id, user)
    modal = slack.views.opened[modals] if len(slack.views.opened) > modals else None
    if modal is not None and status == 200 and isinstance(request.get("reason"), str):
        status, body = slack.submit(slack.actions_url, str(request["reason"]), modal.id)
    replies = [{"text": reply.body.get("text", ""), "ephemeral": reply.ephemeral} for reply in slack.replies[before:]]
    shown = None if modal is None else {"id": modal.id, "open": modal.open, "errors": modal.errors}
    return 200, {"status": status, "body": body, "replies": replies, "message_ts": message["ts"], "modal": shown}


def find_message(slack: FakeSlack, action_id: str, group: str, version: int) -> dict[str, Any] | None:
    message: dict[str, Any]
    for message in reversed(list(slack.messages)):
        for button in buttons(message):
            if button["action_id"] == action_id and _names(button["value"], group, version):
                return message
    return None


def _names(value: str, group: str, version: int) -> bool:
    """Approve/Reject carry the package ARN; Roll back {"group", "to_version"}; the others {"group", "version"}."""
    if value.endswith(f":model-package/{group}/{version}"):
        return True
    try:
        target = json.loads(value)
    except ValueError:
        return False
    if not isinstance(target, dict) or target.get("group") != group:
        return False
    return target.get("to_version", target.get("version")) == version
