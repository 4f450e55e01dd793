"""Asking a hook: the payload sent through the port, retried within the hook's budget, timed, recorded.

The machine decides when (chalicelib.hooks.engine); this turns the ask into a `HookAnswered` event, the
outcome the release engine then writes, so a hook's answer is recorded before anything follows from it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from chalicelib.hooks.answer import HookResult, clipped
from chalicelib.hooks.engine import HookAnswered
from chalicelib.hooks.payload import hook_payload
from chalicelib.hooks.policy import HookPolicy, HookTarget, backoff
from chalicelib.hooks.ports import HookCaller
from chalicelib.hooks.record import ERROR, PRE_ROLLOUT, PROCEED, HookRecord, answered
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.state import Release
from chalicelib.shared.errors import ShepherdError
from chalicelib.shared.observability import count, logger


def pre_rollout(release: Release, hooks: HookPolicy | None, deps: ReleaseDeps) -> HookAnswered | None:
    """The pre_rollout hook's answer, or None when there is none to ask (no hook, or it already passed)."""
    if hooks is None or hooks.pre_rollout is None or answered(release.hooks, PRE_ROLLOUT) is not None:
        return None
    return ask(PRE_ROLLOUT, release, hooks, deps)


def ask(hook: str, release: Release, hooks: HookPolicy | None, deps: ReleaseDeps) -> HookAnswered:
    target = hooks.get(hook) if hooks is not None else None
    if target is None:  # the group's policy dropped the hook since the release started
        return _answered(HookRecord(hook, PROCEED, "no such hook in the policy any more", at=deps.clock()))
    if deps.hooks is None:
        return _answered(HookRecord(hook, ERROR, "this deployment cannot call hooks", at=deps.clock()))
    body = hook_payload(hook, release, deps.clock())
    started = time.perf_counter()
    result, attempts = with_retries(lambda: _attempt(deps.hooks, target, body), target.retries, deps.sleep)
    seconds = round(time.perf_counter() - started, 3)
    record = HookRecord(hook, result.outcome, result.reason, seconds, attempts, deps.clock())
    logger.info("hook answered", extra={"release": release.label, "hook": hook, "outcome": result.outcome})
    count("HookAnswered", hook=hook, outcome=result.outcome)
    return _answered(record)


def with_retries(
    attempt: Callable[[], HookResult], retries: int, sleep: Callable[[float], None]
) -> tuple[HookResult, int]:
    """The first answer that is not retryable, or the last one once `retries` more attempts are spent."""
    result, attempts = attempt(), 1
    while result.retryable and attempts <= retries:
        sleep(backoff(attempts - 1))
        result, attempts = attempt(), attempts + 1
    return result, attempts


def _attempt(caller: HookCaller | None, target: HookTarget, body: bytes) -> HookResult:
    assert caller is not None
    try:
        return caller.call(target, body)
    except ShepherdError as error:  # its secret unreadable, say: no retry helps, and it is a halt
        return HookResult(ERROR, clipped(str(error)))


def _answered(record: HookRecord) -> HookAnswered:
    assert record.at is not None
    return HookAnswered(record.at, record)
