"""The policy's `release.hooks` as frozen values (the document already passed the policy schema).

Limits: each hook's attempts and pauses must fit, twice (a confirm and then a post hook run in one
invocation), in the release functions' 60 s: 3 attempts of at most 8 s plus pauses of 0.5 and 1 s is 25.5 s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.hooks.record import CONFIRM_PROMOTION, HOOK_NAMES, POST_ROLLOUT, PRE_ROLLOUT

MAX_TIMEOUT_SECONDS = 8
DEFAULT_TIMEOUT_SECONDS = 5
MAX_RETRIES = 2
DEFAULT_RETRIES = 1
BACKOFF_SECONDS = 0.5  # before the first retry; doubled before each next one


@dataclass(frozen=True)
class HookTarget:
    """One hook: a Lambda function invoked synchronously, or an HTTPS URL POSTed signed JSON."""

    hook: str
    lambda_arn: str | None = None
    url: str | None = None
    secret: str | None = None  # the URL's signing secret: a Secrets Manager id or ssm:/name, never the value
    timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS
    retries: int = DEFAULT_RETRIES  # after a 5xx, a timeout or a throttle only

    @property
    def where(self) -> str:
        return self.lambda_arn or self.url or "nowhere"


@dataclass(frozen=True)
class HookPolicy:
    pre_rollout: HookTarget | None = None
    confirm_promotion: HookTarget | None = None
    post_rollout: HookTarget | None = None

    def get(self, hook: str) -> HookTarget | None:
        return {
            PRE_ROLLOUT: self.pre_rollout,
            CONFIRM_PROMOTION: self.confirm_promotion,
            POST_ROLLOUT: self.post_rollout,
        }[hook]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(hook for hook in HOOK_NAMES if self.get(hook) is not None)


def hook_policy(section: Mapping[str, Any]) -> HookPolicy | None:
    hooks = section.get("hooks") or {}
    targets = {hook: _target(hook, hooks[hook]) for hook in HOOK_NAMES if hook in hooks}
    return HookPolicy(**targets) if targets else None


def _target(hook: str, spec: Mapping[str, Any]) -> HookTarget:
    return HookTarget(
        hook=hook,
        lambda_arn=spec.get("lambda_arn"),
        url=spec.get("url"),
        secret=spec.get("secret"),
        timeout_seconds=int(spec.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)),
        retries=int(spec.get("retries", DEFAULT_RETRIES)),
    )


def backoff(retry: int) -> float:
    """The pause before retry number `retry` (0 for the first)."""
    return float(BACKOFF_SECONDS * 2**retry)


def worst_case_seconds(target: HookTarget) -> float:
    """Every attempt timing out, with every pause between them."""
    return target.timeout_seconds * (target.retries + 1) + sum(backoff(retry) for retry in range(target.retries))
