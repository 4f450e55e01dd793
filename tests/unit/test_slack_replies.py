"""What a click writes back: to the registry, and to the message (buttons gone, who and when)."""

from __future__ import annotations

from chalicelib.shared.decision_record import DECIDED_BY_KEY, decided_by_metadata, slack_description
from chalicelib.slack.click import parse_click
from chalicelib.slack.replies import decided_by, decided_message, ephemeral
from tests.fakes.slack import NOW, click_body, pending_version


def test_description_says_who_approved_in_slack_and_keeps_the_gates_reasons() -> None:
    click = parse_click(click_body(user="U0JANE"))
    assert click is not None
    text = slack_description("Approved", click.actor, "model-shepherd review: not clearly better")
    assert text == "Approved by u0jane (U0JANE) in Slack: model-shepherd review: not clearly better"
    assert slack_description("Rejected", click.actor, None).startswith("Rejected by u0jane (U0JANE) in Slack: ")


def test_description_fits_sagemakers_1024_characters() -> None:
    click = parse_click(click_body())
    assert click is not None
    assert len(slack_description("Approved", click.actor, "x" * 5000)) == 1024


def test_metadata_keeps_the_teams_keys_and_records_the_decider() -> None:
    click = parse_click(click_body(user="U0JANE"))
    assert click is not None
    version = pending_version()
    merged = decided_by_metadata(version.metadata, f"slack:{click.actor}", NOW).metadata
    assert merged["training_job"] == "fraud-xgb-3"
    assert merged[DECIDED_BY_KEY] == "slack:u0jane U0JANE"
    assert decided_by(pending_version(metadata=merged)) == "slack:u0jane U0JANE"


def test_decided_message_drops_the_buttons_and_says_who_and_when() -> None:
    click = parse_click(click_body(user="U0JANE"))
    assert click is not None
    message = decided_message(click, "Approved v3", NOW)
    assert message["replace_original"] is True
    assert [block["type"] for block in message["blocks"]] == ["header", "context"]
    line = message["blocks"][-1]["elements"][0]["text"]
    assert "<@U0JANE> (u0jane)" in line
    assert "2026-11-26 20:00:00 UTC" in line
    assert "Approved v3" in line


def test_ephemeral_reply_is_for_the_clicker_alone() -> None:
    assert ephemeral("no") == {"response_type": "ephemeral", "replace_original": False, "text": "no"}
