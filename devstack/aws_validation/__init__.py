"""Requests checked against botocore's service models, as strictly as AWS checks them server-side.

moto accepts what AWS refuses (a map value with braces, a name one character too long); botocore's
own client-side validation checks only types, required members and minimums. Here every published
constraint is checked: string length, pattern (Java-style, whole value) and enum, list and map sizes
(with their keys and values), numeric ranges, blob lengths, required members, at any depth.

- `client.install()`: every botocore client made afterwards refuses a violating request itself.
- `server.patches()` (one of devstack.moto_ext's patches): moto refuses it before serving it.
- `check(service, operation, params)`: the violations, for anything else.
A refusal reads as AWS's: ValidationException (ValidationError for query services), HTTP 400,
"1 validation error detected: Value 'x' at 'member.path' failed to satisfy constraint: ...".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from devstack.aws_validation.shapes import check_params, service_model
from devstack.aws_validation.violations import Violation, message


def check(service: str, operation: str, params: Mapping[str, Any]) -> list[Violation]:
    """What AWS would refuse in `params` for `operation` (e.g. "UpdateModelPackage") of `service`."""
    return check_params(service_model(service).operation_model(operation), params)


__all__ = ["Violation", "check", "message"]
