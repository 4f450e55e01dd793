"""Continue and Roll back from a paused release's message: an authorised submission of the reason modal. Once only.

The release engine re-reads the group and refuses what no longer applies (continued or rolled back meanwhile,
its pause ran out, another version paused); the lock only makes a double submission do nothing twice.
"""

from __future__ import annotations

from chalicelib.shared.observability import count, logger
from chalicelib.slack.claim import paused_key
from chalicelib.slack.click import Click, Paused
from chalicelib.slack.deps import SlackActionDeps, reply
from chalicelib.slack.once import release_decision_once
from chalicelib.slack.replies import decided_message
from chalicelib.slack.result import ClickOutcome, ClickResult

CONTINUED = "Continued"
ROLLED_BACK = "Rolled back"


def continue_or_roll_back(click: Click, wanted: Paused, deps: SlackActionDeps, reason: str) -> ClickResult:
    verb = CONTINUED if wanted.go_on else ROLLED_BACK
    key = paused_key(wanted.group, wanted.version, click.channel_id, click.message_ts)
    actor = f"slack:{click.actor}"
    decide = deps.pauses.continue_paused if wanted.go_on else deps.pauses.roll_back
    subject = f"{wanted.group} v{wanted.version}"
    # Refused when no longer PAUSED, its pause ran out, it was Rejected, or production is mid-update.
    answer = release_decision_once(
        click, key, verb, subject, lambda: decide(wanted.group, wanted.version, actor, reason), deps
    )
    if answer is not None:
        return answer
    logger.info("slack paused release", extra={"group": wanted.group, "verb": verb, "slack_user": click.user_id})
    count("SlackPausedDecision", verb=verb)
    what = f"{verb} {wanted.group} v{wanted.version}"
    icon = ":arrow_forward:" if wanted.go_on else ":rewind:"
    reply(deps, click, decided_message(click, what, deps.clock(), icon, reason=reason))
    return ClickResult(ClickOutcome.DONE, what)
