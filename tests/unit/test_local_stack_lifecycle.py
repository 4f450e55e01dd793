"""The local stack's start, supervision and stop, without starting servers: clear errors, nothing left."""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from typing import Any

import pytest

from devstack import server, stack
from devstack.errors import MissingDependencyError, PartCrashedError, PortInUseError
from devstack.relay.invoker import Invocation
from devstack.resources import LocalResources
from devstack.timeline import describe_event, describe_result


@dataclass
class FakePart:
    name: str
    running: bool = True
    stopped: bool = False

    def start(self) -> None: ...

    def stop(self) -> None:
        self.stopped = True

    def alive(self) -> bool:
        return self.running


READY = stack.Ready(
    "http://127.0.0.1:1",
    "http://127.0.0.1:2",
    {"AWS_ENDPOINT_URL": "http://127.0.0.1:1"},
    LocalResources("b", "i", "s", "arn:aws:sns:us-east-1:123456789012:t", "http://q"),
    ["gate"],
)


def test_missing_dependency_names_it_and_says_how_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "flask" else object())
    with pytest.raises(MissingDependencyError, match=r"'flask' is missing: run `make install`"):
        stack.check_dependencies()


def test_a_part_that_stopped_on_its_own_is_a_crash() -> None:
    local = stack.Stack(stack.StackConfig())
    local._parts = [FakePart("aws"), FakePart("relay", running=False)]
    with pytest.raises(PartCrashedError, match="relay"):
        local.check()


def test_failed_start_stops_what_had_started(monkeypatch: pytest.MonkeyPatch) -> None:
    started = FakePart("aws")
    local = stack.Stack(stack.StackConfig())

    def fail(self: stack.Stack) -> stack.Ready:
        self._parts.append(started)
        raise PortInUseError("port 8000 is in use")

    monkeypatch.setattr(stack.Stack, "_start", fail)
    with pytest.raises(PortInUseError):
        local.start()
    assert started.stopped


@pytest.mark.parametrize(
    ("outcome", "code"),
    [
        (PortInUseError("port 5000 is in use"), 1),
        (PartCrashedError("relay stopped"), 1),
        (KeyboardInterrupt(), 0),
        (ImportError("app.py: no module named x"), 1),
    ],
)
def test_run_exits_clearly_and_always_stops(
    outcome: BaseException, code: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stopped: list[bool] = []
    monkeypatch.setattr(stack.Stack, "start", lambda self: READY)
    monkeypatch.setattr(stack.Stack, "check", lambda self: (_ for _ in ()).throw(outcome))
    monkeypatch.setattr(stack.Stack, "stop", lambda self: stopped.append(True))
    assert server.run(stack.StackConfig(), poll_seconds=0) == code
    assert stopped == [True]
    captured = capsys.readouterr()
    assert server.READY_MARKER in captured.out
    assert "export AWS_ENDPOINT_URL=http://127.0.0.1:1" in captured.out
    if code:
        assert str(outcome) in captured.err


def test_ports_and_clock_from_arguments_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHEPHERD_LOCAL_AWS_PORT", "5100")
    config = server.parse_args(["--app-port", "8100", "--clock-speed", "60"])
    assert (config.aws_port, config.app_port, config.clock_speed) == (5100, 8100, 60.0)


def test_clock_speed_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        server.parse_args(["--clock-speed", "0"])
    assert raised.value.code == 2


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            {
                "detail-type": "SageMaker Model Package State Change",
                "detail": {
                    "ModelPackageArn": "arn:aws:sagemaker:r:1:model-package/g/3",
                    "ModelApprovalStatus": "Approved",
                },
            },
            "SageMaker Model Package State Change: g/3 Approved",
        ),
        (
            {
                "detail-type": "SageMaker Endpoint State Change",
                "detail": {"EndpointName": "e", "EndpointStatus": "FAILED"},
            },
            "SageMaker Endpoint State Change: e FAILED",
        ),
        ({"detail-type": "Scheduled Event", "detail": {}}, "Scheduled Event"),
    ],
)
def test_timeline_says_what_arrived(event: dict[str, Any], expected: str) -> None:
    assert describe_event(event) == expected


@pytest.mark.parametrize(
    ("result", "error", "expected"),
    [
        ({"outcome": "approve", "applied": True}, None, "approve"),
        ({"outcome": "review", "applied": False}, None, "review (not applied)"),
        ({"outcome": None, "skipped": "status is Approved"}, None, "skipped: status is Approved"),
        (None, "RuntimeError: boom", "FAILED RuntimeError: boom (will be retried)"),
        (
            {
                "endpoint": "e",
                "groups": {
                    "g": {
                        "group": "g",
                        "version": 3,
                        "stage": "PRODUCTION",
                        "actions": ["deploy_production"],
                        "reason": "",
                    }
                },
            },
            None,
            "g: v3 PRODUCTION (deploy_production)",
        ),
        (
            {
                "group": "g",
                "version": 4,
                "stage": "ROLLED_BACK",
                "reason": "SageMaker rolled the update back",
                "actions": [],
            },
            None,
            "v4 ROLLED_BACK: SageMaker rolled the update back",
        ),
        (
            {"group": "g", "version": 5, "queued": True, "superseded": []},
            None,
            "v5 queued behind the release in flight",
        ),
        ({"groups": {"g": {"group": "g", "stage": "LIVE", "changed": False}}}, None, "g: nothing in flight"),
    ],
)
def test_timeline_says_what_the_handler_made_of_it(result: Any, error: str | None, expected: str) -> None:
    assert describe_result(Invocation("gate", {}, result, error)) == expected


IDLE = {"groups": {"g": {"group": "g", "stage": "LIVE", "changed": False}, "h": {"group": "h", "changed": False}}}
MOVED = {"groups": {"g": {"group": "g", "changed": False}, "h": {"group": "h", "version": 3, "stage": "LIVE"}}}


@pytest.mark.parametrize(
    ("verbose", "invocation", "printed"),
    [
        (False, Invocation("release_reconcile", {}, IDLE), False),  # every second with --clock-speed 300
        (True, Invocation("release_reconcile", {}, IDLE), True),
        (False, Invocation("release_reconcile", {}, MOVED), True),  # what matters stays
        (False, Invocation("release_reconcile", {}, IDLE, "Throttling"), True),
        (False, Invocation("release_alarm", {}, IDLE), True),  # an alarm is news even when nothing moves
    ],
)
def test_the_reconcilers_idle_ticks_are_printed_only_when_verbose(
    verbose: bool, invocation: Invocation, printed: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    server.timeline_printer(verbose)(invocation)
    assert bool(capsys.readouterr().out) == printed


def test_the_banner_names_every_route_of_the_app_and_the_report_page(capsys: pytest.CaptureFixture[str]) -> None:
    from app import app

    server.announce(READY)
    banner = next(line for line in capsys.readouterr().out.splitlines() if "app routes" in line)
    for path, methods in app.routes.items():
        assert all(f"{method} {path}" in banner for method in methods), banner
    assert "GET /report/<group>" in banner


def test_a_quiet_stack_quiets_the_apps_logger_made_before_it_started(monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo imports the CLI, and with it the app's logger at INFO, before the stack starts: the timeline
    # then had the app's JSON log lines between its own.
    from chalicelib.shared.observability import logger
    from devstack.environment import quiet_the_app

    monkeypatch.delenv("POWERTOOLS_LOG_LEVEL", raising=False)
    monkeypatch.setattr(logger._logger, "level", logging.INFO)
    quiet_the_app()
    assert not logger._logger.isEnabledFor(logging.INFO)
    assert logger._logger.isEnabledFor(logging.WARNING)
