"""A PAUSED release end to end in process: moto's SageMaker and DynamoDB, the fake Slack, Continue and Roll back
through POST /slack/actions. The release is stored PAUSED directly, as the engine leaves one."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.bootstrap import Container
from chalicelib.release.messages import release_notification
from devstack.fake_slack import FakeSlack
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.paused import paused_state
from tests.support.policies import policies_with_release, policies_with_slack
from tests.support.slack_app import app_with_slack

APPROVER, OTHER_APPROVER, STRANGER = "U024BE7LH", "U0G9QF9C6", "U0EVE001"


@pytest.fixture
def world(
    resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Any:
    """v1 LIVE, v2 PAUSED in its production bake, and its message in the fake Slack. `request.param`
    (indirect): changes to the example policy's slack section."""
    slack = FakeSlack().start()
    policies = policies_with_slack(policies_with_release(tmp_path / "policies"), **getattr(request, "param", {}))
    container = app_with_slack(resources, slack, policies, monkeypatch)
    clock = r.release_world(container)
    r.release_to_live(r.register_approved("v1"), clock)
    clock.advance(minutes=61)
    r.reconcile()
    r.register_approved("v2")
    store = container.release_store
    saved = store.save(paused_state(store.load(r.GROUP), 2, clock.now))
    assert saved.release is not None
    container.release_deps.notifier.send(release_notification("release.paused", saved.release, None))
    message = next(m for m in slack.messages if "is PAUSED" in m.get("text", ""))
    yield slack, container, copy.deepcopy(message)
    slack.stop()


def post(body: bytes, headers: dict[str, str]) -> Any:
    with Client(app) as client:
        return client.http.post("/slack/actions", headers=headers, body=body)


def stage(container: Container) -> str:
    release = container.release_store.load(r.GROUP).release
    assert release is not None
    return release.stage.value


def test_continue_asks_why_then_the_release_goes_on_and_the_history_says_who(world: Any) -> None:
    slack, container, message = world
    assert post(*slack.signed_click(message, "shepherd_continue", APPROVER, user_name="jane")).status_code == 200
    assert stage(container) == "PAUSED"  # asked why first
    assert post(*slack.signed_submission("the exporter was down", user_name="jane")).json_body == {
        "response_action": "clear"
    }
    assert stage(container) == "PRODUCTION"
    rows = container.release_store.history(r.GROUP)
    assert [row.reason for row in rows if row.outcome == "CONTINUED"] == [
        "by slack:jane (U024BE7LH): the exporter was down"
    ]
    replaced = next(m for m in slack.messages if m["ts"] == message["ts"])
    assert "*Continued fraud-detection-models v2* by <@U024BE7LH> (jane)" in str(replaced["blocks"])
    assert all(block["type"] != "actions" for block in replaced["blocks"])
    assert any("was continued by slack:jane" in m.get("text", "") for m in slack.messages)


def test_roll_back_ends_it_and_production_serves_the_live_version_alone(world: Any) -> None:
    slack, container, message = world
    post(*slack.signed_click(message, "shepherd_paused_rollback", APPROVER, user_name="jane"))
    post(*slack.signed_submission("no data is bad data", user_name="jane"))
    assert stage(container) == "ROLLED_BACK"
    state = container.release_store.load(r.GROUP)
    assert state.live is not None and state.live.version == 1
    assert r.serving_version(r.production_config()) == 1
    rows = container.release_store.history(r.GROUP)
    assert [row.reason for row in rows if row.version == 2] == [
        "rolled back by slack:jane (U024BE7LH): no data is bad data"
    ]


def test_a_stale_button_is_refused_before_the_modal_opens_naming_the_stage(world: Any) -> None:
    slack, container, message = world
    post(*slack.signed_click(message, "shepherd_continue", APPROVER))
    post(*slack.signed_submission("go"))
    opened = len(slack.views.opened)
    post(*slack.signed_click(message, "shepherd_paused_rollback", APPROVER))  # the message's old copy
    assert len(slack.views.opened) == opened
    assert "Not rolled back: nothing in fraud-detection-models is PAUSED" in slack.ephemerals()[-1].body["text"]
    assert "v2, is PRODUCTION" in slack.ephemerals()[-1].body["text"]
    assert stage(container) == "PRODUCTION"


def test_a_stranger_cannot_continue(world: Any) -> None:
    slack, container, message = world
    post(*slack.signed_click(message, "shepherd_continue", STRANGER))
    assert slack.views.opened == []
    assert "is not an approver" in slack.ephemerals()[-1].body["text"]
    assert stage(container) == "PAUSED"


def test_a_stranger_submitting_an_approvers_modal_is_refused(world: Any) -> None:
    slack, container, message = world
    post(*slack.signed_click(message, "shepherd_continue", APPROVER))
    answer = post(*slack.signed_submission("mine now", user_id=STRANGER)).json_body
    assert answer["response_action"] == "errors"
    assert stage(container) == "PAUSED"


def continue_as(slack: FakeSlack, message: dict[str, Any], user: str, name: str, reason: str) -> Any:
    post(*slack.signed_click(message, "shepherd_continue", user, user_name=name))
    return post(*slack.signed_submission(reason, user_name=name))


@pytest.mark.parametrize("world", [{"required_approvals": 2}], indirect=True)
def test_a_continue_needing_two_waits_for_the_second_distinct_approver(world: Any) -> None:
    slack, container, message = world
    continue_as(slack, message, APPROVER, "jane", "exporter back")
    continue_as(slack, message, APPROVER, "jane", "really")  # the same person again: still one
    assert stage(container) == "PAUSED"
    assert "Continued so far (1 of 2): jane (U024BE7LH)" in slack.ephemerals()[-1].body["text"]
    shown = next(m for m in slack.messages if m["ts"] == message["ts"])
    assert any(block["type"] == "actions" for block in shown["blocks"])  # the buttons stay for the second
    continue_as(slack, message, OTHER_APPROVER, "bob", "agreed")
    assert stage(container) == "PRODUCTION"
    rows = container.release_store.history(r.GROUP)
    assert [row.reason for row in rows if row.outcome == "CONTINUED"] == [
        "by slack:bob (U0G9QF9C6): agreed (2 approvals: bob (U0G9QF9C6), jane (U024BE7LH))"
    ]
