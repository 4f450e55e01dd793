"""Asking why: an authorised click on Reject, Decide again, Roll back, Stop or Continue opens the reason modal,
and changes nothing."""

from __future__ import annotations

from chalicelib.shared.errors import ConfigurationError, MalformedActionError
from chalicelib.shared.observability import count, logger
from chalicelib.slack.click import Click, Decide, Paused, Promotion, Regate, Request, Rollback
from chalicelib.slack.deps import SlackActionDeps
from chalicelib.slack.modal import reason_view
from chalicelib.slack.once import changed_nothing, failed
from chalicelib.slack.result import ClickOutcome, ClickResult

COMMANDS = {
    Decide: "shepherd reject",
    Regate: "shepherd regate",
    Rollback: "shepherd rollback",
    Promotion: "shepherd stop",
}


def ask_reason(click: Click, wanted: Request, deps: SlackActionDeps) -> ClickResult:
    if not click.trigger_id:
        raise MalformedActionError("a click that asks a reason carries no trigger_id")
    try:
        deps.views.open(click.trigger_id, reason_view(click, subject(wanted)))
    except ConfigurationError:  # a webhook-only app cannot open modals
        command = _command(wanted)
        why = (
            f"This needs a reason, asked in a dialog the app cannot open without a bot token: use `{command} --reason`."
        )
        return changed_nothing(click, why, deps)
    except Exception as error:  # noqa: BLE001 - expired trigger, Slack down: nothing changed, click again
        return failed(click, None, error, deps)
    logger.info("slack reason asked", extra={"slack_user": click.user_id, "slack_action": click.action_id})
    count("SlackReasonAsked")
    return ClickResult(ClickOutcome.ASKED, f"asked {click.actor} why")


def _command(wanted: Request) -> str:
    if isinstance(wanted, Paused):
        return f"shepherd continue {wanted.group}" if wanted.go_on else f"shepherd rollback {wanted.group}"
    return COMMANDS.get(type(wanted), "the shepherd CLI")


def subject(wanted: Request) -> str:
    if isinstance(wanted, Decide | Regate):
        return wanted.arn.rsplit("/", 2)[-2] + " v" + wanted.arn.rsplit("/", 1)[-1]
    if isinstance(wanted, Rollback):
        target = f"v{wanted.to_version}" if wanted.to_version else "the last good version"
        return f"{wanted.group}: production back to {target}"
    if isinstance(wanted, Promotion):
        return f"{wanted.group} v{wanted.version} (awaiting promotion; production untouched)"
    if isinstance(wanted, Paused):
        if wanted.go_on:
            return f"{wanted.group} v{wanted.version}: the paused release goes on where it stopped"
        return f"{wanted.group} v{wanted.version}: the paused release ends, production back to the last good version"
    return wanted.group
