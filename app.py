"""model-shepherd: Chalice wiring only. Each handler hands its raw input to chalicelib.handlers."""

from __future__ import annotations

import os
from typing import Any

from chalice.app import Chalice, CloudWatchEvent, ConvertToMiddleware, Response

from chalicelib import handlers
from chalicelib.shared.events import MODEL_PACKAGE_STATE_CHANGE
from chalicelib.shared.observability import logger, metrics
from chalicelib.shared.schedule import schedule_expression

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
    return handlers.on_model_package_pending(event.to_dict(), event.context)


# --- Slack approvals: the interactivity request URL (https://<api>/api/slack/actions) -------------


@app.route("/slack/actions", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
def slack_actions() -> Response:
    request = app.current_request
    assert request is not None  # always set inside a route
    # The raw body, byte for byte: the signature covers it, so it is never re-encoded first.
    status, body = handlers.on_slack_action(request.raw_body, dict(request.headers))
    return Response(body=body, status_code=status, headers={"Content-Type": "application/json"})


@app.route("/slack/commands", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
def slack_commands() -> Response:
    request = app.current_request
    assert request is not None
    status, body = handlers.on_slack_command(request.raw_body, dict(request.headers))  # raw: it is signed
    return Response(body=body, status_code=status, headers={"Content-Type": "application/json"})


# --- release engine ---------------------------------------------------------------------------------

DECIDED_VERSIONS = {
    "source": ["aws.sagemaker"],
    "detail-type": [MODEL_PACKAGE_STATE_CHANGE],
    "detail": {"ModelApprovalStatus": ["Approved", "Rejected"]},
}
# A batch target's smoke transform job moves its release as a staging endpoint does: one rule, one function.
SAGEMAKER_CHANGES = {
    "source": ["aws.sagemaker"],
    "detail-type": ["SageMaker Endpoint State Change", "SageMaker Transform Job State Change"],
}
ALARMS_FIRING = {
    "source": ["aws.cloudwatch"],
    "detail-type": ["CloudWatch Alarm State Change"],
    "detail": {"state": {"value": ["ALARM"]}},
}


@app.on_cw_event(DECIDED_VERSIONS, name="release_decided")
def release_decided(event: CloudWatchEvent) -> dict[str, Any]:
    return handlers.on_model_package_decided(event.to_dict(), event.context)


@app.on_cw_event(SAGEMAKER_CHANGES, name="release_endpoint")
def release_endpoint(event: CloudWatchEvent) -> dict[str, Any]:
    if event.detail_type == "SageMaker Transform Job State Change":
        return handlers.on_transform_job_state_change(event.to_dict(), event.context)
    return handlers.on_endpoint_state_change(event.to_dict(), event.context)


@app.on_cw_event(ALARMS_FIRING, name="release_alarm")
def release_alarm(event: CloudWatchEvent) -> dict[str, Any]:
    return handlers.on_alarm_state_change(event.to_dict(), event.context)


@app.schedule("rate(5 minutes)", name="release_reconcile")
def release_reconcile(event: Any) -> dict[str, Any]:
    return handlers.on_reconcile_schedule(event.to_dict(), event.context)


# --- cleanup -------------------------------------------------------------------------
# Chalice reads the rate when it packages the app, so it comes from the packaging environment:
# `SHEPHERD_CLEANUP_SCHEDULE="rate(6 hours)" make package`. Checked here, so a typo fails the build.
CLEANUP_SCHEDULE = schedule_expression(os.environ.get("SHEPHERD_CLEANUP_SCHEDULE"))


@app.schedule(CLEANUP_SCHEDULE, name="cleanup", description="delete rejected versions by retention policy")
def cleanup(event: CloudWatchEvent) -> dict[str, Any]:
    return handlers.on_cleanup_schedule(event.to_dict(), event.context)
