"""Promote and Stop from Slack: an authorised click on a release awaiting promotion. Once only.

The release engine re-reads the group and the registry and refuses what no longer applies (expired,
stopped, Rejected, another version waiting); the lock only makes a double click do nothing twice.
"""

from __future__ import annotations

from chalicelib.shared.observability import count, logger
from chalicelib.slack.claim import promotion_key
from chalicelib.slack.click import Click, Promotion
from chalicelib.slack.deps import SlackActionDeps, reply
from chalicelib.slack.once import release_decision_once
from chalicelib.slack.replies import decided_message
from chalicelib.slack.result import ClickOutcome, ClickResult

PROMOTED = "Promoted"
STOPPED = "Stopped"


def promote_or_stop(click: Click, wanted: Promotion, deps: SlackActionDeps, reason: str = "") -> ClickResult:
    """`reason`: what the person wrote (the Stop modal); a Promote click without one says where it came from."""
    verb = PROMOTED if wanted.promote else STOPPED
    key = promotion_key(wanted.group, wanted.version, click.channel_id, click.message_ts)
    actor = f"slack:{click.actor}"
    button = "Promote" if wanted.promote else "Stop"
    why = reason or f"{button} clicked in Slack by {click.actor}"
    decide = deps.promotions.promote if wanted.promote else deps.promotions.stop
    subject = f"{wanted.group} v{wanted.version}"
    answer = release_decision_once(
        click, key, verb, subject, lambda: decide(wanted.group, wanted.version, actor, why), deps
    )
    if answer is not None:
        return answer
    logger.info("slack promotion", extra={"group": wanted.group, "verb": verb, "slack_user": click.user_id})
    count("SlackPromotion", verb=verb)
    what = f"{verb} {wanted.group} v{wanted.version}"
    icon = ":arrow_forward:" if wanted.promote else ":octagonal_sign:"
    reply(deps, click, decided_message(click, what, deps.clock(), icon, reason=reason))
    return ClickResult(ClickOutcome.DONE, what)
