"""The CLI's commands on one container built from the environment (moto's resources, a policy directory)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Container, use_container
from chalicelib.shared.settings import load_settings
from devstack.resources import LocalResources
from shepherd_cli.main import main


def cli_container(
    resources: LocalResources, policies: Path, monkeypatch: pytest.MonkeyPatch, *commands: str
) -> Container:
    """A container for `policies`, used by the app's handlers and by each of `commands` (`shepherd_cli.commands.X`)."""
    for name, value in {**resources.environment(), "SHEPHERD_POLICY_DIR": str(policies)}.items():
        monkeypatch.setenv(name, value)
    built = Container(settings=load_settings())
    use_container(built)
    for module in commands:
        monkeypatch.setattr(f"shepherd_cli.commands.{module}.make_container", lambda: built)
    return built


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`shepherd ARGV`: its exit code, stdout and stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def history(capsys: Any, group: str) -> list[tuple[int, str, str]]:
    """`shepherd history GROUP --json` as (version, outcome, reason), newest first."""
    _, out, _ = run(capsys, "history", group, "--json")
    return [(row["version"], row["outcome"], row["reason"]) for row in json.loads(out)["history"]]
