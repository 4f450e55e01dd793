"""What each Chalice handler does with its raw input: parse it, call one service, return the result.

app.py only wires decorators to these; raw dicts stop here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.bootstrap import container
from chalicelib.domain.events import model_package_ref
from chalicelib.domain.model_version import PENDING
from chalicelib.errors import MalformedEventError
from chalicelib.observability import count, logger


def on_model_package_pending(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        ref = model_package_ref(event.get("detail"))
    except MalformedEventError as error:
        # Raised, not swallowed: after its retries the event lands in the dead-letter queue, kept.
        logger.error("malformed model package event", extra={"event_id": event.get("id"), "error": str(error)})
        count("MalformedEvent")
        raise
    logger.append_keys(model_package_arn=ref.arn, model_package_group=ref.group)
    if ref.status != PENDING:  # the deployed rule filters; Chalice's test client and replays do not
        return {"arn": ref.arn, "outcome": None, "skipped": f"status {ref.status} is not the gate's"}
    return container().decide_pending_once(ref.arn, ref.status, context)


# --- Slack approvals -----------------------------------------------------------------------------


def on_slack_action(raw_body: Any, headers: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
    """POST /slack/actions: (status, JSON body). Headers are matched case-insensitively."""
    from chalicelib.services.slack_actions import handle_action

    lowered = {name.lower(): value for name, value in headers.items()}
    body = raw_body.encode() if isinstance(raw_body, str) else bytes(raw_body or b"")
    answer = handle_action(body, lowered, container().slack_actions_deps)
    return answer.status, dict(answer.body)


# --- cleanup (issue 5) -------------------------------------------------------------------------
def on_cleanup_schedule(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The scheduled retention sweep over every group with a policy; the event carries nothing we need."""
    logger.info("cleanup run", extra={"event_id": event.get("id")})
    reports = container().run_cleanup(context)
    return {"groups": [report.as_dict() for report in reports]}
