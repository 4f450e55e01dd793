"""The policy's `release.smoke_tests` as frozen values: what each test sends to staging and expects back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SmokeTest:
    name: str
    body: str
    content_type: str
    accept: str | None = None
    expect_status: int = 200
    parseable: bool = True  # the response must parse as JSON (or CSV numbers)
    minimum: float | None = None
    maximum: float | None = None
    labels: tuple[str, ...] = ()
    field: str | None = None  # where the prediction sits in a JSON object response
    max_latency_ms: float | None = None


def smoke_test(spec: Mapping[str, Any]) -> SmokeTest:
    expect = spec.get("expect", {})
    return SmokeTest(
        name=spec["name"],
        body=spec["body"],
        content_type=spec["content_type"],
        accept=spec.get("accept"),
        expect_status=int(expect.get("status", 200)),
        parseable=bool(expect.get("parseable", True)),
        minimum=expect.get("minimum"),
        maximum=expect.get("maximum"),
        labels=tuple(str(label) for label in expect.get("labels", ())),
        field=expect.get("field"),
        max_latency_ms=spec.get("max_latency_ms"),
    )
