"""Reading a click: what Slack sends becomes a Click, and the button's value only a lookup key."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from chalicelib.shared.errors import MalformedActionError
from chalicelib.slack.click import Decide, Rollback, parse_click, requested
from chalicelib.slack.replies import rollback_button
from tests.fakes.slack import APP, ARN, GROUP, TEAM, click_body


def test_reads_who_clicked_what_where() -> None:
    click = parse_click(click_body(user="U0JANE"))
    assert click is not None
    assert (click.action_id, click.value) == ("shepherd_approve", ARN)
    assert (click.user_id, click.user_name, click.actor) == ("U0JANE", "u0jane", "u0jane (U0JANE)")
    assert (click.team_id, click.app_id, click.channel_id) == (TEAM, APP, "C0REVIEW")
    assert click.message_ts == "1700000000.000100"
    assert click.response_url.startswith("https://hooks.slack.com/")


def test_approve_and_reject_ask_for_a_decision_on_the_named_package() -> None:
    approve = parse_click(click_body("shepherd_approve"))
    reject = parse_click(click_body("shepherd_reject"))
    assert approve is not None
    assert reject is not None
    assert requested(approve) == Decide(ARN, GROUP, "Approved")
    assert requested(reject) == Decide(ARN, GROUP, "Rejected")


def test_rollback_button_value_round_trips() -> None:
    button = rollback_button(GROUP, 2)
    click = parse_click(click_body("shepherd_rollback", value=button["value"]))
    assert click is not None
    assert requested(click) == Rollback(GROUP, 2)


def test_rollback_without_version_means_the_previous_good_one() -> None:
    click = parse_click(click_body("shepherd_rollback", value=json.dumps({"group": GROUP, "to_version": None})))
    assert click is not None
    assert requested(click) == Rollback(GROUP, None)


def test_a_button_that_is_not_ours_asks_for_nothing() -> None:
    click = parse_click(click_body("someone_elses_button"))
    assert click is not None
    assert requested(click) is None


def test_payloads_other_than_block_actions_are_ignored() -> None:
    body = urlencode({"payload": json.dumps({"type": "view_submission", "user": {"id": "U1"}})}).encode()
    assert parse_click(body) is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not a form",
        b"payload=%7Bnot-json",
        urlencode({"payload": "[1, 2]"}).encode(),
        urlencode({"other": "{}"}).encode(),
        b"\xff\xfe",
        b"payload=" + b"x" * 70_000,
    ],
    ids=["empty", "not-a-form", "not-json", "not-an-object", "no-payload-field", "not-utf8", "too-large"],
)
def test_unreadable_bodies_are_refused_clearly(body: bytes) -> None:
    with pytest.raises(MalformedActionError):
        parse_click(body)


@pytest.mark.parametrize(
    "override",
    [{"user": None}, {"user": {"name": "no id"}}, {"actions": []}, {"actions": [{}, {}]}, {"response_url": None}],
    ids=["no-user", "user-without-id", "no-action", "two-actions", "no-response-url"],
)
def test_clicks_missing_what_we_need_are_refused(override: dict[str, object]) -> None:
    with pytest.raises(MalformedActionError):
        parse_click(click_body(extra=override))


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        ("shepherd_approve", "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/x"),
        ("shepherd_reject", "not an arn"),
        ("shepherd_rollback", "not json"),
        ("shepherd_rollback", json.dumps({"to_version": 2})),
        ("shepherd_rollback", json.dumps({"group": GROUP, "to_version": "2"})),
        ("shepherd_rollback", json.dumps({"group": GROUP, "to_version": True})),
        ("shepherd_rollback", json.dumps({"group": GROUP, "to_version": 0})),
        ("shepherd_rollback", json.dumps(["group"])),
    ],
)
def test_button_values_that_name_nothing_are_refused(action_id: str, value: str) -> None:
    click = parse_click(click_body(action_id, value=value))
    assert click is not None
    with pytest.raises(MalformedActionError):
        requested(click)
