"""What the hooks need from the outside: one attempt at asking a hook. Retries are the runner's."""

from __future__ import annotations

from typing import Protocol

from chalicelib.hooks.answer import HookResult
from chalicelib.hooks.policy import HookTarget


class HookCaller(Protocol):
    def call(self, target: HookTarget, body: bytes) -> HookResult:
        """One attempt: a Lambda function invoked, or a URL POSTed. Never raises for the receiver's
        failures (they are a HookResult, retryable or not)."""
        ...


class RoutedHooks:
    """A Lambda ARN goes to the Lambda caller, a URL to the HTTPS one."""

    def __init__(self, functions: HookCaller, urls: HookCaller) -> None:
        self._functions = functions
        self._urls = urls

    def call(self, target: HookTarget, body: bytes) -> HookResult:
        return (self._functions if target.lambda_arn else self._urls).call(target, body)
