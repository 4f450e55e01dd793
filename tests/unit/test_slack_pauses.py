"""Continue and Roll back on a paused release's message, through the route's handler: each asks why first,
a stale button is refused before the modal opens, the submission is authorised again and acts once."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from chalicelib.release.pause_messages import paused_notification
from chalicelib.release.state import Deployed, GroupState
from chalicelib.shared.errors import ConfigurationError, PauseRefusedError
from tests.fakes.slack import GROUP, click_body, pending_version, submission_body
from tests.support.paused import paused_state
from tests.support.slack_text import shown
from tests.unit.test_slack_actions_service import Answer, World

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
LIVE = Deployed(2, f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/2", "prd-2", "gate", T0)
STATE = paused_state(GroupState(GROUP, live=LIVE), 3, T0)


def button(action_id: str) -> str:
    """The value the paused message's own button carries (what Slack echoes back)."""
    assert STATE.release is not None
    blocks = paused_notification(STATE.release, None).blocks
    elements = [element for block in blocks if block["type"] == "actions" for element in block["elements"]]
    return str(next(element["value"] for element in elements if element["action_id"] == action_id))


def click(action_id: str, user: str = "U0JANE") -> bytes:
    return click_body(action_id, value=button(action_id), user=user)


@pytest.fixture
def world() -> World:
    built = World()
    built.registry.add(pending_version())  # v3's package: whether its registrant is the one continuing
    return built


def test_continue_asks_why_then_continues_once_naming_who_and_why(world: World) -> None:
    assert world.post(click("shepherd_continue")) == Answer(200, {})
    assert world.pauses.calls == []  # nothing changes until the reason comes back
    _, view = world.views.opened[-1]
    assert view["title"]["text"] == "Continue: why?"
    assert world.post(submission_body(view, "U0JANE", "exporter was down")) == Answer(200, {"response_action": "clear"})
    assert world.pauses.calls == [("continue", GROUP, 3, "slack:u0jane (U0JANE)", "exporter was down")]
    assert "Continued fraud-detection-models v3" in world.responder.texts[-1]
    world.post(submission_body(view, "U0BOB", "me too"))  # the same modal submitted again: no longer PAUSED
    assert len(world.pauses.calls) == 1
    assert "Not continued: nothing in fraud-detection-models is PAUSED" in world.responder.texts[-1]


def test_roll_back_asks_why_then_rolls_the_paused_release_back(world: World) -> None:
    answer = world.with_reason(click("shepherd_paused_rollback"), reason="no data is bad data")
    assert answer == Answer(200, {"response_action": "clear"})
    assert world.pauses.calls == [("roll_back", GROUP, 3, "slack:u0jane (U0JANE)", "no data is bad data")]
    assert "Rolled back fraud-detection-models v3" in world.responder.texts[-1]


def test_roll_back_after_continue_on_the_same_message_is_told_who_continued(world: World) -> None:
    world.with_reason(click("shepherd_continue"))
    world.pauses.paused_version = 3  # paused again, say: the message's lock still decides for its buttons
    world.with_reason(click("shepherd_paused_rollback", user="U0BOB"))
    assert [call[0] for call in world.pauses.calls] == ["continue"]
    assert "already continued by u0jane" in world.responder.texts[-1]


def test_a_stale_button_is_refused_before_the_modal_opens_naming_the_stage(world: World) -> None:
    world.pauses.paused_version = 0  # continued (or rolled back) meanwhile
    for action in ("shepherd_continue", "shepherd_paused_rollback"):
        assert world.post(click(action)) == Answer(200, {})
    assert world.views.opened == []
    assert "Not continued: nothing in fraud-detection-models is PAUSED" in world.responder.texts[0]
    assert "is LIVE" in world.responder.texts[0]
    assert "Not rolled back: nothing in" in world.responder.texts[1]


def test_a_stranger_may_neither_open_the_modal_nor_submit_it(world: World) -> None:
    world.post(click("shepherd_continue", user="U0EVE"))
    assert world.views.opened == []
    assert "You may not do this" in world.responder.texts[-1]
    world.post(click("shepherd_continue"))
    _, view = world.views.opened[-1]
    answer = world.post(submission_body(view, "U0EVE", "let me"))  # someone else submits the modal's copy
    assert answer.body["response_action"] == "errors"
    assert world.pauses.calls == []


def test_an_empty_reason_keeps_the_modal_open(world: World) -> None:
    answer = world.with_reason(click("shepherd_continue"), reason="   ")
    assert answer.body == {"response_action": "errors", "errors": {"reason": "A reason is required."}}
    assert world.pauses.calls == []


def test_a_refusal_at_submission_says_why_and_frees_the_buttons(world: World) -> None:
    world.post(click("shepherd_continue"))
    world.pauses.error = PauseRefusedError("fraud-detection-models v3 was paused past its deadline")
    _, view = world.views.opened[-1]
    world.post(submission_body(view, "U0JANE", "go"))
    assert "Not continued: fraud-detection-models v3 was paused past its deadline" in world.responder.texts[-1]
    assert world.locks.items == {}


def test_a_failure_at_submission_changes_nothing_and_frees_the_buttons(world: World) -> None:
    world.post(click("shepherd_paused_rollback"))
    world.pauses.error = RuntimeError("DynamoDB down")
    _, view = world.views.opened[-1]
    world.post(submission_body(view, "U0JANE", "go"))
    assert "Not done (AWS busy or failing)" in world.responder.texts[-1]
    assert world.locks.items == {}


def test_without_a_bot_token_the_click_points_to_the_cli(world: World) -> None:
    world.views.error = ConfigurationError("no bot token")
    world.post(click("shepherd_continue"))
    assert "`shepherd continue fraud-detection-models --reason`" in world.responder.texts[-1]


@pytest.mark.parametrize("value", ['{"group": "g", "version": 0}', '{"group": "g"}', "[1]", "not json"])
def test_a_malformed_paused_button_is_answered_400(world: World, value: str) -> None:
    assert world.post(click_body("shepherd_continue", value=value)).status == 400
    assert world.pauses.calls == []


def test_the_paused_message_says_why_where_and_until_when() -> None:
    assert STATE.release is not None
    message = paused_notification(STATE.release, None)
    text = json.dumps(message.blocks)
    assert "v3 is PAUSED at PRODUCTION" in message.text
    assert "INCONCLUSIVE: ModelLatency: 2 samples < 5" in shown(text)
    assert "Rolled back at* 2026-11-26 13:00 UTC unless someone continues it" in text
    assert (message.body["paused_from"], message.body["rollback_to"]) == ("PRODUCTION", 2)
    assert [b["action_id"] for b in message.blocks[-1]["elements"]] == ["shepherd_continue", "shepherd_paused_rollback"]


def test_a_progressive_release_says_the_step_and_its_share_of_traffic() -> None:
    policy = json.dumps({"deployment": {"type": "PROGRESSIVE", "steps": [5, 25, 50, 100], "step_minutes": 10}})
    release = paused_state(GroupState(GROUP, live=LIVE), 3, T0, policy=policy).release
    assert release is not None
    assert "PAUSED at PRODUCTION, step 2 (25%)" in paused_notification(release, None).text
