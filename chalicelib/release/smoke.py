"""Smoke-test checks on one staging response: pure, so every rule is tested without an endpoint."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from chalicelib.release.policy import SmokeTest


@dataclass(frozen=True)
class Invocation:
    """What the staging endpoint answered (status is the model's HTTP status; 0 when it never answered)."""

    status: int
    body: bytes
    content_type: str
    latency_ms: float
    error: str | None = None
    transient: bool = False  # throttled or a 5xx before it reached the model: worth asking again


def check(test: SmokeTest, answer: Invocation) -> list[str]:
    """Every way the answer fails the test, each naming the test; empty when it passes."""
    if answer.status != test.expect_status:
        detail = f" ({answer.error})" if answer.error else ""
        return [f"{test.name}: status {answer.status}, expected {test.expect_status}{detail}"]
    failures = []
    if test.max_latency_ms is not None and answer.latency_ms > test.max_latency_ms:
        failures.append(f"{test.name}: latency {answer.latency_ms:.0f} ms over the {test.max_latency_ms:g} ms budget")
    if not (test.parseable or test.labels or test.minimum is not None or test.maximum is not None):
        return failures
    try:
        values = predictions(answer.body, test.field)
    except ValueError as error:
        return [*failures, f"{test.name}: response not parseable: {error}"]
    return failures + [f"{test.name}: {problem}" for problem in _value_problems(test, values)]


def predictions(body: bytes, field: str | None = None) -> list[Any]:
    """The predictions in a JSON (number, list, object with `field` or "predictions"; items that are
    objects with a "score" count as that score) or CSV response."""
    text = body.decode("utf-8", errors="strict").strip()
    if not text:
        raise ValueError("empty body")
    try:
        document = json.loads(text)
    except ValueError:
        return _csv(text)
    if isinstance(document, dict):
        key = field or "predictions"
        if key not in document:
            raise ValueError(f"no {key!r} in the response object")
        document = document[key]
    values = document if isinstance(document, list) else [document]
    # SageMaker's built-in algorithms (XGBoost among them) answer JSON as {"predictions": [{"score": p}]}.
    return [value["score"] if isinstance(value, dict) and "score" in value else value for value in values]


def _csv(text: str) -> list[Any]:
    cells = [cell.strip() for line in text.splitlines() for cell in line.split(",") if cell.strip()]
    try:
        return [float(cell) for cell in cells]
    except ValueError:
        raise ValueError("neither JSON nor CSV numbers") from None


def _value_problems(test: SmokeTest, values: list[Any]) -> list[str]:
    if not values:
        return ["no predictions in the response"]
    problems = []
    if test.labels:
        unexpected = sorted({str(value) for value in values} - set(test.labels))
        if unexpected:
            problems.append(f"labels {unexpected} not in {list(test.labels)}")
    if test.minimum is not None or test.maximum is not None:
        problems.extend(_range_problems(test, values))
    return problems


def _range_problems(test: SmokeTest, values: list[Any]) -> list[str]:
    low = -math.inf if test.minimum is None else test.minimum
    high = math.inf if test.maximum is None else test.maximum
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return [f"prediction {value!r} is not a finite number"]
        if not low <= value <= high:
            return [f"prediction {value} outside [{low:g}, {high:g}]"]
    return []
