"""`shepherd promote` and `shepherd stop` against moto, with a group whose policy says manual promotion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container
from devstack.resources import LocalResources
from shepherd_cli import exit_codes
from tests.support import cli_container as cli
from tests.support import release as r
from tests.support.cli_container import cli_container, run
from tests.support.policies import MANUAL_PROMOTION, policies_with_release


@pytest.fixture
def container(resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Container:
    policies = policies_with_release(tmp_path / "policies", promotion=MANUAL_PROMOTION)
    return cli_container(resources, policies, monkeypatch, "promote", "stop", "history")


@pytest.fixture
def awaiting(container: Container) -> str:
    clock = r.release_world(container)
    arn = r.register_approved("v1")
    r.decided(arn, "Approved")
    clock.advance(minutes=8)
    r.answers(*r.GOOD_ANSWERS)
    assert r.endpoint_event(r.STAGING)["groups"][r.GROUP]["stage"] == "AWAITING_PROMOTION"
    return arn


def history(capsys: Any) -> list[tuple[int, str, str]]:
    return cli.history(capsys, r.GROUP)


def production_exists() -> bool:
    return r.PRODUCTION in [e["EndpointName"] for e in boto3.client("sagemaker").list_endpoints()["Endpoints"]]


def test_promote_sends_it_to_production_and_the_history_names_who_and_why(awaiting: str, capsys: Any) -> None:
    code, out, _ = run(capsys, "promote", r.GROUP, "1", "--reason", "shadow traffic looks right", "--by", "alice")
    assert (code, "v1: promoted to production" in out) == (exit_codes.OK, True)
    assert production_exists()
    assert (1, "PROMOTED", "by alice (shepherd CLI): shadow traffic looks right") in history(capsys)


def test_promote_twice_is_refused_the_second_time(awaiting: str, capsys: Any) -> None:
    run(capsys, "promote", r.GROUP, "1", "--reason", "go")
    code, _, err = run(capsys, "promote", r.GROUP, "1", "--reason", "again")
    assert code == exit_codes.FAILED
    assert "not promoted: nothing in fraud-detection-models awaits promotion" in err


def test_stop_ends_it_and_production_is_never_created(awaiting: str, capsys: Any) -> None:
    code, out, _ = run(capsys, "stop", r.GROUP, "--reason", "label leak", "--by", "bo", "--json")
    assert code == exit_codes.OK
    assert json.loads(out)["stage"] == "STOPPED"
    assert not production_exists()
    assert (1, "STOPPED", "stopped by bo (shepherd CLI): label leak") in history(capsys)


def test_promote_of_a_rejected_candidate_is_refused(awaiting: str, capsys: Any) -> None:
    r.set_status(awaiting, "Rejected")  # its Rejected event not handled yet
    code, _, err = run(capsys, "promote", r.GROUP, "1", "--reason", "go")
    assert code == exit_codes.FAILED
    assert "is Rejected" in err
    assert not production_exists()


def test_stop_of_another_version_and_an_unknown_group_are_refused(awaiting: str, capsys: Any) -> None:
    assert run(capsys, "stop", r.GROUP, "--reason", "x", "--version", "4")[0] == exit_codes.FAILED
    assert run(capsys, "promote", "no-such-group", "1", "--reason", "x")[0] == exit_codes.NOT_FOUND


def test_history_shows_the_live_row_above_the_promotion_that_led_to_it(
    awaiting: str, container: Container, capsys: Any
) -> None:
    run(capsys, "promote", r.GROUP, "1", "--reason", "shadow traffic looks right")
    clock = container.release_deps.clock
    assert isinstance(clock, r.Clock)
    clock.advance(minutes=5)
    r.canary_invocations(150, clock.now)
    clock.advance(minutes=20)
    assert r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]["stage"] in ("WATCHING", "LIVE")
    capsys.readouterr()  # the handlers' log lines
    assert [outcome for _, outcome, _ in history(capsys)] == ["LIVE", "PROMOTED"]
