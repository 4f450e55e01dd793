"""The local stack's one faster clock: the app, its metrics and the CLI on the same time axis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chalicelib.bootstrap import Container
from chalicelib.shared.clock import utc_now
from chalicelib.shared.settings import Settings
from devstack import server
from shepherd_cli import context, local_clock
from shepherd_cli.local_clock import LocalClock

ORIGIN = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
SETTINGS = Settings("once", "state", None, Path("policies"), None, None, None)


def test_a_second_of_real_time_is_a_minute_at_sixty_times() -> None:
    real = [ORIGIN]
    clock = LocalClock(ORIGIN, 60, real=lambda: real[0])
    assert clock.now() == ORIGIN
    real[0] = ORIGIN + timedelta(seconds=2.5)
    assert clock.now() == ORIGIN + timedelta(minutes=2.5)
    assert clock.real_seconds(300) == 5


def test_the_exported_clock_reads_back_as_the_same_clock() -> None:
    clock = LocalClock(ORIGIN + timedelta(microseconds=123), 60)
    assert local_clock.from_environment(clock.exported()) == clock


@pytest.mark.parametrize("exported", ["", f"{ORIGIN.isoformat()}@1"])
def test_no_clock_or_real_speed_is_the_wall_clock(exported: str) -> None:
    assert local_clock.from_environment({local_clock.VARIABLE: exported}) is None


@pytest.mark.parametrize("exported", ["fast", "2026-12-07T12:00:00@60", f"{ORIGIN.isoformat()}@0", "@60", "x@-1"])
def test_a_malformed_clock_is_a_clear_error(exported: str) -> None:
    with pytest.raises(ValueError, match="ORIGIN@SPEED"):
        local_clock.from_environment({local_clock.VARIABLE: exported})


def test_the_app_clock_speed_from_arguments_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert server.parse_args([]).app_clock_speed == 1.0
    monkeypatch.setenv("SHEPHERD_LOCAL_APP_CLOCK_SPEED", "60")
    assert server.parse_args([]).app_clock_speed == 60.0
    assert server.parse_args(["--app-clock-speed", "120"]).app_clock_speed == 120.0


@pytest.mark.parametrize("speed", ["0", "-60", "nan", "inf"])
def test_the_app_clock_speed_must_be_a_positive_number(speed: str) -> None:
    with pytest.raises(SystemExit) as raised:
        server.parse_args(["--app-clock-speed", speed])
    assert raised.value.code == 2


def test_the_engine_and_the_gate_run_on_the_container_clock_and_the_registry_sweep_on_the_wall_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")  # clients are built, never called

    def fast() -> datetime:
        return ORIGIN

    built = Container(SETTINGS, clock=fast)
    assert built.release_deps.clock is fast and built.gate_deps.clock is fast
    assert built.sweep_deps.clock is utc_now
    assert Container(SETTINGS).sweep_deps.clock is None  # the engine's own, the wall clock


def test_the_cli_acts_on_the_clock_the_stack_exported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("SHEPHERD_STATE_TABLE", "state")
    started = datetime.now(UTC) - timedelta(minutes=1)
    monkeypatch.setenv(local_clock.VARIABLE, f"{started.isoformat()}@60")
    ahead = context.make_container().release_deps.clock()
    assert ahead - started >= timedelta(minutes=60)  # the stack started a real minute ago: an hour of app time
    monkeypatch.delenv(local_clock.VARIABLE)
    assert context.make_container().clock is utc_now


def test_the_demo_s_watch_window_is_the_same_real_seconds_on_its_faster_clock(tmp_path: Path) -> None:
    from devstack import demo_setup

    real = demo_setup.release_section("fraud-detection-models", demo_setup.demo_policies(tmp_path / "real"))
    fast = demo_setup.demo_policies(tmp_path / "fast", watch_seconds=3, clock_speed=60)
    assert real["watch_minutes"] == 0.05
    assert demo_setup.release_section("fraud-detection-models", fast)["watch_minutes"] == 3  # app minutes
