"""With nothing listening, the CLI says AWS is unreachable at once (one attempt, exit 4), not after 25 s."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from chalicelib.adapters.aws import INTERACTIVE_CONNECT_TIMEOUT, SessionClients
from shepherd_cli import exit_codes
from shepherd_cli.main import main


@pytest.fixture
def nothing_listening(monkeypatch: pytest.MonkeyPatch) -> str:
    with socket.socket() as probe:  # a free port, closed again: connections to it are refused
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    monkeypatch.setenv("SHEPHERD_STATE_TABLE", "model-shepherd-local-state")
    return url


def test_a_refused_connection_is_tried_once(nothing_listening: str) -> None:
    client = SessionClients(interactive=True)("sagemaker")
    attempts: list[Any] = []
    client.meta.events.register("before-send", lambda **kwargs: attempts.append(kwargs["request"]))
    with pytest.raises(EndpointConnectionError):
        client.list_model_package_groups()
    assert len(attempts) == 1


def test_the_cli_connect_timeout_is_seconds_and_the_apps_is_unchanged(nothing_listening: str) -> None:
    assert SessionClients(interactive=True)("sagemaker").meta.config.connect_timeout == INTERACTIVE_CONNECT_TIMEOUT
    assert INTERACTIVE_CONNECT_TIMEOUT <= 3
    app = SessionClients()("sagemaker")
    assert app.meta.config.connect_timeout == 5  # the Lambda functions keep retrying a flaky network


@pytest.mark.parametrize("argv", [["status"], ["history", "g"], ["status", "g", "--json"]])
def test_status_against_nothing_exits_4_saying_so(
    argv: list[str], nothing_listening: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == exit_codes.ENVIRONMENT
    captured = capsys.readouterr()
    assert "cannot reach AWS" in captured.err and nothing_listening in captured.err
