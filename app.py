"""model-shepherd: Chalice wiring only. Each handler hands its raw input to chalicelib.entrypoints."""

from __future__ import annotations

from typing import Any

from chalice.app import Chalice, CloudWatchEvent, ConvertToMiddleware, Response

from chalicelib import entrypoints
from chalicelib.domain.events import MODEL_PACKAGE_STATE_CHANGE
from chalicelib.observability import logger, metrics

app = Chalice(app_name="model-shepherd")
app.register_middleware(ConvertToMiddleware(logger.inject_lambda_context(clear_state=True)))
app.register_middleware(ConvertToMiddleware(metrics.log_metrics))

PENDING_VERSIONS = {
    "source": ["aws.sagemaker"],
    "detail-type": [MODEL_PACKAGE_STATE_CHANGE],
    "detail": {"ModelApprovalStatus": ["PendingManualApproval"]},
}


@app.on_cw_event(PENDING_VERSIONS, name="gate")
def gate(event: CloudWatchEvent) -> dict[str, Any]:
    return entrypoints.on_model_package_pending(event.to_dict(), event.context)


# --- Slack approvals: the interactivity request URL (https://<api>/api/slack/actions) -------------


@app.route("/slack/actions", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
def slack_actions() -> Response:
    request = app.current_request
    assert request is not None  # always set inside a route
    # The raw body, byte for byte: the signature covers it, so it is never re-encoded first.
    status, body = entrypoints.on_slack_action(request.raw_body, dict(request.headers))
    return Response(body=body, status_code=status, headers={"Content-Type": "application/json"})
