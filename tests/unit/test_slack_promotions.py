"""Promote and Stop clicks through the route's handler: verified, authorised, once only, refusals said."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.release.promotion_messages import promotion_notification
from chalicelib.release.state import Deployed, Release, Rules, Stage
from chalicelib.shared.errors import PromotionRefusedError
from tests.fakes.slack import GROUP, click_body, pending_version
from tests.unit.test_slack_actions_service import Answer, World

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def awaiting(version: int = 2) -> Release:
    rules = Rules(manual_promotion=True)
    return Release(
        GROUP,
        version,
        f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/{version}",
        "gate",
        Stage.AWAITING_PROMOTION,
        T0,
        T0 + timedelta(hours=72),
        "m",
        "stg",
        "prd",
        rules,
        metrics="auc=0.95 precision=0.9",
    )


def button(action_id: str, version: int = 2) -> str:
    """The value the notification's own button carries (what Slack echoes back)."""
    blocks = promotion_notification("release.awaiting_promotion", awaiting(version)).blocks
    elements = [element for block in blocks if block["type"] == "actions" for element in block["elements"]]
    return str(next(element["value"] for element in elements if element["action_id"] == action_id))


@pytest.fixture
def world() -> World:
    built = World()
    built.registry.add(pending_version())
    return built


def test_promote_calls_the_engine_once_per_button_and_says_who(world: World) -> None:
    assert world.post(click_body("shepherd_promote", value=button("shepherd_promote"), user="U0JANE")) == Answer(
        200, {}
    )
    world.post(click_body("shepherd_promote", value=button("shepherd_promote"), user="U0BOB"))
    actor = "slack:u0jane (U0JANE)"
    assert world.promotions.calls == [("promote", GROUP, 2, actor, "Promote clicked in Slack by u0jane (U0JANE)")]
    assert "Promoted fraud-detection-models v2" in world.responder.texts[0]
    assert "already promoted by u0jane (U0JANE)" in world.responder.texts[1]


def test_stop_after_promote_on_the_same_message_is_told_who_promoted(world: World) -> None:
    world.post(click_body("shepherd_promote", value=button("shepherd_promote"), user="U0JANE"))
    world.with_reason(click_body("shepherd_stop", value=button("shepherd_stop"), user="U0BOB"))
    assert [call[0] for call in world.promotions.calls] == ["promote"]
    assert "already promoted by u0jane" in world.responder.texts[-1]


def test_promote_by_a_stranger_is_refused(world: World) -> None:
    world.post(click_body("shepherd_promote", value=button("shepherd_promote"), user="U0EVE"))
    assert world.promotions.calls == []
    assert "You may not do this" in world.responder.texts[-1]


def test_a_refused_promotion_says_why_and_frees_the_button(world: World) -> None:
    world.promotions.error = PromotionRefusedError("fraud-detection-models v2 is Rejected: only an Approved version")
    world.post(click_body("shepherd_promote", value=button("shepherd_promote")))
    assert "Not promoted: fraud-detection-models v2 is Rejected" in world.responder.texts[-1]
    assert world.locks.items == {}


@pytest.mark.parametrize("value", [json.dumps({"group": GROUP}), json.dumps({"group": GROUP, "version": "2"}), "[]"])
def test_a_promotion_button_without_a_version_is_malformed(world: World, value: str) -> None:
    assert world.post(click_body("shepherd_promote", value=value)).status == 400
    assert world.promotions.calls == []


def test_the_message_shows_smoke_results_and_candidate_against_live_metrics() -> None:
    live = Deployed(1, "arn:.../1", "cfg", "gate", T0, metrics="auc=0.93 precision=0.91")
    release = replace(awaiting(), previous=live, policy=json.dumps({"smoke_tests": [{"name": "a"}]}))
    text = json.dumps(promotion_notification("release.awaiting_promotion", release).blocks)
    assert "all 1 passed on staging (a)" in text
    assert "auc 0.95 (live v1 0.93)" in text
    assert "expires 2026-11-29 12:00 UTC" in text


@pytest.mark.parametrize("kind", ["release.stopped", "release.expired", "release.superseded", "release.promoted"])
def test_the_end_messages_carry_no_buttons(kind: str) -> None:
    blocks = promotion_notification(kind, awaiting()).blocks
    assert [block["type"] for block in blocks] == ["section"]
