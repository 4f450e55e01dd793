"""Who may decide: the configured workspace and app, and the group's approvers (users or user groups)."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.slack.auth import Approvers, Workspace, authorise
from chalicelib.slack.click import Click
from tests.fakes.slack import APP, TEAM

WORKSPACE = Workspace(TEAM, APP)


def click(user: str = "U0JANE", team: str = TEAM, app: str = APP) -> Click:
    return Click("shepherd_approve", "arn", user, user.lower(), team, app, "https://hooks.slack.com/x")


def no_groups(group_id: str) -> frozenset[str]:
    raise AssertionError(f"asked for members of {group_id}")


def test_listed_approver_may_act_without_any_group_lookup() -> None:
    permission = authorise(click("U0JANE"), WORKSPACE, Approvers(frozenset({"U0JANE"}), ("S0LEADS",)), no_groups)
    assert permission.allowed


def test_member_of_an_approver_group_may_act() -> None:
    members = {"S0LEADS": frozenset({"U0BOB"})}
    permission = authorise(
        click("U0BOB"), WORKSPACE, Approvers(frozenset({"U0JANE"}), ("S0LEADS",)), members.__getitem__
    )
    assert permission.allowed
    assert "S0LEADS" in permission.reason


def test_anyone_else_is_refused() -> None:
    members = {"S0LEADS": frozenset({"U0BOB"})}
    permission = authorise(
        click("U0EVE"), WORKSPACE, Approvers(frozenset({"U0JANE"}), ("S0LEADS",)), members.__getitem__
    )
    assert not permission.allowed
    assert "U0EVE is not an approver" in permission.reason


def test_a_policy_without_approvers_lets_nobody_act() -> None:
    permission = authorise(click(), WORKSPACE, Approvers(), no_groups)
    assert not permission.allowed
    assert "names no Slack approvers" in permission.reason


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [({"team": "T0OTHER"}, "workspace T0OTHER"), ({"app": "A0OTHER"}, "app A0OTHER"), ({"team": ""}, "workspace ?")],
)
def test_an_approver_from_another_workspace_or_app_is_refused(kwargs: dict[str, Any], why: str) -> None:
    permission = authorise(click("U0JANE", **kwargs), WORKSPACE, Approvers(frozenset({"U0JANE"})), no_groups)
    assert not permission.allowed
    assert why in permission.reason


@pytest.mark.parametrize("workspace", [Workspace(None, APP), Workspace(TEAM, None), Workspace(None, None)])
def test_without_a_configured_workspace_and_app_nobody_may_act(workspace: Workspace) -> None:
    permission = authorise(click(), workspace, Approvers(frozenset({"U0JANE"})), no_groups)
    assert not permission.allowed
    assert "SHEPHERD_SLACK_TEAM_ID" in permission.reason


def test_approvers_come_from_the_policy_slack_section() -> None:
    approvers = Approvers.from_section({"approvers": ["U1", "U2"], "approver_groups": ["S1"]})
    assert approvers == Approvers(frozenset({"U1", "U2"}), ("S1",))
    assert Approvers.from_section({}) == Approvers()
