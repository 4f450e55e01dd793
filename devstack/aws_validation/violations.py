"""What AWS says when a request breaks its service model, in AWS's words.

    1 validation error detected: Value 'a{b' at 'customerMetadataProperties.k' failed to satisfy
    constraint: Member must satisfy regular expression pattern: [\\p{L}]*

Paths name members in lower camel case; a list element is `<list>.<n>.member` (from 1), a map
value `<map>.<key>`. Values are shown as Java prints them (`[a, b]`, `{k=v}`), a sensitive
member's not at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

JSON_CODE = "ValidationException"  # JSON and REST-JSON services: `__type`
QUERY_CODE = "ValidationError"  # query services (IAM, STS, SNS): <Error><Code>
SENSITIVE = object()  # stands for a value AWS does not repeat back


@dataclass(frozen=True)
class Violation:
    path: str
    value: Any  # the value sent, or SENSITIVE
    constraint: str

    def __str__(self) -> str:
        shown = "Value" if self.value is SENSITIVE else f"Value {java_quoted(self.value)}"
        return f"{shown} at '{self.path}' failed to satisfy constraint: {self.constraint}"


@dataclass(frozen=True)
class Refusal:
    """The refused request as AWS answers it: HTTP 400, an error code and the message."""

    code: str
    message: str
    violations: tuple[Violation, ...]

    def parsed(self) -> dict[str, Any]:
        """What botocore's parser would make of AWS's answer."""
        metadata = {"HTTPStatusCode": 400, "HTTPHeaders": {}, "RetryAttempts": 0}
        return {"Error": {"Code": self.code, "Message": self.message}, "ResponseMetadata": metadata}


def refusal(protocol: str, found: Sequence[Violation]) -> Refusal:
    code = QUERY_CODE if protocol in ("query", "ec2") else JSON_CODE
    return Refusal(code, message(found), tuple(found))


def message(found: Sequence[Violation]) -> str:
    errors = "error" if len(found) == 1 else "errors"
    return f"{len(found)} validation {errors} detected: " + "; ".join(str(violation) for violation in found)


def length(size: int, low: int | None, high: int | None) -> list[str]:
    return _bounds(size, low, high, "length")


def value_bounds(number: float, low: float | None, high: float | None) -> list[str]:
    return _bounds(number, low, high, "value")


def _bounds(amount: float, low: float | None, high: float | None, what: str) -> list[str]:
    broken = []
    if high is not None and amount > high:
        broken.append(f"Member must have {what} less than or equal to {high}")
    if low is not None and amount < low:
        broken.append(f"Member must have {what} greater than or equal to {low}")
    return broken


def pattern(source: str) -> str:
    return f"Member must satisfy regular expression pattern: {source}"


def enum(values: Sequence[str]) -> str:
    return f"Member must satisfy enum value set: [{', '.join(values)}]"


NOT_NULL = "Member must not be null"


def map_keys(broken: Sequence[str]) -> str:
    return f"Map keys must satisfy constraint: [{', '.join(broken)}]"


def java_quoted(value: Any) -> str:
    return "null" if value is None else f"'{java_text(value)}'"


def java_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes | bytearray):
        return f"java.nio.HeapByteBuffer[pos=0 lim={len(value)} cap={len(value)}]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}={java_text(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(java_text(item) for item in value) + "]"
    return "null" if value is None else str(value)
