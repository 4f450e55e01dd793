"""The composition root: a part handed in replaces the built one; a misspelled one is an error."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.bootstrap import Container
from tests.fakes.gate import FakeLiveVersions, FakeMetrics, FakeRegistry, RecordingNotifier
from tests.fakes.policies import FakePolicies


def no_clients(service: str) -> Any:
    raise AssertionError(f"a {service} client was built although every part it serves was given")


PARTS = ["registry", "metrics_reader", "policies", "live_versions", "notifier", "release_deps", "cleanup_clock"]


@pytest.mark.parametrize("name", PARTS)
def test_a_given_part_is_used_and_nothing_is_built_for_it(name: str) -> None:
    part = object()
    given: dict[str, Any] = {name: part}  # any object: the container only hands it on
    container = Container(client_factory=no_clients, **given)
    assert getattr(container, name) is part


def test_the_gate_is_built_from_the_given_parts() -> None:
    registry, metrics, policies = FakeRegistry(), FakeMetrics(), FakePolicies()
    live, notifier = FakeLiveVersions(), RecordingNotifier()
    container = Container(
        client_factory=no_clients,
        registry=registry,
        metrics_reader=metrics,
        policies=policies,
        live_versions=live,
        notifier=notifier,
    )
    deps = container.gate_deps
    assert deps.registry is registry and deps.metrics is metrics and deps.policies is policies
    assert deps.live is live and deps.notifier is notifier


def test_a_misspelled_part_is_a_type_error_not_a_silent_no_op() -> None:
    overrides: dict[str, Any] = {"notifer": RecordingNotifier()}
    with pytest.raises(TypeError, match="notifer"):
        Container(**overrides)


def test_the_release_engine_judges_with_cloudwatch() -> None:
    from chalicelib.adapters.metric_judge import CloudWatchJudge

    made: list[str] = []

    def clients(service: str) -> Any:
        made.append(service)
        return object()

    from chalicelib.shared.settings import load_settings

    settings = load_settings({"SHEPHERD_STATE_TABLE": "state"})
    deps = Container(settings, clients, policies=FakePolicies(), notifier=RecordingNotifier()).release_deps
    assert isinstance(deps.judge, CloudWatchJudge)
    assert "cloudwatch" in made
