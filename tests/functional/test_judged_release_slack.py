"""Judged releases meeting people through the handlers (Chalice's test client, moto, the real CloudWatch judge,
the fake Slack): a watch window with no data pauses and asks in Slack, a person's Continue through POST
/slack/actions takes it back to its watch window; a paused progressive step rolled back in Slack; a Promote click
starting a progressive release's split."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.bootstrap import Container
from devstack.fake_slack import FakeSlack
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.judged_metrics import ANALYSIS, PROGRESSIVE, serve, v1_live
from tests.support.policies import MANUAL_PROMOTION, policies_with_release
from tests.support.slack_app import app_with_slack

APPROVER = "U024BE7LH"


@pytest.fixture
def world(
    resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[tuple[FakeSlack, Container, r.Clock]]:
    """`request.param` (indirect): more of the release section."""
    slack = FakeSlack().start()
    release = {"deployment": PROGRESSIVE, "analysis": ANALYSIS, **getattr(request, "param", {})}
    policies = policies_with_release(tmp_path / "policies", **release)
    container = app_with_slack(resources, slack, policies, monkeypatch)
    yield slack, container, r.release_world(container)
    slack.stop()


def post(body: bytes, headers: dict[str, str]) -> Any:
    with Client(app) as client:
        return client.http.post("/slack/actions", headers=headers, body=body)


def release(container: Container) -> Any:
    return container.release_store.load(r.GROUP).release


def test_no_data_in_the_watch_window_pauses_it_and_a_continue_resumes_it_to_live(
    world: tuple[FakeSlack, Container, r.Clock],
) -> None:
    slack, container, clock = world
    assert r.release_to_live(r.register_approved("v1"), clock)["stage"] == "WATCHING"
    for _ in range(2):  # nothing served yet: no datapoint, inconclusive, within the limit
        clock.advance(minutes=5)
        assert r.reconcile()["groups"][r.GROUP]["stage"] == "WATCHING"
    clock.advance(minutes=5)
    assert r.reconcile()["groups"][r.GROUP]["stage"] == "PAUSED"  # the third: people are asked
    assert release(container).rollout.results[-1].startswith("INCONCLUSIVE: latency no data")
    message = next(m for m in slack.messages if "is PAUSED" in m.get("text", ""))
    post(*slack.signed_click(message, "shepherd_continue", APPROVER, user_name="jane"))
    post(*slack.signed_submission("the exporter was restarted", user_name="jane"))
    continued = release(container)
    assert (continued.stage.value, continued.rollout.inconclusive) == ("WATCHING", 0)
    serve("AllTraffic", 100000, clock.now, 50)
    clock.advance(minutes=49)
    assert r.reconcile()["groups"][r.GROUP]["stage"] == "LIVE"
    assert release(container).rollout.results[-1].startswith("PASS: latency")
    rows = container.release_store.history(r.GROUP)
    assert [row.reason for row in rows if row.outcome == "CONTINUED"] == [
        "by slack:jane (U024BE7LH): the exporter was restarted"
    ]


def test_a_progressive_step_paused_on_no_data_rolled_back_in_slack_drains_the_challenger_first(
    world: tuple[FakeSlack, Container, r.Clock],
) -> None:
    slack, container, clock = world
    v1_live(clock)
    r.decided(r.register_approved("v2"), "Approved")
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    clock.advance(minutes=1)
    r.endpoint_event(r.PRODUCTION)  # the first step: the challenger serves 5%, but no metric of it arrives
    for _ in range(4):  # within the step, too few samples is not yet no data: the step's end is judged
        clock.advance(minutes=2)
        r.reconcile()
    assert release(container).stage.value == "PRODUCTION"
    for _ in range(4):  # the step's end without data, then held: measured again until the limit is passed
        clock.advance(minutes=2)
        r.reconcile()
    assert release(container).stage.value == "PAUSED"
    sent = calls_to(container, "UpdateEndpointWeightsAndCapacities", "UpdateEndpoint")
    message = next(m for m in slack.messages if "is PAUSED" in m.get("text", ""))
    post(*slack.signed_click(message, "shepherd_paused_rollback", APPROVER, user_name="jane"))
    post(*slack.signed_submission("no data is bad data", user_name="jane"))
    assert release(container).stage.value == "ROLLED_BACK"
    assert [operation for operation, _ in sent] == ["UpdateEndpointWeightsAndCapacities", "UpdateEndpoint"]
    assert sent[0][1]["DesiredWeightsAndCapacities"] == [
        {"VariantName": "AllTraffic", "DesiredWeight": 1.0},
        {"VariantName": "Challenger", "DesiredWeight": 0.0},
    ]
    assert r.serving_version(r.production_config()) == 1


@pytest.mark.parametrize("world", [{"promotion": MANUAL_PROMOTION}], indirect=True)
def test_a_promote_click_starts_a_progressive_releases_split_beside_the_champion(
    world: tuple[FakeSlack, Container, r.Clock],
) -> None:
    slack, container, clock = world
    r.release_to_live(r.register_approved("v1"), clock)  # manual promotion: awaits a person
    v1 = next(m for m in slack.messages if "awaits promotion" in m.get("text", ""))
    post(*slack.signed_click(v1, "shepherd_promote", APPROVER, user_name="jane"))
    r.endpoint_event(r.PRODUCTION)
    serve("AllTraffic", 100000, clock.now, 62)
    clock.advance(minutes=61)
    assert r.reconcile()["groups"][r.GROUP]["stage"] == "LIVE"
    r.decided(r.register_approved("v2"), "Approved")
    r.answers(*r.GOOD_ANSWERS)
    assert r.endpoint_event(r.STAGING)["groups"][r.GROUP]["stage"] == "AWAITING_PROMOTION"
    v2 = [m for m in slack.messages if "awaits promotion" in m.get("text", "")][-1]
    post(*slack.signed_click(v2, "shepherd_promote", APPROVER, user_name="jane"))
    assert r.production_config() == f"{release(container).model}-spl"
    assert r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]["stage"] == "PRODUCTION"
    assert release(container).rollout.step_since == clock.now  # the first step started


def calls_to(container: Container, *operations: str) -> list[tuple[str, dict[str, Any]]]:
    """The requests production's SageMaker client sends from now on, of these operations, in order."""
    sent: list[tuple[str, dict[str, Any]]] = []
    events = container.client("sagemaker").meta.events
    for operation in operations:
        events.register(
            f"before-parameter-build.sagemaker.{operation}",
            lambda params, operation=operation, **_: sent.append((operation, params)),
        )
    return sent
