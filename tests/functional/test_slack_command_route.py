"""/shepherd end to end in process: signed commands through POST /slack/commands, moto's DynamoDB and SageMaker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from app import app
from devstack.fake_slack import FakeSlack
from devstack.fake_slack_commands import signed_command
from devstack.resources import LocalResources
from tests.functional.test_review_expiry import World, in_review, make_world
from tests.support import release as r

APPROVER, READER, STRANGER = "U024BE7LH", "U0READ001", "U0EVE001"
READERS = "S0READERS"


@pytest.fixture
def world(resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    made = make_world(resources, tmp_path, monkeypatch, review_expires_days=2, reader_groups=[READERS])
    made.slack.user_groups[READERS] = [READER]
    yield made
    made.slack.stop()


def ask(slack: FakeSlack, text: str, user: str = APPROVER, **changes: str) -> Any:
    body, headers = signed_command(slack, text, user, **changes)
    return post(body, headers)


def post(body: bytes, headers: dict[str, str]) -> Any:
    with Client(app) as client:
        return client.http.post("/slack/commands", headers=headers, body=body)


def said(response: Any) -> str:
    assert response.status_code == 200
    assert response.json_body["response_type"] == "ephemeral"  # only the caller sees it
    return "\n".join(block["text"]["text"] for block in response.json_body["blocks"])


def test_help_lists_every_subcommand(world: World) -> None:
    for text in ("", "help"):
        answer = said(ask(world.slack, text))
        assert all(f"/shepherd {verb}" in answer for verb in ("status GROUP", "history GROUP", "pending", "help"))


def test_status_shows_what_waits_for_people(world: World) -> None:
    in_review(world)
    answer = said(ask(world.slack, f"status {r.GROUP}"))
    assert f"*{r.GROUP}*" in answer and "Production:* nothing live" in answer
    assert f"{r.GROUP} v2 awaits review" in answer and "console.aws.amazon.com/sagemaker" in answer


def test_history_shows_the_newest_rows_first(world: World) -> None:
    in_review(world)
    world.clock.advance(days=1, minutes=1)
    r.reconcile()
    answer = said(ask(world.slack, f"history {r.GROUP}"))
    assert "v2 *REVIEW_REMINDED*" in answer


def test_pending_lists_reviews_for_a_member_of_the_read_only_group(world: World) -> None:
    in_review(world)
    answer = said(ask(world.slack, "pending", READER))
    assert "1 version(s) waiting for people" in answer and f"{r.GROUP} v2 awaits review" in answer


def test_a_stranger_learns_nothing(world: World) -> None:
    in_review(world)
    assert said(ask(world.slack, f"status {r.GROUP}", STRANGER)) == f":no_entry: No group `{r.GROUP}` that you may see."
    assert said(ask(world.slack, "pending", STRANGER)).startswith(":no_entry: You may see no group")
    assert said(ask(world.slack, "status no-such-group")) == ":no_entry: No group `no-such-group` that you may see."


def test_another_workspace_is_refused_like_a_stranger(world: World) -> None:
    in_review(world)
    refused = said(ask(world.slack, f"status {r.GROUP}", team_id="T0OTHER"))
    assert refused.startswith(":no_entry:")


def test_bad_input_is_answered_never_a_500(world: World) -> None:
    assert "unknown subcommand `deploy`" in said(ask(world.slack, "deploy everything"))
    assert "5,000 characters" in said(ask(world.slack, "x" * 5000))
    assert "not a model package group name" in said(ask(world.slack, "status <!channel>"))
    body = b"text=pending"  # signed, but no user_id: not a command Slack sends
    assert "Could not read the command: the command names no user_id" in said(post(body, world.slack.sign(body)))


def test_a_bad_signature_or_a_stale_timestamp_is_401(world: World) -> None:
    body, headers = signed_command(world.slack, "pending", APPROVER)
    assert post(body, {**headers, "X-Slack-Signature": "v0=" + "0" * 64}).status_code == 401
    stale = world.slack.sign(body, timestamp=int(time.time()) - 600)
    response = post(body, stale)
    assert response.status_code == 401 and "signature" in response.json_body["error"]
    assert post(body, world.slack.sign(body, secret="not-the-secret")).status_code == 401
