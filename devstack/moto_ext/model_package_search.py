"""Search over model packages as SageMaker answers it, for the reconciler's registry sweep.

moto 5.2.5's Search treats every operator but Contains/NotEquals as Equals (so "LastModifiedTime
GreaterThanOrEqualTo <time>" finds nothing), ignores SortBy, SortOrder and MaxResults, and never pages.
Here, for `Resource="ModelPackage"`: Filters and SubExpressions joined by And/Or; every comparison
operator on timestamps (an ISO 8601 value), numbers and text; Exists/NotExists; sorted (SortBy, default
LastModifiedTime; SortOrder, default Descending: a package without the property comes last); paged by
MaxResults with a NextToken. NestedFilters and other resources are left to moto.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from devstack.moto_ext.patching import Method, Patch, Wrap

DEFAULT_PAGE = 10  # as SageMaker's list calls when MaxResults is omitted

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": lambda actual, value: actual == value,
    "NotEquals": lambda actual, value: actual != value,
    "GreaterThan": lambda actual, value: actual > value,
    "GreaterThanOrEqualTo": lambda actual, value: actual >= value,
    "LessThan": lambda actual, value: actual < value,
    "LessThanOrEqualTo": lambda actual, value: actual <= value,
    "Contains": lambda actual, value: str(value) in str(actual),
}


def patches() -> list[Patch]:
    from moto.sagemaker.responses import SageMakerResponse

    return [Wrap(SageMakerResponse, "search", _search, gap="no time-range Search of model packages, sorted and paged")]


def _search(call_next: Method, response: Any, *args: Any, **kwargs: Any) -> Any:
    expression = response._get_param("SearchExpression") or {}
    if response._get_param("Resource") != "ModelPackage" or "NestedFilters" in str(expression):
        return call_next(response, *args, **kwargs)
    from moto.core.responses import ActionResult

    # A snapshot first (one C-level copy, which no other thread interrupts): the server's other threads
    # register versions while the records are built, and a dict read while it grows is a RuntimeError.
    packages = list(response.sagemaker_backend.model_packages.values())
    records = [package.gen_response_object() for package in packages]
    found = _sorted(
        [record for record in records if _matches(record, expression)],
        response._get_param("SortBy") or "LastModifiedTime",
        response._get_param("SortOrder") != "Ascending",
    )
    start, size = _offset(response._get_param("NextToken")), response._get_param("MaxResults") or DEFAULT_PAGE
    answer: dict[str, Any] = {"Results": [{"ModelPackage": record} for record in found[start : start + size]]}
    if start + size < len(found):
        answer["NextToken"] = str(start + size)
    return ActionResult(answer)


def _matches(record: Mapping[str, Any], expression: Mapping[str, Any]) -> bool:
    checks = [_holds(record, condition) for condition in expression.get("Filters", [])]
    checks += [_matches(record, inner) for inner in expression.get("SubExpressions", [])]
    return any(checks) if expression.get("Operator") == "Or" else all(checks)


def _holds(record: Mapping[str, Any], condition: Mapping[str, Any]) -> bool:
    from moto.sagemaker.exceptions import ValidationError

    operator: str = condition.get("Operator", "Equals")
    actual = record.get(condition["Name"])
    if operator in ("Exists", "NotExists"):
        return (actual is not None) is (operator == "Exists")
    if actual is None:
        return False
    if operator not in _COMPARE:
        raise ValidationError(message=f"Operator {operator} is not supported here")
    return bool(_COMPARE[operator](actual, _typed(actual, condition.get("Value", ""))))


def _typed(actual: Any, value: str) -> Any:
    """The filter's value read as the property's type: a timestamp, a number or text."""
    from moto.sagemaker.exceptions import ValidationError

    try:
        if isinstance(actual, datetime):
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            return moment.astimezone(actual.tzinfo) if actual.tzinfo else moment.astimezone(UTC).replace(tzinfo=None)
        if isinstance(actual, int | float) and not isinstance(actual, bool):
            return float(value)
    except ValueError:
        raise ValidationError(message=f"Value {value!r} is not a valid {type(actual).__name__}") from None
    return value


def _sorted(records: list[dict[str, Any]], key: str, descending: bool) -> list[dict[str, Any]]:
    having = sorted((r for r in records if r.get(key) is not None), key=lambda r: r[key], reverse=descending)
    return having + [r for r in records if r.get(key) is None]


def _offset(token: str | None) -> int:
    from moto.sagemaker.exceptions import ValidationError

    if not token:
        return 0
    if not token.isdigit():
        raise ValidationError(message="Invalid pagination token")
    return int(token)
