"""Every botocore client checks its requests against the service model before sending them.

Registered in botocore's BUILTIN_HANDLERS, which every new botocore session (so every boto3 session
and client: `boto3.client`, `make_client`, devstack's factories) registers, as moto registers its own.
The params are checked last among `before-parameter-build` handlers (after botocore fills idempotency
tokens); a refusal is then answered at `before-call` as if AWS had answered it, HTTP 400 and all, so
botocore raises the ClientError (or the service's modelled ValidationException) AWS's answer would raise.
"""

from __future__ import annotations

from typing import Any

from devstack.aws_validation import recorder, switch
from devstack.aws_validation.shapes import check_params
from devstack.aws_validation.violations import refusal

_REFUSAL = "shepherd_strict_aws_refusal"  # where a refusal waits in botocore's request context
_installed = False


def install() -> None:
    """For every botocore session created from now on; safe to call again."""
    global _installed
    if _installed:
        return
    import boto3
    from botocore import handlers

    handlers.BUILTIN_HANDLERS.append(("before-parameter-build", _check, handlers.REGISTER_LAST))
    handlers.BUILTIN_HANDLERS.append(("before-call", _answer, handlers.REGISTER_FIRST))
    boto3.DEFAULT_SESSION = None  # made again, with the handlers, on the next boto3.client(...)
    _installed = True


def _check(params: Any, model: Any, context: Any = None, **_: Any) -> None:
    if not switch.enabled("client") or context is None:
        return
    if found := check_params(model, params):
        refused = refusal(model.service_model.protocol, found)
        context[_REFUSAL] = refused
        recorder.record("client", model, refused)


def _answer(params: Any, context: Any = None, **_: Any) -> Any:
    refused = context.pop(_REFUSAL, None) if context is not None else None
    if refused is None:
        return None
    from botocore.awsrequest import AWSResponse
    from botocore.compat import HTTPHeaders

    return AWSResponse(params.get("url", ""), 400, HTTPHeaders(), _EmptyBody()), refused.parsed()


class _EmptyBody:
    def stream(self, **_: Any) -> Any:
        return iter(())
