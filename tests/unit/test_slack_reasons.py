"""Reject, Roll back and Stop ask why first: the reason modal, its submission through the route's handler,
verified, authorised and once only like a click; an empty reason is refused in the modal."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode

import pytest

from chalicelib.shared.errors import ConfigurationError
from chalicelib.slack.modal import CALLBACK_ID, CLOSE, MAX_REASON, reason_required
from chalicelib.slack.replies import rollback_button
from tests.fakes.slack import ARN, GROUP, click_body, pending_version, submission_body
from tests.unit.test_slack_actions_service import Answer, World
from tests.unit.test_slack_promotions import button


@pytest.fixture
def world() -> World:
    built = World()
    built.registry.add(pending_version())
    return built


def opened(world: World) -> dict[str, object]:
    trigger, view = world.views.opened[-1]
    assert trigger == "1.trigger"  # the click's own trigger_id
    return dict(view)


def test_a_reject_click_opens_the_reason_modal_and_changes_nothing(world: World) -> None:
    assert world.post(click_body("shepherd_reject", user="U0BOB")) == Answer(200, {})
    view = opened(world)
    assert (view["type"], view["callback_id"]) == ("modal", CALLBACK_ID)
    assert len(view["title"]["text"]) <= 24  # type: ignore[index]  # Slack's limit for a modal title
    assert world.status() == "PendingManualApproval"
    # One read (is the version still in review?), no lock, no reply: only the modal.
    assert (world.registry.calls, world.locks.items, world.responder.posts) == (["get_version"], {}, [])


def test_the_reason_goes_into_approval_description_and_the_message(world: World) -> None:
    answer = world.with_reason(click_body("shepherd_reject", user="U0BOB"), "label leakage in the features")
    assert answer == Answer(200, CLOSE)
    description = world.registry.versions[ARN].approval_description or ""
    assert description.startswith("Rejected by u0bob (U0BOB) in Slack: label leakage in the features. The gate said:")
    assert "label leakage in the features" in json.dumps(world.responder.posts[-1][1])


@pytest.mark.parametrize("reason", ["", "   \n ", None])
def test_an_empty_reason_is_refused_in_the_modal_and_changes_nothing(world: World, reason: str | None) -> None:
    assert world.with_reason(click_body("shepherd_reject", user="U0BOB"), reason) == Answer(200, reason_required())
    assert world.status() == "PendingManualApproval"
    assert world.locks.items == {}


def test_a_submission_with_a_bad_signature_is_401_and_changes_nothing(world: World) -> None:
    world.post(click_body("shepherd_reject", user="U0BOB"))
    body = submission_body(opened(world), "U0BOB", "because")
    forged = world.signed(body.replace(b"because", b"whatever"))
    assert world.post(body, forged).status == 401
    assert world.post(body, {}).status == 401
    assert world.status() == "PendingManualApproval"


def test_a_submission_by_a_stranger_is_refused_in_the_modal(world: World) -> None:
    world.post(click_body("shepherd_reject", user="U0BOB"))
    answer = world.post(submission_body(opened(world), "U0EVE", "I say so"))
    assert answer == Answer(200, reason_required(f"You may not do this for {GROUP}."))
    assert world.status() == "PendingManualApproval"


def test_the_same_submission_twice_decides_once(world: World) -> None:
    world.post(click_body("shepherd_reject", user="U0BOB"))
    body = submission_body(opened(world), "U0BOB", "drift")
    assert world.post(body) == Answer(200, CLOSE)
    assert world.post(body) == Answer(200, CLOSE)
    assert world.registry.calls.count("record_decision") == 1
    assert "already rejected by u0bob (U0BOB)" in world.responder.texts[-1]


def test_a_reasoned_roll_back_hands_the_reason_to_the_engine(world: World) -> None:
    world.with_reason(click_body("shepherd_rollback", value=rollback_button(GROUP, 2)["value"]), "p99 doubled")
    assert world.rollbacks.calls == [(GROUP, 2, "slack:u0jane (U0JANE)", "p99 doubled")]


def test_a_reasoned_stop_hands_the_reason_to_the_engine(world: World) -> None:
    world.with_reason(click_body("shepherd_stop", value=button("shepherd_stop")), "wrong training window")
    assert world.promotions.calls == [("stop", GROUP, 2, "slack:u0jane (U0JANE)", "wrong training window")]


def test_approve_and_promote_ask_nothing(world: World) -> None:
    world.post(click_body("shepherd_promote", value=button("shepherd_promote")))
    world.post(click_body("shepherd_approve"))
    assert world.views.opened == []
    assert world.status() == "Approved"


def test_a_modal_that_cannot_open_changes_nothing_and_says_try_again(world: World) -> None:
    world.views.error = RuntimeError("expired_trigger_id")
    world.post(click_body("shepherd_reject", user="U0BOB"))
    assert "nothing changed, try again" in world.responder.texts[-1]


def test_without_a_bot_token_the_clicker_is_pointed_to_the_cli(world: World) -> None:
    world.views.error = ConfigurationError("webhook only")
    world.post(click_body("shepherd_reject", user="U0BOB"))
    assert "`shepherd reject --reason`" in world.responder.texts[-1]
    assert world.status() == "PendingManualApproval"


def test_another_apps_view_is_ignored_and_a_broken_metadata_is_400(world: World) -> None:
    world.post(click_body("shepherd_reject", user="U0BOB"))
    view = opened(world)
    assert world.post(submission_body({**view, "callback_id": "someone_elses"})) == Answer(200, {})
    assert world.post(submission_body({**view, "private_metadata": "{not json"})).status == 400
    forged = json.dumps({**json.loads(str(view["private_metadata"])), "a": "shepherd_approve"})
    assert world.post(submission_body({**view, "private_metadata": forged})).status == 400
    assert world.status() == "PendingManualApproval"


def test_a_long_reason_keeps_approval_description_within_sagemakers_limit(world: World) -> None:
    world.registry.add(pending_version(approval_description="g" * 1024))
    world.with_reason(click_body("shepherd_reject", user="U0BOB"), "r" * (MAX_REASON + 200))
    description = world.registry.versions[ARN].approval_description or ""
    assert len(description) <= 1024 and "r" * MAX_REASON in description and "r" * (MAX_REASON + 1) not in description


def test_a_click_asking_a_reason_without_a_trigger_id_is_malformed(world: World) -> None:
    payload = json.loads(parse_qs(click_body("shepherd_reject").decode())["payload"][0])
    del payload["trigger_id"]
    assert world.post(urlencode({"payload": json.dumps(payload)}).encode()).status == 400
