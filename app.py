"""model-shepherd: Chalice wiring only. Each handler hands its raw input to chalicelib.entrypoints."""

from __future__ import annotations

import os
from typing import Any

from chalice.app import Chalice, CloudWatchEvent, ConvertToMiddleware

from chalicelib import entrypoints
from chalicelib.domain.events import MODEL_PACKAGE_STATE_CHANGE
from chalicelib.domain.schedule import schedule_expression
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


# --- cleanup (issue 5) -------------------------------------------------------------------------
# Chalice reads the rate when it packages the app, so it comes from the packaging environment:
# `SHEPHERD_CLEANUP_SCHEDULE="rate(6 hours)" make package`. Checked here, so a typo fails the build.
CLEANUP_SCHEDULE = schedule_expression(os.environ.get("SHEPHERD_CLEANUP_SCHEDULE"))


@app.schedule(CLEANUP_SCHEDULE, name="cleanup", description="delete rejected versions by retention policy")
def cleanup(event: CloudWatchEvent) -> dict[str, Any]:
    return entrypoints.on_cleanup_schedule(event.to_dict(), event.context)
