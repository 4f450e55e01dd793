"""Who may decide from Slack: a valid signature proves Slack sent the click, not that the clicker may act.

Allowed only when the click comes from the configured workspace and app, and the clicker is on the
group's approver list (``slack.approvers``: user ids) or in one of its user groups
(``slack.approver_groups``). Anything missing or unknown refuses: fail closed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.slack.click import Click


@dataclass(frozen=True)
class Workspace:
    team_id: str | None  # SHEPHERD_SLACK_TEAM_ID
    app_id: str | None  # SHEPHERD_SLACK_APP_ID


@dataclass(frozen=True)
class Approvers:
    users: frozenset[str] = frozenset()
    groups: tuple[str, ...] = ()

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> Approvers:
        return cls(frozenset(section.get("approvers", ())), tuple(section.get("approver_groups", ())))


@dataclass(frozen=True)
class Permission:
    allowed: bool
    reason: str


def authorise(
    click: Click, workspace: Workspace, approvers: Approvers, members_of: Callable[[str], frozenset[str]]
) -> Permission:
    """``members_of(group_id)`` is asked only when the user is not listed by id (it costs a Slack call)."""
    refusal = _origin_refusal(click, workspace)
    if refusal:
        return Permission(False, refusal)
    if click.user_id in approvers.users:
        return Permission(True, f"{click.user_id} is an approver")
    for group in approvers.groups:
        if click.user_id in members_of(group):
            return Permission(True, f"{click.user_id} is in approver group {group}")
    if not approvers.users and not approvers.groups:
        return Permission(False, "the group's policy names no Slack approvers")
    return Permission(False, f"{click.user_id} is not an approver for this group")


def _origin_refusal(click: Click, workspace: Workspace) -> str | None:
    if not workspace.team_id or not workspace.app_id:
        return "SHEPHERD_SLACK_TEAM_ID and SHEPHERD_SLACK_APP_ID must be set to accept clicks"
    if click.team_id != workspace.team_id:
        return f"workspace {click.team_id or '?'} is not the configured one"
    if click.app_id != workspace.app_id:
        return f"app {click.app_id or '?'} is not the configured one"
    return None
