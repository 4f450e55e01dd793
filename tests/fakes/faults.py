"""AWS faults on any call: a wrapper over any fake that makes chosen calls fail as AWS would.

`Faults.arm(port, kind)` makes the next call to that port raise: throttling and 5xx as botocore's
ClientError once its retries ran out (the adapters let those through), access denied as the adapters
translate it (a ReleaseStepError from an endpoint call, a ClientError elsewhere).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.shared.errors import ReleaseStepError

KINDS = {
    "throttling": ("ThrottlingException", "Rate exceeded", 400),
    "5xx": ("InternalFailure", "An internal error occurred", 500),
    "access_denied": ("AccessDeniedException", "not authorized to perform this action", 400),
}


def aws_error(kind: str, operation: str) -> Exception:
    code, message, status = KINDS[kind]
    response: Any = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, operation)


@dataclass
class Faults:
    armed: dict[str, list[str]] = field(default_factory=dict)  # port -> kinds, raised in order
    injected: Counter[str] = field(default_factory=Counter)  # "port.method:kind" -> how many were raised

    def arm(self, port: str, kind: str) -> None:
        self.armed.setdefault(port, []).append(kind)

    def clear(self) -> None:
        self.armed.clear()

    def check(self, port: str, method: str) -> None:
        kinds = self.armed.get(port)
        if not kinds:
            return
        kind = kinds.pop(0)
        self.injected[f"{port}.{method}:{kind}"] += 1
        if kind == "access_denied" and port == "endpoints" and method in ("deploy", "create_model", "create_config"):
            raise ReleaseStepError(f"{method}: AccessDeniedException: not authorized to perform this action")
        raise aws_error(kind, method)


class Faulty:
    """`Faulty(fake, "endpoints", faults)`: the fake, each public call first asking `faults` whether to fail."""

    def __init__(self, inner: Any, port: str, faults: Faults) -> None:
        self._inner, self._port, self._faults = inner, port, faults

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if name.startswith("_") or not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            self._faults.check(self._port, name)
            return attribute(*args, **kwargs)

        return call
