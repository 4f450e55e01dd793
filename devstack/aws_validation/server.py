"""moto checks each request against the service model before serving it, and refuses it as AWS would.

So whatever talks to the local stack's moto server (the SageMaker SDK, the AWS CLI, `shepherd`, a
user's script) gets AWS's answer, not moto's acceptance. moto routes every service but S3 through
`BaseResponse._dispatch` (S3 has its own dispatchers, and is not checked here); the request is
decoded with moto's own parser for its protocol (X-Amz-Target JSON, query form, REST URI and body).
A request the parser cannot decode is left to moto: the check never invents a refusal.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any
from xml.sax.saxutils import escape

from devstack.aws_validation import recorder, switch
from devstack.aws_validation.shapes import check_params
from devstack.aws_validation.violations import Refusal, refusal
from devstack.moto_ext.patching import Patch, Replace

logger = logging.getLogger(__name__)
Answer = tuple[int, dict[str, str], str]


def patches() -> list[Patch]:
    from moto.core.responses import BaseResponse

    return [Replace(BaseResponse, "_dispatch", _dispatch, gap="requests are not validated")]


def _dispatch(self: Any, request: Any, full_url: str | None = None, headers: Any = None) -> Any:
    self.setup_class(request, full_url, headers)  # what moto's _dispatch does, with the check between
    answer = refusal_answer(self, request)
    return answer if answer is not None else self.call_action()


def refusal_answer(response: Any, request: Any) -> Answer | None:
    """AWS's HTTP answer to a request that breaks the service model; None for one that does not."""
    if not switch.enabled("server"):
        return None
    try:
        operation, protocol, params = decoded(response, request)
    except Exception:
        logger.debug("request not checked", exc_info=True)
        return None
    if operation is None or not (found := check_params(operation, params)):
        return None
    refused = refusal(protocol, found)
    recorder.record("server", operation, refused)
    return http_answer(refused, protocol, operation.service_model)


def decoded(response: Any, request: Any) -> tuple[Any, str, Any]:
    from moto.core.parse import PROTOCOL_PARSERS
    from moto.core.request import determine_request_protocol
    from moto.core.utils import get_service_model

    model = get_service_model(response.boto3_service_name)
    action = response._get_action()  # also matches a REST request's URI parameters (uri_match)
    if not action or action not in model.operation_names:
        return None, "", {}
    operation = model.operation_model(action)
    protocol = determine_request_protocol(model, request.content_type)
    if response.automated_parameter_parsing and response.PROTOCOL_PARSER_MAP_TYPE is dict:
        return operation, protocol, response.params  # moto has already decoded it, with the same parser
    parser = PROTOCOL_PARSERS[protocol](operation)
    request_dict: Any = {
        "method": request.method,
        "values": request.values,
        "headers": request.headers,
        "body": request.data,
        "url_path": request.path,
        "url_params": response.uri_match,
    }
    return operation, protocol, parser.parse(request_dict)


def http_answer(refused: Refusal, protocol: str, model: Any) -> Answer:
    if protocol in ("query", "ec2"):
        namespace = f"https://{model.endpoint_prefix}.amazonaws.com/doc/{model.api_version}/"
        body = (
            f'<ErrorResponse xmlns="{namespace}"><Error><Type>Sender</Type><Code>{refused.code}</Code>'
            f"<Message>{escape(refused.message)}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
        )
        return 400, {"Content-Type": "text/xml"}, body
    headers = {"x-amzn-ErrorType": refused.code, "x-amzn-RequestId": str(uuid.uuid4())}
    if protocol == "rest-json":
        return 400, {**headers, "Content-Type": "application/json"}, json.dumps({"message": refused.message})
    content_type = f"application/x-amz-json-{model.metadata.get('jsonVersion', '1.0')}"
    body = json.dumps({"__type": f"com.amazon.coral.validate#{refused.code}", "message": refused.message})
    return 400, {**headers, "Content-Type": content_type}, body
