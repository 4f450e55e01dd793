"""`shepherd history`, `rollback` and `status`'s roles against moto, after real releases through the handlers."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container
from chalicelib.release.state import HistoryRow
from devstack import moto_ext, seed
from devstack.moto_ext.endpoints import set_endpoint_status
from shepherd_cli import exit_codes
from shepherd_cli.main import main
from tests.support import release as r


@pytest.fixture
def clock(container: Container, monkeypatch: pytest.MonkeyPatch) -> r.Clock:
    moto_ext.install()
    seed.create_group(boto3.client("sagemaker"))
    r.create_alarms()
    clock = r.Clock()
    container.release_deps.clock = clock
    for module in ("status", "history", "rollback"):  # the CLI uses the same container (and clock)
        monkeypatch.setattr(f"shepherd_cli.commands.{module}.make_container", lambda: container)
    return clock


@pytest.fixture
def two_live(clock: r.Clock) -> r.Clock:
    """v1 then v2 went live; v2 serves, its watch window over."""
    for name in ("v1", "v2"):
        r.release_to_live(r.register_approved(name), clock)
        clock.advance(minutes=61)
        r.reconcile()
    return clock


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_history_table_says_who_approved_what_and_what_it_replaced(two_live: r.Clock, capsys: Any) -> None:
    code, out, _ = run(capsys, "history", r.GROUP)
    assert code == exit_codes.OK
    lines = out.splitlines()
    assert lines[1].split()[:7] == ["version", "outcome", "served", "from", "served", "to", "approved"]
    v2, v1 = (next(line for line in lines if line.startswith(v)) for v in ("v2 ", "v1 "))
    assert v2.split()[1] == "LIVE" and "now" in v2 and "v1" in v2.split()[6:]
    assert v1.split()[1] == "LIVE" and "replaced by v2" in v1


def test_history_json_for_scripts(two_live: r.Clock, capsys: Any) -> None:
    code, out, _ = run(capsys, "history", r.GROUP, "--json")
    rows = json.loads(out)["history"]
    assert code == exit_codes.OK
    assert [(row["version"], row["outcome"], row["replaced"]) for row in rows] == [(2, "LIVE", 1), (1, "LIVE", None)]


def test_history_of_an_unknown_group_is_not_found(clock: r.Clock, capsys: Any) -> None:
    code, _, err = run(capsys, "history", "no-such-group")
    assert (code, "no-such-group" in err) == (exit_codes.NOT_FOUND, True)


def test_history_of_a_group_never_released_says_so(clock: r.Clock, capsys: Any) -> None:
    assert run(capsys, "history", r.GROUP)[1].strip() == f"{r.GROUP}: no release yet"


def test_rollback_goes_to_the_previous_good_version_and_says_who(two_live: r.Clock, capsys: Any) -> None:
    code, out, _ = run(capsys, "rollback", r.GROUP, "--reason", "false positives", "--by", "alice")
    assert code == exit_codes.OK
    assert "from v2 back to v1" in out
    assert r.serving_version(r.production_config()) == 1
    _, history, _ = run(capsys, "history", r.GROUP, "--json")
    newest = json.loads(history)["history"][0]
    assert (newest["version"], newest["outcome"]) == (1, "ROLLBACK")
    assert newest["reason"] == "by alice (shepherd CLI): false positives"


def test_rollback_to_the_live_version_is_refused_and_changes_nothing(two_live: r.Clock, capsys: Any) -> None:
    code, _, err = run(capsys, "rollback", r.GROUP, "--to", "2", "--reason", "x")
    assert code == exit_codes.FAILED
    assert "not rolled back: v2 is already live" in err
    assert r.serving_version(r.production_config()) == 2


def test_rollback_while_production_updates_is_refused(two_live: r.Clock, capsys: Any) -> None:
    set_endpoint_status(r.PRODUCTION, "Updating")
    code, _, err = run(capsys, "rollback", r.GROUP, "--reason", "x")
    assert (code, "production is Updating" in err) == (exit_codes.FAILED, True)


def test_rollback_with_no_release_history_is_refused(clock: r.Clock, capsys: Any) -> None:
    code, _, err = run(capsys, "rollback", r.GROUP, "--reason", "x")
    assert code == exit_codes.FAILED
    assert "no previous good version" in err


@pytest.mark.parametrize(
    "argv", [["rollback", r.GROUP], ["rollback", r.GROUP, "--to", "0", "--reason", "x"], ["history"]]
)
def test_rollback_and_history_bad_arguments_are_usage_errors(argv: list[str], capsys: Any) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == exit_codes.USAGE


def test_status_shows_live_the_release_in_flight_and_the_rollback_target(two_live: r.Clock, capsys: Any) -> None:
    r.decided(r.register_approved("v3"), "Approved")  # staging is being created for v3
    capsys.readouterr()  # the handler's own logs
    code, out, _ = run(capsys, "status", r.GROUP, "--json")
    [group] = json.loads(out)["groups"]
    roles = {v["version"]: v["role"] for v in group["versions"]}
    assert code == exit_codes.OK
    assert roles == {3: "STAGING", 2: "LIVE", 1: "rollback target"}
    assert group["in_flight"] == {"version": 3, "stage": "STAGING"}
    lifecycles = {v["version"]: v["lifecycle"] for v in group["versions"]}
    assert lifecycles == {3: "Staging/InProgress", 2: "Production/Approved", 1: "Archived/Replaced"}
    _, table, _ = run(capsys, "status", r.GROUP)
    assert "LIVE: v2   in flight: v3 STAGING" in table
    assert "rollback target  Archived/Replaced" in next(line for line in table.splitlines() if line.startswith("v1 "))


def test_history_table_says_a_repeated_smoke_failure_once_and_json_keeps_it_whole(
    clock: r.Clock, container: Container, capsys: Any
) -> None:
    error = "status 424, expected 200 (ModelError: " + "the image cannot load this model artifact " * 10 + ")"
    reason = "smoke tests failed: " + "; ".join(f"{name}: {error}" for name in ("score", "label", "batch"))
    row = HistoryRow(f"{clock.now.isoformat(timespec='seconds')}#v000001", 1, "arn:v1", "gate", "FAILED", reason)
    container.release_store.save(container.release_store.load(r.GROUP), [row])
    _, out, _ = run(capsys, "history", r.GROUP)
    failed = next(line for line in out.splitlines() if line.startswith("v1 "))
    assert "3 smoke tests: status 424, expected 200 (ModelError: the image" in failed
    assert len(failed) < 250 and failed.endswith("…")
    _, out, _ = run(capsys, "history", r.GROUP, "--json")
    assert json.loads(out)["history"][0]["reason"] == reason


def test_status_says_the_last_release_failed_where_and_why_and_marks_the_version(clock: r.Clock, capsys: Any) -> None:
    arn = r.register_approved("v1")
    r.decided(arn, "Approved")
    set_endpoint_status(r.STAGING, "Failed", "ResourceLimitExceeded: ml.m5.large")
    r.endpoint_event(r.STAGING)
    capsys.readouterr()  # the handlers' log lines
    _, out, _ = run(capsys, "status", r.GROUP)
    assert "last release: v1 FAILED at STAGING: staging endpoint Failed: ResourceLimitExceeded" in out
    v1 = next(line for line in out.splitlines() if line.startswith("v1 "))
    assert "FAILED (last release)" in v1
    _, out, _ = run(capsys, "status", r.GROUP, "--json")
    failed = json.loads(out)["groups"][0]["last_failed"]
    assert (failed["version"], failed["stage_reached"]) == (1, "STAGING")


def test_status_says_the_live_version_is_watched_until_its_window_ends(clock: r.Clock, capsys: Any) -> None:
    r.release_to_live(r.register_approved("v1"), clock)
    capsys.readouterr()  # the handlers' log lines
    _, out, _ = run(capsys, "status", r.GROUP)
    assert "LIVE: v1, watched until 2026-11-26 13:33 UTC   in flight: none" in out
    # Not a stage in flight: only the registry's label (the lifecycle column) says Watching.
    assert "watching" not in out.lower().replace("watched", "").replace("production/watching", "")
    assert "Production/Watching" in out
    _, out, _ = run(capsys, "status", r.GROUP, "--json")
    assert json.loads(out)["groups"][0]["watched_until"].startswith("2026-11-26 13:33")
