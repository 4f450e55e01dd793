"""The fake Slack's modals keep Slack's rules: a click's trigger_id opens one modal within 3 s, and a view
outside Slack's limits is refused, so a test on the fake catches what real Slack would refuse."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.slack.click import Click
from chalicelib.slack.modal import reason_view
from devstack.fake_slack_views import TRIGGER_SECONDS, Views


@dataclass
class Clock:
    now: float = 100.0

    def __call__(self) -> float:
        return self.now


def view() -> dict[str, object]:
    click = Click("shepherd_reject", "arn:.../g/3", "U1", "jane", "T1", "A1", "https://hooks.slack.com/x", {"ts": "1"})
    return reason_view(click, "g v3")


def test_our_reason_modal_opens_once_per_trigger() -> None:
    views = Views(Clock())
    trigger = views.trigger("U1")
    answer = views.open_view({"trigger_id": trigger, "view": view()})
    assert answer["ok"] is True and views.opened[0].user_id == "U1"
    assert views.open_view({"trigger_id": trigger, "view": view()}) == {"ok": False, "error": "invalid_trigger_id"}


def test_a_trigger_older_than_three_seconds_is_expired() -> None:
    clock = Clock()
    views = Views(clock)
    trigger = views.trigger("U1")
    clock.now += TRIGGER_SECONDS + 0.1
    assert views.open_view({"trigger_id": trigger, "view": view()})["error"] == "expired_trigger_id"


def test_a_view_outside_slacks_limits_is_refused() -> None:
    views = Views(Clock())
    long_title = {**view(), "title": {"type": "plain_text", "text": "x" * 25}}
    no_submit = {key: value for key, value in view().items() if key != "submit"}
    for bad in (long_title, no_submit, {**view(), "private_metadata": "m" * 3001}, {**view(), "type": "home"}):
        assert views.open_view({"trigger_id": views.trigger("U1"), "view": bad})["error"] == "invalid_arguments"
    assert views.opened == []
