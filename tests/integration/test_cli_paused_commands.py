"""`shepherd continue`, `shepherd rollback` and `shepherd status` on a PAUSED release, against moto. The release is
stored PAUSED directly, as the engine leaves one when its analysis found no data too often."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Container
from devstack.resources import LocalResources
from shepherd_cli import exit_codes
from shepherd_cli.main import main
from tests.support import cli_container as cli
from tests.support import release as r
from tests.support.cli_container import cli_container, run
from tests.support.paused import paused_state
from tests.support.policies import policies_with_release

PROGRESSIVE = json.dumps({"deployment": {"type": "PROGRESSIVE", "steps": [5, 25, 50, 100], "step_minutes": 10}})


@pytest.fixture
def paused(resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Container:
    """v1 LIVE, v2 PAUSED at its second progressive step."""
    policies = policies_with_release(tmp_path / "policies")
    built = cli_container(resources, policies, monkeypatch, "continue_paused", "rollback", "history", "status")
    clock = r.release_world(built)
    r.release_to_live(r.register_approved("v1"), clock)
    clock.advance(minutes=61)
    r.reconcile()
    r.register_approved("v2")
    built.release_store.save(paused_state(built.release_store.load(r.GROUP), 2, clock.now, policy=PROGRESSIVE))
    return built


def history(capsys: Any) -> list[tuple[int, str, str]]:
    return cli.history(capsys, r.GROUP)


def stage(container: Container) -> str:
    release = container.release_store.load(r.GROUP).release
    assert release is not None
    return release.stage.value


def test_status_shows_the_paused_release_where_and_why(paused: Container, capsys: Any) -> None:
    code, out, _ = run(capsys, "status", r.GROUP)
    assert code == exit_codes.OK
    assert "in flight: v2 PAUSED" in out
    assert "PAUSED: v2 at PRODUCTION, step 2 (25%): INCONCLUSIVE: ModelLatency: 2 samples < 5" in out
    assert f"unless `shepherd continue {r.GROUP} --reason ...`" in out
    _, out, _ = run(capsys, "status", r.GROUP, "--json")
    [entry] = json.loads(out)["groups"]
    assert entry["in_flight"] == {"version": 2, "stage": "PAUSED"}
    assert entry["paused"]["last_judgement"] == "INCONCLUSIVE: ModelLatency: 2 samples < 5"


def test_continue_sends_it_on_and_the_history_names_who_and_why(paused: Container, capsys: Any) -> None:
    code, out, _ = run(capsys, "continue", r.GROUP, "--reason", "exporter was down", "--by", "alice")
    assert code == exit_codes.OK
    assert "v2 PRODUCTION goes on (alice (shepherd CLI): exporter was down)" in out
    assert stage(paused) == "PRODUCTION"
    assert history(capsys)[0] == (2, "CONTINUED", "by alice (shepherd CLI): exporter was down")


def test_continue_twice_is_refused_the_second_time_naming_the_stage(paused: Container, capsys: Any) -> None:
    run(capsys, "continue", r.GROUP, "--version", "2", "--reason", "go")
    code, _, err = run(capsys, "continue", r.GROUP, "--version", "2", "--reason", "again")
    assert code == exit_codes.FAILED
    assert "not continued: nothing in fraud-detection-models is PAUSED: its last release" in err
    assert "v2, is PRODUCTION" in err
    assert [outcome for _, outcome, _ in history(capsys)].count("CONTINUED") == 1


def test_continue_of_another_version_an_unknown_group_or_a_bad_reason_is_refused(
    paused: Container, capsys: Any
) -> None:
    assert run(capsys, "continue", r.GROUP, "--version", "7", "--reason", "x")[0] == exit_codes.FAILED
    assert run(capsys, "continue", "no-such-group", "--reason", "x")[0] == exit_codes.NOT_FOUND
    for usage in (["--reason", "x" * 501], []):  # a reason is required, and bounded
        with pytest.raises(SystemExit) as raised:
            main(["continue", r.GROUP, *usage])
        assert raised.value.code == exit_codes.USAGE
    assert stage(paused) == "PAUSED"


def test_continue_json_answers_where_the_release_went(paused: Container, capsys: Any) -> None:
    code, out, _ = run(capsys, "continue", r.GROUP, "--reason", "go", "--json")
    assert code == exit_codes.OK
    assert json.loads(out)["stage"] == "PRODUCTION"


def test_rollback_of_the_paused_release_keeps_v1_live_alone(paused: Container, capsys: Any) -> None:
    code, out, _ = run(capsys, "rollback", r.GROUP, "--reason", "not worth the wait", "--by", "bo")
    assert code == exit_codes.OK
    assert "production goes from v2 back to v1" in out
    assert stage(paused) == "ROLLED_BACK"
    assert r.serving_version(r.production_config()) == 1
    assert (2, "ROLLED_BACK", "rolled back by bo (shepherd CLI): not worth the wait") in history(capsys)
    _, out, _ = run(capsys, "status", r.GROUP)
    assert "PAUSED" not in out
