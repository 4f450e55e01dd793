"""Record the metrics the app emits (name and dimension names), through the one place that emits them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from chalicelib.shared import observability


@dataclass
class EmittedMetrics:
    seen: list[tuple[str, frozenset[str]]] = field(default_factory=list)

    def names(self) -> list[str]:
        return [name for name, _ in self.seen]

    def add_metric(self, name: str, **_: Any) -> None:  # Metrics.add_metric: flushed with `service`
        self.seen.append((name, frozenset({"service"})))

    @contextmanager
    def single_metric(self, name: str, **_: Any) -> Iterator[Any]:
        dimensions: set[str] = set()

        class Metric:
            def add_dimension(self, name: str, value: str) -> None:
                dimensions.add(name)

        yield Metric()
        self.seen.append((name, frozenset(dimensions)))


def record_metrics(monkeypatch: pytest.MonkeyPatch) -> EmittedMetrics:
    emitted = EmittedMetrics()
    monkeypatch.setattr(observability, "metrics", emitted)
    monkeypatch.setattr(observability, "single_metric", emitted.single_metric)
    monkeypatch.setattr(observability, "is_metrics_disabled", lambda: False)
    return emitted
