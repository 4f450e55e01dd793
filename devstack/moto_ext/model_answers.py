"""InvokeEndpoint answered by the model the endpoint serves, and SageMaker's ModelError when it refuses.

A container's non-2xx answer reaches the caller as SageMaker reports it: a ModelError (HTTP 424) whose
message quotes the container, with `OriginalStatusCode` and `OriginalMessage`.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.exceptions import JsonRESTError

from devstack.moto_ext import model_serving
from devstack.moto_ext.patching import Method

Request = tuple[bytes, str | None, str | None]  # body, Content-Type, Accept


class ModelError(JsonRESTError):
    """What SageMaker answers when the model container fails the request."""

    code = 424

    def __init__(self, message: str, original_status: int = 500, original_message: str = "") -> None:
        super().__init__("ModelError", message)
        self.original_status = original_status  # the container's status: a 4XX or a 5XX error in CloudWatch
        self.description = json.dumps(
            {
                "__type": self.error_type,
                "message": self.message,
                "OriginalStatusCode": original_status,
                "OriginalMessage": original_message or message,
            }
        )


def from_model(
    call_next: Method, backend: Any, endpoint: Any, unique_repr: bytes, variant: str, request: Request | None
) -> Any:
    """What the endpoint's model answers; moto's own answer when the local stack serves no model there."""
    account, region = backend.account_id, backend.region_name
    answer = model_serving.invoke(endpoint, account, region, request or (b"", None, None), variant)
    if answer is not None and 200 <= answer.status < 300:
        return answer.body, answer.content_type, variant, ""
    if answer is not None:
        text = answer.body.decode("utf-8", errors="replace")
        side = "client" if answer.status < 500 else "server"
        raise ModelError(
            f'Received {side} error ({answer.status}) from primary with message "{text}".', answer.status, text
        )
    if image := model_serving.unserved_image(endpoint, account, region, variant):
        advice = unserved_advice(endpoint.endpoint_name, image)
        raise ModelError(f'Received server error (501) from primary with message "{advice}".', 501, advice)
    body, content_type, _, attributes = call_next(backend, endpoint.endpoint_name, unique_repr)
    return body, content_type, variant, attributes  # moto's canned answer, from the variant that was routed to


def unserved_advice(endpoint: str, image: str) -> str:
    return (
        f"the local stack cannot run image {image} (it runs the models of SageMaker's XGBoost and "
        f"scikit-learn images): register the model with one of those, or give {endpoint} the answer its model "
        f"would give: make local LOCAL_ARGS='--endpoint-response {endpoint}=BODY', or tag the endpoint "
        "shepherd-local:response-base64"
    )
