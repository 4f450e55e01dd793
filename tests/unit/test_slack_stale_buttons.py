"""Buttons left on a message after their subject moved on: refused before any modal asks why."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from chalicelib.shared.model_version import APPROVED
from chalicelib.slack.result import ClickOutcome
from tests.fakes.slack import ARN, GROUP, click_body, pending_version
from tests.unit.test_slack_actions_service import World, world  # noqa: F401 - the fixture

STOP_VALUE = json.dumps({"group": GROUP, "version": 3})


@pytest.mark.parametrize("action", ["shepherd_reject", "shepherd_regate"])
def test_a_click_on_a_version_approved_from_the_cli_is_refused_before_the_modal(world: World, action: str) -> None:  # noqa: F811
    metadata = {"shepherd:decided-by": "cli:root"}
    world.registry.add(pending_version(status=APPROVED, metadata=metadata, approval_description="Approved by root"))
    result = world.click(click_body(action, user="U0BOB"))
    assert result.outcome is ClickOutcome.CHANGED_NOTHING
    assert world.views.opened == []  # nobody types a reason for nothing
    assert world.registry.calls == ["get_version"]  # one DescribeModelPackage
    assert f"{GROUP} v3 is already Approved: cli:root" in world.responder.texts[-1]
    assert world.responder.posts[-1][1]["response_type"] == "ephemeral"
    assert world.locks.items == {}


def test_a_click_on_a_deleted_version_opens_no_modal(world: World) -> None:  # noqa: F811
    del world.registry.versions[ARN]
    assert world.click(click_body("shepherd_reject", user="U0BOB")).outcome is ClickOutcome.CHANGED_NOTHING
    assert world.views.opened == []
    assert "no longer exists" in world.responder.texts[-1]


def throttled(*_: object) -> None:
    raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow"}}, "DescribeModelPackage")


def test_a_registry_that_cannot_be_read_opens_no_modal_and_says_try_again(
    world: World,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(world.registry, "get_version", throttled)
    assert world.click(click_body("shepherd_reject", user="U0BOB")).outcome is ClickOutcome.FAILED
    assert world.views.opened == []
    assert "try again" in world.responder.texts[-1]


def test_a_reject_on_a_version_still_in_review_asks_why(world: World) -> None:  # noqa: F811
    assert world.click(click_body("shepherd_reject", user="U0BOB")).outcome is ClickOutcome.ASKED


def test_a_stop_on_a_release_no_longer_awaiting_promotion_is_refused_before_the_modal(world: World) -> None:  # noqa: F811
    world.promotions.candidate = ""  # promoted, stopped or expired meanwhile
    result = world.click(click_body("shepherd_stop", value=STOP_VALUE, user="U0JANE"))
    assert result.outcome is ClickOutcome.CHANGED_NOTHING
    assert world.views.opened == [] and world.promotions.calls == []
    assert f"Not stopped: nothing in {GROUP} awaits promotion" in world.responder.texts[-1]


def test_a_stop_on_a_release_awaiting_promotion_asks_why(world: World) -> None:  # noqa: F811
    assert world.click(click_body("shepherd_stop", value=STOP_VALUE, user="U0JANE")).outcome is ClickOutcome.ASKED
