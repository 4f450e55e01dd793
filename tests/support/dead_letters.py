"""Dead-letter messages as AWS writes them (Lambda on-failure destination records, EventBridge DLQ)."""

from __future__ import annotations

import json
from typing import Any

ACCOUNT_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:"
PACKAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/3"


def state_change(event_id: str = "evt-1", status: str = "PendingManualApproval") -> dict[str, Any]:
    return {
        "version": "0",
        "id": event_id,
        "detail-type": "SageMaker Model Package State Change",
        "source": "aws.sagemaker",
        "account": "123456789012",
        "time": "2026-11-26T20:00:00Z",
        "region": "us-east-1",
        "resources": [PACKAGE_ARN],
        "detail": {
            "ModelPackageArn": PACKAGE_ARN,
            "ModelPackageGroupName": "fraud-detection-models",
            "ModelPackageVersion": 3,
            "ModelApprovalStatus": status,
        },
    }


def destination_record(event: dict[str, Any], function: str = "model-shepherd-prod-gate") -> str:
    return json.dumps(
        {
            "version": "1.0",
            "timestamp": "2026-11-26T20:03:00.000Z",
            "requestContext": {
                "requestId": "0b7c",
                "functionArn": f"{ACCOUNT_FUNCTION}{function}:$LATEST",
                "condition": "RetriesExhausted",
                "approximateInvokeCount": 3,
            },
            "requestPayload": event,
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "responsePayload": {"errorMessage": "Rate exceeded", "errorType": "ThrottlingException"},
        }
    )


def eventbridge_attributes(function: str = "model-shepherd-prod-gate") -> dict[str, Any]:
    def string(value: str) -> dict[str, str]:
        return {"DataType": "String", "StringValue": value}

    return {
        "RULE_ARN": string("arn:aws:events:us-east-1:123456789012:rule/model-shepherd-prod-GateEvent-1"),
        "TARGET_ARN": string(f"{ACCOUNT_FUNCTION}{function}"),
        "ERROR_CODE": string("Lambda.TooManyRequestsException"),
        "ERROR_MESSAGE": string("Rate exceeded"),
    }
