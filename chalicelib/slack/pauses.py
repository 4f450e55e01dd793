"""Continue and Roll back from a paused release's message: an authorised submission of the reason modal. Once only.

The release engine re-reads the group and refuses what no longer applies (continued or rolled back meanwhile,
its pause ran out, another version paused); the lock only makes a double submission do nothing twice.
"""

from __future__ import annotations

from chalicelib.shared.errors import ShepherdError
from chalicelib.shared.observability import count, logger
from chalicelib.slack.claim import paused_key
from chalicelib.slack.click import Click, Paused
from chalicelib.slack.deps import SlackActionDeps, reply
from chalicelib.slack.once import changed_nothing, confirm_lock, failed, free_lock, take_lock
from chalicelib.slack.replies import decided_message
from chalicelib.slack.result import ClickOutcome, ClickResult

CONTINUED = "Continued"
ROLLED_BACK = "Rolled back"


def continue_or_roll_back(click: Click, wanted: Paused, deps: SlackActionDeps, reason: str) -> ClickResult:
    verb = CONTINUED if wanted.go_on else ROLLED_BACK
    key = paused_key(wanted.group, wanted.version, click.channel_id, click.message_ts)
    try:
        claim, held = take_lock(key, click, verb, deps)
    except Exception as error:  # noqa: BLE001 - the lock table failed: nothing was changed
        return failed(click, None, error, deps)
    if held:
        done = f"{wanted.group} v{wanted.version} was already {held.action.lower()} by {held.actor}"
        return changed_nothing(click, done, deps)
    actor = f"slack:{click.actor}"
    try:
        if wanted.go_on:
            deps.pauses.continue_paused(wanted.group, wanted.version, actor, reason)
        else:
            deps.pauses.roll_back(wanted.group, wanted.version, actor, reason)
    except ShepherdError as error:  # refused (no longer PAUSED, ran out, Rejected, production busy): say why
        free_lock(claim, deps)
        return changed_nothing(click, f"Not {verb.lower()}: {error}", deps)
    except Exception as error:  # noqa: BLE001
        return failed(click, claim, error, deps)
    confirm_lock(claim, deps)
    logger.info("slack paused release", extra={"group": wanted.group, "verb": verb, "slack_user": click.user_id})
    count("SlackPausedDecision", verb=verb)
    what = f"{verb} {wanted.group} v{wanted.version}"
    icon = ":arrow_forward:" if wanted.go_on else ":rewind:"
    reply(deps, click, decided_message(click, what, deps.clock(), icon, reason=reason))
    return ClickResult(ClickOutcome.DONE, what)
