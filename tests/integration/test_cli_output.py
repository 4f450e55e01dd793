"""What the CLI prints: stdout is the answer alone (one JSON document with --json), logs only on stderr and
only with --verbose, header facts from the release engine's record, arguments checked."""

from __future__ import annotations

import importlib
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container
from chalicelib.shared.observability import logger
from devstack import moto_ext, seed
from shepherd_cli import exit_codes
from shepherd_cli.main import COMMAND_MODULES, build_parser, main
from tests.support import release as r

G = r.GROUP
# Every command that offers --json, run once each: its whole stdout must be one JSON document.
JSON_RUNS = {
    "status": ["status", G, "--json"],
    "history": ["history", G, "--json"],
    "compare": ["compare", G, "1", "2", "--json"],
    "evaluate": ["evaluate", G, "1", "--json"],
    "rollback": ["rollback", G, "--reason", "back to v1", "--by", "ann", "--json"],
    "retry": ["retry", G, "1", "--reason", "again", "--json"],
    "promote": ["promote", G, "1", "--reason", "signed off", "--json"],
    "stop": ["stop", G, "--reason", "not now", "--json"],
    "continue": ["continue", G, "--reason", "exporter back", "--json"],
    "regate": ["regate", G, "1", "--reason", "again", "--json"],
    "cleanup": ["cleanup", G, "--json"],
    "replay": ["replay", "--json"],
    "policy validate": ["policy", "validate", "--json"],
    "doctor": ["doctor", "--json"],
    "slack messages": ["slack", "messages", "--json"],
    "slack click": ["slack", "click", G, "1", "approve", "--as", "U024BE7LH", "--json"],
    "slack command": ["slack", "command", f"status {G}", "--as", "U024BE7LH", "--json"],
}


class _ProcessStdout:
    """Whatever `sys.stdout` is when a line is written: the test's capture during the test, as a fresh
    process's stdout is its terminal. A stream taken once at set-up would be pytest's outer capture, which
    no assertion reads, and a log line on stdout would go unseen."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


@pytest.fixture
def logs_on_stdout() -> Iterator[None]:
    """The Powertools handler writing to stdout, as it does in a fresh `shepherd` process."""
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    original = handler.setStream(_ProcessStdout())
    yield
    handler.setStream(original)


@pytest.fixture
def two_live(container: Container, monkeypatch: pytest.MonkeyPatch) -> r.Clock:
    """v1 then v2 went live; v2 serves, its watch window over. Every command uses this container."""
    moto_ext.install()
    seed.create_group(boto3.client("sagemaker"))
    r.create_alarms()
    clock = r.Clock()
    container.release_deps.clock = clock
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "make_container"):
            monkeypatch.setattr(module, "make_container", lambda: container)
    for name in ("v1", "v2"):
        r.release_to_live(r.register_approved(name), clock)
        clock.advance(minutes=61)
        r.reconcile()
    monkeypatch.delenv("SHEPHERD_SLACK_API_URL", raising=False)
    return clock


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()  # what the set-up printed
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def commands_with_json() -> set[str]:
    found = set()
    for word, parser in _subcommands(build_parser()).items():
        children = _subcommands(parser)
        for name, leaf in children.items() if children else [("", parser)]:
            if any("--json" in action.option_strings for action in leaf._actions):
                found.add(f"{word} {name}".strip())
    return found


def _subcommands(parser: Any) -> dict[str, Any]:
    return next((dict(a.choices) for a in parser._actions if hasattr(a, "choices") and a.choices), {})


def test_every_command_with_json_is_run_by_the_test() -> None:
    assert commands_with_json() == set(JSON_RUNS)


@pytest.mark.parametrize("command", sorted(JSON_RUNS))
def test_json_output_is_exactly_one_document_with_logs_on(
    command: str, two_live: r.Clock, logs_on_stdout: None, capsys: Any
) -> None:
    code, out, _ = run(capsys, *JSON_RUNS[command])
    document = json.loads(out)  # the whole of stdout: no log line before it, nothing after it
    assert isinstance(document, dict)
    if "error" in document:  # refused or failed before answering: the error is the document
        assert document["exit_code"] == code != exit_codes.OK and document["error"], document


def test_rollback_json_is_the_result_and_its_log_line_goes_nowhere(
    two_live: r.Clock, logs_on_stdout: None, capsys: Any
) -> None:
    code, out, err = run(capsys, "rollback", G, "--reason", "bad latency", "--json")
    assert (code, json.loads(out)["to_version"]) == (exit_codes.OK, 1)
    assert "rolled back" not in err  # no --verbose: no log lines at all


def test_verbose_puts_the_log_lines_on_stderr(two_live: r.Clock, logs_on_stdout: None, capsys: Any) -> None:
    code, out, err = run(capsys, "--verbose", "rollback", G, "--reason", "bad latency", "--json")
    assert code == exit_codes.OK
    assert json.loads(out)["to_version"] == 1
    assert any(json.loads(line).get("message") == "rolled back" for line in err.splitlines() if line.startswith("{"))


def test_status_header_names_the_live_version_even_beyond_the_limit(two_live: r.Clock, capsys: Any) -> None:
    r.register_approved("v3")  # newer than the live v2: the only row --limit 1 shows
    code, out, _ = run(capsys, "status", G, "--limit", "1")
    assert code == exit_codes.OK
    assert "LIVE: v2" in out.splitlines()[0], out
    _, out, _ = run(capsys, "status", G, "--limit", "1", "--json")
    assert json.loads(out)["groups"][0]["live_version"] == 2


@pytest.mark.parametrize("limit", ["-5", "0", "many"])
def test_status_refuses_a_limit_that_is_not_a_positive_count(limit: str, capsys: Any) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["status", G, "--limit", limit])
    assert stopped.value.code == exit_codes.USAGE
    assert "--limit" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [["status", G, "--limit", "0", "--json"], ["rollback", G, "--json"], ["compare", G, "1", "x", "--json"]],
)
def test_bad_arguments_with_json_still_print_one_json_document(argv: list[str], capsys: Any) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == exit_codes.USAGE
    out, err = capsys.readouterr()
    document = json.loads(out)  # a script reading stdout gets the refusal, not an empty string
    assert document["exit_code"] == exit_codes.USAGE
    assert document["error"].startswith("shepherd ") and document["error"] in err


def test_status_shows_a_group_whose_policy_is_invalid_as_invalid(
    two_live: r.Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, container: Container, capsys: Any
) -> None:
    from chalicelib.adapters.policy_files import FilePolicyRepository

    (tmp_path / f"{G}.json").write_text(json.dumps({"group": G, "floors": {}, "approval": {"bogus": 1}}))
    container.__dict__["policies"] = FilePolicyRepository(tmp_path)
    code, out, _ = run(capsys, "status", G)
    assert code == exit_codes.OK
    header = out.splitlines()[0]
    assert "policy: INVALID" in header and "not managed" not in header, header
    _, out, _ = run(capsys, "status", G, "--json")
    assert "bogus" in json.loads(out)["groups"][0]["policy_problem"]


def test_cleanup_of_a_group_with_an_invalid_policy_says_so_plainly(
    two_live: r.Clock, tmp_path: Path, container: Container, capsys: Any
) -> None:
    from chalicelib.adapters.policy_files import FilePolicyRepository

    (tmp_path / f"{G}.json").write_text(json.dumps({"group": G, "floors": {}, "approval": {"bogus": 1}}))
    container.__dict__["cleanup_deps"] = replace(container.cleanup_deps, policies=FilePolicyRepository(tmp_path))
    code, out, _ = run(capsys, "cleanup", G)
    assert code == exit_codes.FAILED  # a group that cannot be cleaned is a failure of the run
    assert "policy is invalid" in out and "bogus" in out, out
    assert "time limit" not in out and "run again" not in out, out
    _, out, _ = run(capsys, "cleanup", G, "--json")
    assert "bogus" in json.loads(out)["groups"][0]["policy_problem"]
