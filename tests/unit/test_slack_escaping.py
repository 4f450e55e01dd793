"""What people type reaches Slack as text: escaped once where it becomes mrkdwn, the app's own mentions and
links kept. Click replies (the fake responder records them) and /shepherd answers; notifications are in
tests/integration/test_slack_escaping.py."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.release.state import GroupState, HistoryRow, Review, Stage
from chalicelib.shared.model_version import APPROVED
from chalicelib.shared.slack_text import clip, escape, link, mention
from chalicelib.slack.click import parse_click
from chalicelib.slack.command_answers import history_answer, status_answer
from chalicelib.slack.replies import approvals_message, decided_message
from tests.fakes.slack import ARN, GROUP, NOW, click_body, pending_version
from tests.support.paused import paused_state
from tests.support.slack_text import ESCAPED, HOSTILE, assert_escaped_once, shown
from tests.unit.test_slack_actions_service import World, world  # noqa: F401 - the fixture

CONSOLE = "<https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/model-registry|console>"
PROMOTION = json.dumps({"group": GROUP, "version": 3})


def test_escapes_the_three_characters_slack_reads_as_control_and_leaves_formatting() -> None:
    assert escape(HOSTILE) == ESCAPED
    assert escape("*bold* _it_ ~x~ `code`") == "*bold* _it_ ~x~ `code`"  # looks only: left as typed


@given(st.text() | st.text(alphabet="<>&!@|#;ampltg U1:/"))
def test_whatever_the_text_slack_shows_it_as_typed(text: str) -> None:
    escaped = escape(text)
    assert shown(escaped) == text
    assert not {"<", ">"} & set(escaped)


@given(st.text(alphabet="a&<>", max_size=60), st.integers(min_value=4, max_value=60))
def test_a_clipped_text_never_ends_inside_an_escape(text: str, limit: int) -> None:
    clipped = clip(escape(text), limit)
    assert len(clipped) <= limit
    assert text.startswith(shown(clipped))  # whole characters only: no `&am` left over


def test_only_a_slack_user_id_becomes_a_mention() -> None:
    assert mention("U0JANE") == "<@U0JANE>"
    assert mention("W0BOB12") == "<@W0BOB12>"
    assert mention("U1> <!channel") == "U1&gt; &lt;!channel"


def test_our_links_keep_working_with_a_label_shown_as_text() -> None:
    assert link("https://example.com/a", HOSTILE) == f"<https://example.com/a|{ESCAPED}>"


def test_a_reject_reason_is_escaped_once_and_the_clickers_mention_kept(world: World) -> None:  # noqa: F811
    world.with_reason(click_body("shepherd_reject", user="U0BOB"), HOSTILE)
    _, message = world.responder.posts[-1]
    line = assert_escaped_once(message)
    assert "<@U0BOB> (u0bob)" in line  # the app's own mention of the verified clicker still pings


@pytest.mark.parametrize(
    ("action", "value"),
    [
        ("shepherd_regate", ARN),
        ("shepherd_stop", PROMOTION),
        ("shepherd_rollback", json.dumps({"group": GROUP, "to_version": 2})),
        ("shepherd_continue", PROMOTION),
        ("shepherd_paused_rollback", PROMOTION),
    ],
)
def test_every_reason_modal_reply_escapes_the_reason(world: World, action: str, value: str) -> None:  # noqa: F811
    world.with_reason(click_body(action, value=value, user="U0JANE"), HOSTILE)
    assert "<@U0JANE>" in assert_escaped_once(world.responder.posts[-1][1])


def test_who_decided_elsewhere_is_escaped_in_the_private_answer(world: World) -> None:  # noqa: F811
    world.registry.add(pending_version(status=APPROVED, approval_description=HOSTILE, metadata={}))
    world.post(click_body("shepherd_approve", user="U0JANE"))
    _, message = world.responder.posts[-1]
    assert message["response_type"] == "ephemeral"
    assert_escaped_once(message)


def test_a_decided_line_escapes_what_and_who_but_not_the_original_blocks() -> None:
    click = parse_click(click_body(user="U0JANE"))
    assert click is not None
    message = decided_message(click, f"Rolled back {HOSTILE}", NOW)
    assert message["blocks"][0]["text"]["text"] == f"{GROUP} v3: review"  # Slack's copy, taken as it came
    assert_escaped_once(message)
    assert_escaped_once(approvals_message(click, f"Approved so far (1 of 2): {HOSTILE}"))


def test_a_history_answer_escapes_the_reasons_people_gave() -> None:
    row = HistoryRow(f"{NOW.isoformat()}#v000003", 3, ARN, "cli:root", "ROLLBACK", reason=HOSTILE)
    assert_escaped_once(history_answer(GROUP, [row]))


def test_a_status_answer_escapes_the_release_reason_and_keeps_the_console_link() -> None:
    paused = paused_state(GroupState(GROUP), 3, NOW).release
    assert paused is not None
    failed = replace(paused, stage=Stage.FAILED, reason=HOSTILE, ended_at=NOW)
    review = Review(4, ARN.replace("/3", "/4"), NOW, NOW + timedelta(days=7), NOW)
    answer = status_answer(GroupState(GROUP, release=failed, reviews=(review,)))
    assert CONSOLE in assert_escaped_once(answer)
