"""The environment `make local` leaves for `shepherd --local` and the devstack helpers (no stack needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from devstack import server
from shepherd_cli import local_stack
from shepherd_cli.main import main as shepherd

STACK = {"AWS_ENDPOINT_URL": "http://127.0.0.1:5123", "SHEPHERD_STATE_TABLE": "state", "SHEPHERD_TOPIC_ARN": "a b'c"}


def test_written_environment_reads_back_exactly_even_with_quotes(tmp_path: Path) -> None:
    path = local_stack.write(STACK, tmp_path / "local.env")
    assert local_stack.read(path) == STACK
    assert "export SHEPHERD_TOPIC_ARN=" in path.read_text()  # a shell can source it too


def test_local_takes_everything_from_the_file(tmp_path: Path) -> None:
    path = local_stack.write(STACK, tmp_path / "local.env")
    environ = {"AWS_ENDPOINT_URL": "https://sagemaker.example", "SHEPHERD_STATE_TABLE": "prod"}
    assert local_stack.apply(environ, required=True, path=path)
    assert environ == STACK


def test_pointed_at_the_stack_fills_in_only_what_is_unset(tmp_path: Path) -> None:
    path = local_stack.write(STACK, tmp_path / "local.env")
    environ = {"AWS_ENDPOINT_URL": "http://127.0.0.1:5123", "SHEPHERD_STATE_TABLE": "mine"}
    assert local_stack.apply(environ, required=False, path=path)
    assert environ == {**STACK, "SHEPHERD_STATE_TABLE": "mine"}


def test_pointed_elsewhere_the_file_is_ignored(tmp_path: Path) -> None:
    path = local_stack.write(STACK, tmp_path / "local.env")
    environ = {"AWS_ENDPOINT_URL": "https://sagemaker.us-east-1.amazonaws.com"}
    assert not local_stack.apply(environ, required=False, path=path)
    assert not local_stack.apply({}, required=False, path=tmp_path / "none.env")
    assert environ == {"AWS_ENDPOINT_URL": "https://sagemaker.us-east-1.amazonaws.com"}


def test_a_stack_removes_only_the_file_it_wrote(tmp_path: Path) -> None:
    path = local_stack.write(STACK, tmp_path / "local.env")
    local_stack.remove(path)
    assert not path.exists()
    path.write_text("# written by `make local` (process 1); removed when it stops\n")
    local_stack.remove(path)
    assert path.exists()  # another stack's


def test_shepherd_local_without_a_running_stack_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHEPHERD_LOCAL_ENV_FILE", str(tmp_path / "none.env"))
    assert shepherd(["--local", "status", "fraud-detection-models"]) == 4
    assert "start one with `make local`" in capsys.readouterr().err


def test_make_local_writes_its_file_where_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHEPHERD_LOCAL_ENV_FILE", str(tmp_path / "moved.env"))
    assert server.arguments([]).env_file == str(tmp_path / "moved.env")
    assert server.arguments(["--env-file", ""]).env_file == ""  # nowhere
