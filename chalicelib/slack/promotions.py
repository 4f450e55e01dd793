"""Promote and Stop from Slack: an authorised click on a release awaiting promotion. Once only.

The release engine re-reads the group and the registry and refuses what no longer applies (expired,
stopped, Rejected, another version waiting); the lock only makes a double click do nothing twice.
"""

from __future__ import annotations

from chalicelib.shared.errors import ShepherdError
from chalicelib.shared.observability import count, logger
from chalicelib.slack.claim import promotion_key
from chalicelib.slack.click import Click, Promotion
from chalicelib.slack.deps import SlackActionDeps, reply
from chalicelib.slack.once import changed_nothing, confirm_lock, failed, free_lock, take_lock
from chalicelib.slack.replies import decided_message
from chalicelib.slack.result import ClickOutcome, ClickResult

PROMOTED = "Promoted"
STOPPED = "Stopped"


def promote_or_stop(click: Click, wanted: Promotion, deps: SlackActionDeps, reason: str = "") -> ClickResult:
    """`reason`: what the person wrote (the Stop modal); a Promote click without one says where it came from."""
    verb = PROMOTED if wanted.promote else STOPPED
    key = promotion_key(wanted.group, wanted.version, click.channel_id, click.message_ts)
    try:
        claim, held = take_lock(key, click, verb, deps)
    except Exception as error:  # noqa: BLE001 - the lock table failed: nothing was changed
        return failed(click, None, error, deps)
    if held:
        done = f"{wanted.group} v{wanted.version} was already {held.action.lower()} by {held.actor}"
        return changed_nothing(click, done, deps)
    actor = f"slack:{click.actor}"
    button = "Promote" if wanted.promote else "Stop"
    why = reason or f"{button} clicked in Slack by {click.actor}"
    try:
        if wanted.promote:
            deps.promotions.promote(wanted.group, wanted.version, actor, why)
        else:
            deps.promotions.stop(wanted.group, wanted.version, actor, why)
    except ShepherdError as error:  # refused (expired, stopped, Rejected, another version): say why
        free_lock(claim, deps)
        return changed_nothing(click, f"Not {verb.lower()}: {error}", deps)
    except Exception as error:  # noqa: BLE001
        return failed(click, claim, error, deps)
    confirm_lock(claim, deps)
    logger.info("slack promotion", extra={"group": wanted.group, "verb": verb, "slack_user": click.user_id})
    count("SlackPromotion", verb=verb)
    what = f"{verb} {wanted.group} v{wanted.version}"
    icon = ":arrow_forward:" if wanted.promote else ":octagonal_sign:"
    reply(deps, click, decided_message(click, what, deps.clock(), icon, reason=reason))
    return ClickResult(ClickOutcome.DONE, what)
