"""What every Slack request (a click, a modal, a slash command) passes first: Slack's signature, checked and
logged the same way; and who is in a user group, read failing closed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from chalicelib.shared.errors import ConfigurationError, InvalidSignatureError
from chalicelib.shared.observability import count, logger
from chalicelib.slack import signature as slack_signature
from chalicelib.slack.ports import SlackUserGroups


def verify_request(
    body: bytes, headers: Mapping[str, str], secret: Callable[[], str], clock: Callable[[], datetime]
) -> None:
    """Raises InvalidSignatureError, or ConfigurationError (no signing secret); logged and counted here."""
    try:
        slack_signature.verify(secret(), headers, body, clock().timestamp())
    except InvalidSignatureError as error:
        # Only the reason: never the body, the headers or anything derived from the secret.
        logger.warning("slack request refused", extra={"why": str(error)})
        count("SlackRequestRefused")
        raise
    except ConfigurationError as error:
        logger.error("slack route not configured", extra={"error": str(error)})
        count("SlackNotConfigured")
        raise


def members_or_nobody(group_id: str, user_groups: SlackUserGroups) -> frozenset[str]:
    try:
        return user_groups.members(group_id)
    except Exception as error:  # noqa: BLE001 - cannot tell who is in the group: nobody is (fail closed)
        logger.warning("cannot read slack user group", extra={"group_id": group_id, "error": repr(error)[:200]})
        count("SlackUserGroupUnreadable")
        return frozenset()
