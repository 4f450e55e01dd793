"""The reason modal, pure: Reject, Decide again, Roll back, Stop and Continue ask why before they act.

A click on one of them opens a modal (`views.open` with the click's trigger_id). What the click was for
travels in the modal's `private_metadata` (Slack hands it back unchanged, inside the signed submission);
it is only a lookup key again, re-read and re-authorised when the `view_submission` arrives.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.release.pause_messages import CONTINUE_ACTION, PAUSED_ROLLBACK_ACTION
from chalicelib.shared.errors import MalformedActionError
from chalicelib.slack.click import REGATE_ACTION, REJECT_ACTION, ROLLBACK_ACTION, STOP_ACTION, Click
from chalicelib.slack.payload import mapping, text, who

ASKS_REASON = frozenset(
    {REJECT_ACTION, REGATE_ACTION, ROLLBACK_ACTION, STOP_ACTION, CONTINUE_ACTION, PAUSED_ROLLBACK_ACTION}
)
CALLBACK_ID = "shepherd_reason"
REASON_BLOCK, REASON_INPUT = "reason", "reason_text"
MAX_REASON = 500  # fits ApprovalDescription (1,024) with who decided and what the gate said
MAX_METADATA = 3000  # Slack's private_metadata limit
VERBS = {
    REJECT_ACTION: "Reject",
    REGATE_ACTION: "Decide again",
    ROLLBACK_ACTION: "Roll back",
    STOP_ACTION: "Stop",
    CONTINUE_ACTION: "Continue",
    PAUSED_ROLLBACK_ACTION: "Roll back",
}
CLOSE = {"response_action": "clear"}  # the submission was taken: close the modal


@dataclass(frozen=True)
class Submission:
    click: Click  # the original click, rebuilt: what it was for, and who submits now
    reason: str  # stripped; may be empty (refused in the modal)


def reason_view(click: Click, subject: str) -> dict[str, Any]:
    """The modal a click on Reject, Decide again, Roll back or Stop opens. `subject`: what it acts on (`group v3`)."""
    verb = VERBS[click.action_id]
    carried = {"a": click.action_id, "v": click.value, "c": click.channel_id, "t": click.message_ts}
    metadata = json.dumps({**carried, "r": click.response_url}, separators=(",", ":"))
    if len(metadata) > MAX_METADATA:
        raise MalformedActionError("the button's value is too long to carry into a modal")
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": f"{verb}: why?"},
        "submit": {"type": "plain_text", "text": verb},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {"type": "section", "text": {"type": "plain_text", "text": f"{verb} {subject}"[:3000]}},
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "label": {"type": "plain_text", "text": "Reason (kept with the decision and in the history)"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_INPUT,
                    "multiline": True,
                    "max_length": MAX_REASON,
                },
            },
        ],
    }


def parse_submission(payload: Mapping[str, Any]) -> Submission | None:
    """A `view_submission` of our reason modal; None for any other view (not ours: a safe no-op)."""
    view = mapping(payload, "view")
    if view.get("callback_id") != CALLBACK_ID:
        return None
    carried = _metadata(view)
    person = who(payload)
    click = Click(
        action_id=carried["a"],
        value=carried["v"],
        user_id=person.user_id,
        user_name=person.user_name,
        team_id=person.team_id,
        app_id=str(payload.get("api_app_id", "")),
        response_url=carried["r"],
        message={"ts": carried["t"]},
        channel_id=carried["c"],
    )
    if click.action_id not in ASKS_REASON:
        raise MalformedActionError("the modal was opened for no action that asks a reason")
    return Submission(click, _reason(view))


def reason_required(message: str = "A reason is required.") -> dict[str, Any]:
    """Slack keeps the modal open and shows `message` under the reason field."""
    return {"response_action": "errors", "errors": {REASON_BLOCK: message[:150]}}


def _metadata(view: Mapping[str, Any]) -> dict[str, str]:
    raw = text(view, "private_metadata")
    try:
        carried = json.loads(raw)
    except ValueError:
        raise MalformedActionError("the modal's private_metadata is not ours") from None
    if not isinstance(carried, dict) or not all(isinstance(carried.get(key), str) for key in "avctr"):
        raise MalformedActionError("the modal's private_metadata is not ours")
    return {key: str(carried[key]) for key in "avctr"}


def _reason(view: Mapping[str, Any]) -> str:
    state = view.get("state") if isinstance(view.get("state"), Mapping) else {}
    values = (state or {}).get("values")
    block = values.get(REASON_BLOCK) if isinstance(values, Mapping) else None
    field = block.get(REASON_INPUT) if isinstance(block, Mapping) else None
    value = field.get("value") if isinstance(field, Mapping) else None
    return value.strip()[:MAX_REASON] if isinstance(value, str) else ""
