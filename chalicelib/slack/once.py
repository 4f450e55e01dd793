"""The once-only steps every Slack action takes: claim a lock, confirm or free it, and tell the clicker.

A claim is taken before anything changes and confirmed after; if the work fails the claim is freed so a
later click may try again (chalicelib.slack.claim says why a lock is needed at all).
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.shared.errors import ShepherdError
from chalicelib.shared.observability import count, logger
from chalicelib.slack.claim import Claim
from chalicelib.slack.click import Click
from chalicelib.slack.deps import SlackActionDeps, reply
from chalicelib.slack.replies import ephemeral
from chalicelib.slack.result import ClickOutcome, ClickResult


def take_lock(key: str, click: Click, action: str, deps: SlackActionDeps) -> tuple[Claim, Claim | None]:
    """Our claim, and the one holding the lock when it was not ours to take (None: we won)."""
    mine = Claim(key, deps.new_id(), click.actor, action, deps.clock().timestamp())
    return mine, deps.locks.claim(mine)


def changed_nothing(click: Click, text: str, deps: SlackActionDeps) -> ClickResult:
    logger.info("slack click changed nothing", extra={"why": text, "slack_user": click.user_id})
    count("SlackClickNoOp")
    reply(deps, click, ephemeral(f":information_source: {text}"))
    return ClickResult(ClickOutcome.CHANGED_NOTHING, text)


def failed(click: Click, claim: Claim | None, error: Exception, deps: SlackActionDeps) -> ClickResult:
    if claim is not None:
        free_lock(claim, deps)
    extra = {"error": type(error).__name__, "detail": str(error)[:300], "slack_user": click.user_id}
    logger.error("slack action failed", extra=extra)
    count("SlackActionFailed")
    reply(deps, click, ephemeral(":warning: Not done (AWS busy or failing): nothing changed, try again."))
    return ClickResult(ClickOutcome.FAILED, type(error).__name__)


def free_lock(claim: Claim, deps: SlackActionDeps) -> None:
    try:
        deps.locks.release(claim)
    except Exception as error:  # noqa: BLE001 - the claim goes stale and is taken over after 60 s
        logger.warning("slack lock not released", extra={"key": claim.key, "error": type(error).__name__})


def confirm_lock(claim: Claim, deps: SlackActionDeps) -> None:
    try:
        deps.locks.confirm(claim)
    except Exception as error:  # noqa: BLE001 - the change is made; a stale claim only meets a re-read package
        logger.warning("slack lock not confirmed", extra={"key": claim.key, "error": type(error).__name__})


def release_decision_once(
    click: Click, key: str, verb: str, subject: str, act: Callable[[], object], deps: SlackActionDeps
) -> ClickResult | None:
    """`act` (the release engine's decision about `subject`, e.g. `group v3`) under the message's lock: None when
    it was done, else the answer to a click that found the lock held, a refusal (said, lock freed) or a failure."""
    try:
        claim, held = take_lock(key, click, verb, deps)
    except Exception as error:  # noqa: BLE001 - the lock table failed: nothing was changed
        return failed(click, None, error, deps)
    if held:
        return changed_nothing(click, f"{subject} was already {held.action.lower()} by {held.actor}", deps)
    try:
        act()
    except ShepherdError as error:  # refused (moved on, expired, Rejected, another version): say why
        free_lock(claim, deps)
        return changed_nothing(click, f"Not {verb.lower()}: {error}", deps)
    except Exception as error:  # noqa: BLE001
        return failed(click, claim, error, deps)
    confirm_lock(claim, deps)
    return None
