"""Every alarm on the app's own metrics watches a metric the code emits, with the dimensions it emits.

CloudWatch names a metric by its name and its exact set of dimensions: an alarm that differs in either
watches nothing, and never fires.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chalicelib.gate.once import RETRY_DELAY_SECONDS
from chalicelib.shared.observability import NAMESPACE
from infra.template import functions

CHALICELIB = Path(__file__).parents[2] / "chalicelib"


def emitted_metrics(calls: tuple[str, ...] = ("count", "stuck")) -> set[tuple[str, frozenset[str]]]:
    """Each `count("Name", dimension=...)` (or `stuck("Name")`) in the code: the name and its dimensions
    (`service` is always one)."""
    found: set[tuple[str, frozenset[str]]] = set()
    for path in CHALICELIB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in calls):
                continue
            names = _literal_names(node.args[0]) if node.args else ()
            dimensions = frozenset({"service", *(keyword.arg for keyword in node.keywords if keyword.arg)})
            found.update((name, dimensions) for name in names)
    if "count" in calls:
        found.update(_counted_kinds())
    return found


def _literal_names(argument: ast.expr) -> tuple[str, ...]:
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return (argument.value,)
    if isinstance(argument, ast.IfExp):  # count("A" if ... else "B", ...)
        return _literal_names(argument.body) + _literal_names(argument.orelse)
    if isinstance(argument, ast.Call) and isinstance(argument.func, ast.Attribute) and argument.func.attr == "get":
        # count(NAMES.get(kind, "Default"), ...): the default here; the table's names are counted elsewhere
        return _literal_names(argument.args[1]) if len(argument.args) == 2 else ()
    return ()


def _counted_kinds() -> set[tuple[str, frozenset[str]]]:
    from chalicelib.adapters.notifiers import COUNTED_KINDS

    return {(name, frozenset({"service"})) for name in COUNTED_KINDS.values()}


def watched_metrics(template: dict[str, Any]) -> Iterator[tuple[str, str, frozenset[str]]]:
    """(alarm, metric name, dimension names) for every metric in the app's namespace an alarm watches."""
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::CloudWatch::Alarm":
            continue
        properties = resource["Properties"]
        metrics = [query["MetricStat"]["Metric"] for query in properties.get("Metrics", []) if "MetricStat" in query]
        for metric in [properties, *metrics]:
            if metric.get("Namespace") == NAMESPACE:
                dimensions = frozenset(dimension["Name"] for dimension in metric.get("Dimensions", []))
                yield logical_id, metric["MetricName"], dimensions


def test_every_alarm_on_the_apps_metrics_watches_one_the_code_emits(template: dict[str, Any]) -> None:
    watched = list(watched_metrics(template))
    assert {alarm for alarm, _, _ in watched} >= {"RollbackAlarm", "NotificationFailureAlarm"}
    emitted = emitted_metrics()
    for alarm, name, dimensions in watched:
        assert (name, dimensions) in emitted, f"{alarm} watches {name} {sorted(dimensions)}, which nothing emits"


def test_every_metric_that_says_a_group_is_stuck_has_an_alarm(template: dict[str, Any]) -> None:
    # `stuck("Name")` marks a metric that means people must act; without an alarm nobody would know.
    stuck = emitted_metrics(calls=("stuck",))
    assert {name for name, _ in stuck} >= {"RestoreAbandoned", "RestoreRefused", "SweepAbandoned"}
    watched = {(name, dimensions) for _, name, dimensions in watched_metrics(template)}
    assert not stuck - watched, f"stuck-group metrics without an alarm: {sorted(stuck - watched)}"


def test_the_scan_finds_the_metrics_the_code_emits() -> None:
    emitted = emitted_metrics()
    assert ("GateDecision", frozenset({"service", "outcome"})) in emitted
    assert ("ReleaseEnded", frozenset({"service", "stage"})) in emitted  # a conditional name
    assert ("Rollback", frozenset({"service"})) in emitted


def test_the_gate_times_out_before_lambda_retries_a_failed_invocation(template: dict[str, Any]) -> None:
    # A gate invocation that dies holds its version's lock until its deadline: Lambda's retry must come after.
    gate = dict(functions(template))["Gate"]["Properties"]
    assert gate["Timeout"] <= RETRY_DELAY_SECONDS
